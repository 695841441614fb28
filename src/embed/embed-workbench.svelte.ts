import { DEFAULT_ENGINE_SETTINGS, MOCK_MODEL, SemSQL, type EngineSettings, type QueryProgress } from '../client';
import { mergeSettings, type SettingsPatch } from '../protocol/settings';
import { indexedDbSettingsStore, memorySettingsStore, type SettingsStore } from '../storage/settings-store';
import { errorText } from '../ui/lib/error-text';
import { SAMPLE_DATASETS } from '../ui/lib/samples';
import { wholeText, type RunTarget } from '../ui/lib/statement-at';
import { Catalog } from '../ui/state/catalog.svelte';
import type { QueryPane } from '../ui/state/context';
import { EditorHost } from '../ui/state/editor-host';
import { EngineConnection } from '../ui/state/engine-connection.svelte';
import { QueryRunner, type Outcome } from '../ui/state/query-runner.svelte';
import { Theme } from '../ui/state/theme.svelte';
import { Toasts } from '../ui/state/toasts.svelte';
import { dataUrl, type EmbedConfig } from './config';
import { HostChannel, type ChannelWindow } from './host-channel';
import { resultMessage, type HostMessage, type ProgressPayload, type WidgetOptions } from './protocol';
import { fetchAsAnyOrigin } from './public-fetch';
import { embedTrust, modelAccess, storageScope, trustNotice, type EmbedTrust } from './trust';

/** A paid run the user is asked to confirm (a widget opened from a link, with `model=settings`). */
export interface PaidRunOffer {
  sql: string;
  /** Calls the first pass needs (dependent operators may add more). */
  calls: number;
  costUsd: number;
  model: string;
  /** Where the link came from, as far as the browser says. */
  from: string;
}

export interface EmbedWorkbenchOptions {
  config: EmbedConfig;
  /** The embedding page's origin as the browser reports it; null for a top-level page. */
  parentOrigin: string | null;
  win?: ChannelWindow;
}

/**
 * The widget's state. It composes the pieces the app is made of (engine connection, catalog, one
 * editor and its query runner, toasts), so the app's editor, run bar, grid and timeline components
 * render it unchanged; what differs is how it boots (its own client: the mock model unless allowed
 * otherwise, data from the URL hash, no draft, no history, no stored settings changed) and that every
 * run is also reported to the host page through the embed protocol.
 */
export class EmbedWorkbench implements QueryPane {
  readonly config: EmbedConfig;
  readOnly = $state(false);
  timeline = $state(false);
  themeChoice = $state<EmbedConfig['theme']>('auto');
  /** The SQL the widget runs: the editor's text, or the read-only text. */
  sql = $state('');
  /** Bumped to remount the editor with new text: setting it in place would steal focus from the host page. */
  editorKey = $state(0);
  /** Said once under the toolbar, e.g. why `model=settings` was refused. */
  notice = $state<string | null>(null);
  /** 'mock' or the user's provider: what actually answers. */
  modelLabel = $state('mock model');
  /** Who embeds the widget, and so what it may do (src/embed/trust.ts); decided at boot. */
  trust = $state.raw<EmbedTrust>({ kind: 'direct' });
  /** A widget opened from a link may offer a paid run, confirmed by the user each time. */
  canPay = $state(false);
  paidRun = $state.raw<PaidRunOffer | null>(null);

  readonly engine = new EngineConnection();
  readonly toasts = new Toasts();
  readonly theme = new Theme();
  readonly catalog = new Catalog({ client: () => this.engine.client, onSchema: (schema) => this.editor.setSchema(schema) });
  /** No draft: the widget's SQL comes from its configuration, and the app's draft is the user's. */
  readonly editor: EditorHost;
  readonly runner: QueryRunner;

  currentTheme = $derived(this.themeChoice === 'auto' ? this.theme.current : this.themeChoice);

  readonly #channel: HostChannel;
  readonly #parentOrigin: string | null;
  /** The user's provider settings, for a run the user confirms; null when none may be offered. */
  #userProvider: EngineSettings | null = null;
  #requestId: string | undefined = undefined;
  readonly #booted: Promise<void>;
  #bootDone: () => void = () => {};

  constructor(options: EmbedWorkbenchOptions) {
    const { config, parentOrigin } = options;
    this.config = config;
    this.readOnly = config.readonly;
    this.timeline = config.timeline;
    this.themeChoice = config.theme;
    this.sql = config.sql;
    this.#parentOrigin = parentOrigin;
    this.editor = new EditorHost({ initialSql: config.sql, onChange: (doc) => (this.sql = doc), onRun: (target) => void this.run(target) });
    // Every run is reported to the host, tagged with the request that started it.
    this.runner = new QueryRunner({
      client: () => this.engine.client,
      toasts: this.toasts,
      marks: this.editor,
      onProgress: (progress, requestId) => this.#channel.send({ type: 'progress', ...tagOf(requestId), progress: progressPayload(progress) }),
      onFinished: (outcome, _queryId, requestId) => this.#finished(outcome, requestId),
    });
    this.#booted = new Promise((resolve) => (this.#bootDone = resolve));
    this.#channel = new HostChannel({
      widgetId: config.widgetId,
      origins: config.origins,
      parentOrigin,
      onMessage: (message) => void this.#handle(message),
      ...(options.win ? { win: options.win } : {}),
    });
  }

  async boot(): Promise<void> {
    try {
      // The user's settings are read, never written: they hold the allow-list of embedding hosts.
      const stored = mergeSettings(
        DEFAULT_ENGINE_SETTINGS,
        (await indexedDbSettingsStore()
          .load()
          .catch(() => undefined)) ?? {},
      );
      this.trust = embedTrust(this.#parentOrigin, location.origin, stored.embedHosts);
      const access = modelAccess(this.trust, this.config.model);
      this.notice = trustNotice(this.trust, access, this.config.model);
      this.#userProvider = access === 'confirm' && stored.provider !== 'mock' ? stored : null;
      this.canPay = this.#userProvider !== null;
      const db = await this.engine.open(
        () =>
          SemSQL.open({
            settingsStore: settingsStoreFor(access === 'provider'),
            settings: this.#settingsOverride(access === 'provider'),
            scope: storageScope(this.trust),
          }),
        (note) => {
          this.toasts.show(note, 'error', 12_000);
          void this.catalog.refresh();
        },
      );
      const settings = await db.settings.get();
      this.modelLabel = settings.provider === 'mock' ? 'mock model' : settings.model;
      for (const spec of this.config.data) await this.#load(dataUrl(spec), spec.table);
      await this.catalog.refresh();
      this.engine.ready();
      this.#channel.send({ type: 'ready' });
    } catch (e) {
      const reason = this.engine.fail(e);
      this.#channel.send({ type: 'error', message: `The widget could not start: ${reason}`, reason: 'failed' });
    } finally {
      this.#bootDone();
    }
    if (this.engine.phase === 'ready' && this.config.autorun && this.sql.trim() !== '') await this.runAll();
  }

  /** Runs the whole script (the Run button, autorun, and host queries). */
  runAll(requestId?: string): Promise<void> {
    return this.run(wholeText(this.sql), requestId);
  }

  /** A host's query while one runs is refused as busy: the widget runs one query at a time. */
  async run(target: RunTarget, requestId?: string): Promise<void> {
    if (this.runner.running) {
      this.#channel.send({ type: 'error', ...tagOf(requestId), message: 'A query is already running in this widget: send cancel first.', reason: 'busy' });
      return;
    }
    this.#requestId = requestId;
    try {
      await this.runner.run(target, requestId);
    } finally {
      this.#requestId = undefined;
    }
  }

  /** No history: the host hears about the run instead. */
  #finished(outcome: Outcome, requestId: string | undefined): void {
    if (outcome.kind === 'ok') this.#channel.send(resultMessage(this.config.widgetId, requestId, outcome.result));
    else if (outcome.kind === 'cancelled') this.#channel.send({ type: 'error', ...tagOf(requestId), message: 'The query was cancelled.', reason: 'cancelled' });
    else this.#channel.send({ type: 'error', ...tagOf(requestId), message: outcome.message, reason: 'failed' });
    void this.catalog.refresh();
  }

  /** Stops the running query; a host's cancel only stops the query it asked for. */
  cancel(requestId?: string): boolean {
    if (requestId !== undefined && requestId !== this.#requestId) return false;
    return this.runner.cancel();
  }

  /** Replaces the SQL the widget shows (a host query), without taking focus. */
  showSql(sql: string): void {
    this.sql = sql;
    this.editor.initialSql = sql;
    this.editorKey++;
  }

  applyOptions(options: WidgetOptions): void {
    if (options.theme !== undefined) this.themeChoice = options.theme;
    if (options.readonly !== undefined) {
      // The editor remounts from initialSql when it comes back.
      this.editor.initialSql = this.sql;
      this.readOnly = options.readonly;
    }
    if (options.timeline !== undefined) this.timeline = options.timeline;
  }

  close(): void {
    this.#channel.close();
    this.engine.close();
  }

  /** Reports the content height (height=auto) or the fixed height asked for in the hash. */
  reportHeight(height: number): void {
    this.#channel.send({ type: 'resize', height });
  }

  async #handle(message: HostMessage): Promise<void> {
    await this.#booted;
    const rid = tagOf('requestId' in message ? message.requestId : undefined);
    const db = this.engine.client;
    if (!db) {
      if (message.type !== 'setOptions')
        this.#channel.send({ type: 'error', ...rid, message: `The widget did not start: ${this.engine.error ?? 'unknown error'}`, reason: 'failed' });
      return;
    }
    switch (message.type) {
      case 'query':
        if (this.runner.running) {
          this.#channel.send({ type: 'error', ...rid, message: 'A query is already running in this widget: send cancel first.', reason: 'busy' });
          return;
        }
        this.showSql(message.sql);
        return this.runAll(message.requestId);
      case 'load':
        try {
          const loaded = 'url' in message ? await this.#load(message.url, message.table, true) : await this.#loadData(message, message.table);
          this.#channel.send({ type: 'loaded', ...rid, table: loaded.table, rows: loaded.rows });
          await this.catalog.refresh();
        } catch (e) {
          const what = 'url' in message ? message.url : 'the data sent';
          this.#channel.send({ type: 'error', ...rid, message: `Could not load ${what} as ${message.table}: ${errorText(e)}`, reason: 'failed' });
        }
        return;
      case 'setOptions':
        this.applyOptions(message.options);
        if (message.options.parallel !== undefined) await db.settings.update({ parallel: message.options.parallel });
        return;
      case 'cancel':
        this.cancel(message.requestId);
        return;
    }
  }

  async #load(url: string, table: string, rethrow = false): Promise<{ table: string; rows: number }> {
    const db = this.engine.require();
    try {
      // The engine tells the format from the content. The configured data is loaded at every start,
      // so only what the host asks for later is kept in the widget's namespace.
      const loaded = await db.load(await this.#readable(new URL(url, location.href)), { table, keep: rethrow });
      this.catalog.loaded(loaded);
      return loaded;
    } catch (e) {
      if (rethrow) throw e;
      // A configured file that does not load is reported; the widget still answers other SQL.
      this.notice = `Could not load ${url} as ${table}: ${errorText(e)}`;
      this.#channel.send({ type: 'error', message: this.notice, reason: 'failed' });
      return { table, rows: 0 };
    }
  }

  /** Data the host read itself and sent: nothing is fetched on its behalf. */
  async #loadData(source: { text: string } | { bytes: ArrayBuffer | Uint8Array; name?: string }, table: string): Promise<{ table: string; rows: number }> {
    const db = this.engine.require();
    // Always a File: a string without a line break would be taken for a URL.
    const input =
      'text' in source ? new File([source.text], 'data') : new File([new Uint8Array(source.bytes) as Uint8Array<ArrayBuffer>], source.name ?? 'data');
    const loaded = await db.load(input, { table });
    this.catalog.loaded(loaded);
    return loaded;
  }

  /**
   * A URL as the widget may load it: the app's own sample data, and anything for a page of the app
   * itself, as is; for any other embedding (or a link), only what any origin may read, fetched with
   * an opaque origin, so the widget never reads for a host what the host could not (docs/security.md).
   */
  async #readable(url: URL): Promise<URL | File> {
    const bundled = SAMPLE_DATASETS.some((sample) => new URL(sample.url, location.href).href === url.href);
    if (bundled || this.trust.kind === 'app') return url;
    try {
      const file = await fetchAsAnyOrigin(url.href);
      return new File([file.bytes as Uint8Array<ArrayBuffer>], url.pathname.split('/').pop() || 'data', { type: file.contentType });
    } catch (e) {
      throw new Error(
        `the widget loads for its host only what any page may read, and ${url.origin} does not let every origin read this file (${errorText(e)}). ` +
          'Serve it with "Access-Control-Allow-Origin: *", or fetch it in your page and send it with a load message carrying `text` or `bytes`.',
      );
    }
  }

  #settingsOverride(useProvider: boolean): SettingsPatch {
    const parallel = this.config.parallel === null ? {} : { parallel: this.config.parallel };
    return useProvider ? parallel : { ...parallel, provider: 'mock', model: MOCK_MODEL };
  }

  /** Shows what a run with the user's own model would cost, before anything is spent. */
  async offerPaidRun(): Promise<void> {
    const db = this.engine.client;
    const user = this.#userProvider;
    if (!db || !user || this.runner.running) return;
    await db.settings.update({ provider: user.provider, model: user.model, anthropic: user.anthropic, pricing: user.pricing });
    try {
      const plan = await db.explain(this.sql);
      let from = 'a link, or an address typed by hand';
      try {
        if (document.referrer) from = new URL(document.referrer).origin;
      } catch {
        // An unreadable referrer says nothing.
      }
      this.paidRun = { sql: this.sql, calls: plan.firstPass.calls, costUsd: plan.estimate.costUsd, model: user.model, from };
    } catch (e) {
      await this.#backToMock();
      this.toasts.show(`Could not estimate this query: ${errorText(e)}`, 'error');
    }
  }

  /** The user confirmed: this one run uses their model; the widget then answers with the mock again. */
  async confirmPaidRun(): Promise<void> {
    const offer = this.paidRun;
    if (!offer) return;
    this.paidRun = null;
    try {
      await this.run(wholeText(offer.sql));
    } finally {
      await this.#backToMock();
    }
  }

  async declinePaidRun(): Promise<void> {
    this.paidRun = null;
    await this.#backToMock();
  }

  async #backToMock(): Promise<void> {
    await this.engine.client?.settings.update({ provider: 'mock', model: MOCK_MODEL });
  }
}

/** The user's settings, read-only (a widget's options last for the widget), or none at all. */
function settingsStoreFor(useUserSettings: boolean): SettingsStore {
  if (!useUserSettings) return memorySettingsStore();
  const stored = indexedDbSettingsStore();
  return { load: () => stored.load(), save: async () => {} };
}

function progressPayload(p: QueryProgress): ProgressPayload {
  return {
    pass: p.pass,
    done: p.done,
    inFlight: p.inFlight,
    queued: p.queued,
    cached: p.cached,
    failed: p.failed,
    elapsedMs: p.elapsedMs,
    ...(p.estimates ? { estimates: p.estimates } : {}),
  };
}

const tagOf = (requestId: string | undefined) => (requestId === undefined ? {} : { requestId });
