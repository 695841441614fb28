import { checkRange, RANGES } from '../protocol/option-ranges';
import { tableNameFor } from '../ui/lib/naming';

/**
 * The widget's configuration, read from its URL hash (so it never reaches a server log):
 * `#sql=...&data=URL[,URL]&theme=dark&readonly=1&autorun=1&model=mock&parallel=8&height=auto
 *  &timeline=1&origins=https://a.example,https://b.example&id=w1`.
 */
export interface EmbedConfig {
  widgetId: string;
  sql: string;
  data: { url: string; table: string }[];
  theme: 'light' | 'dark' | 'auto';
  readonly: boolean;
  autorun: boolean;
  /** The widget answers with the mock model unless the embedder asks for the user's provider. */
  model: 'mock' | 'settings';
  parallel: number | null;
  height: 'auto' | number;
  timeline: boolean;
  /** Origins whose messages the widget accepts, and the only ones it sends to. */
  origins: string[];
}

const flag = (v: string | null) => v === '1' || v === 'true' || v === 'yes';

/** `referrerOrigin` is the embedding page's origin (ancestorOrigins or referrer), the default. */
export function parseEmbedConfig(hash: string, referrerOrigin: string | null): EmbedConfig {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const origins = (params.get('origins') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map(normalizeOrigin)
    .filter((o): o is string => o !== null);
  if (origins.length === 0 && referrerOrigin) origins.push(referrerOrigin);
  const height = params.get('height');
  // The range a statement's `-- @ parallel` and the settings share; a value outside it is ignored.
  const parallel = checkRange('parallel', RANGES.parallel, Number(params.get('parallel')));
  const theme = params.get('theme');
  return {
    widgetId: params.get('id') ?? 'semsql',
    sql: params.get('sql') ?? '',
    data: (params.get('data') ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean)
      .reduce<{ url: string; table: string }[]>(
        (specs, url) => [
          ...specs,
          {
            url,
            table: tableFromSpec(
              url,
              specs.map((d) => d.table),
            ),
          },
        ],
        [],
      ),
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    readonly: flag(params.get('readonly')),
    autorun: flag(params.get('autorun')),
    model: params.get('model') === 'settings' ? 'settings' : 'mock',
    parallel: parallel.ok ? parallel.value : null,
    height: height && /^\d+$/.test(height) ? Number(height) : 'auto',
    timeline: flag(params.get('timeline')),
    origins,
  };
}

/** `name=URL` names the table; otherwise the file's base name does, as in the app. */
function tableFromSpec(spec: string, taken: string[]): string {
  const named = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(spec);
  return named ? (named[1] as string) : tableNameFor(spec, taken);
}

function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/** The URL part of a `name=URL` data spec. */
export function dataUrl(spec: { url: string }): string {
  const named = /^[A-Za-z_][A-Za-z0-9_]*=(.+)$/.exec(spec.url);
  return named ? (named[1] as string) : spec.url;
}
