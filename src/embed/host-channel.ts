import { parseHostMessage, widgetMessage, type HostMessage, type WidgetPayload } from './protocol';

/** The parts of `window` the channel uses, so tests can pass their own. */
export interface ChannelWindow {
  readonly parent: ChannelPeer;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface ChannelPeer {
  postMessage(message: unknown, targetOrigin: string): void;
}

export interface HostChannelOptions {
  widgetId: string;
  /** Origins whose messages are accepted (exact `scheme://host:port`); never `*`. */
  origins: readonly string[];
  /** The embedding page's origin as the browser reports it (location.ancestorOrigins[0]), if known. */
  parentOrigin: string | null;
  onMessage: (message: HostMessage) => void;
  win?: ChannelWindow;
}

/**
 * The widget's side of the embed protocol (docs/embed.md). A message is handled only when it comes
 * from the parent window (`event.source === window.parent`), from an allowed origin, and has exactly
 * the protocol's shape for this widget id; everything else is dropped without an answer, so a page
 * that may not talk to the widget learns nothing from it. Answers go to one allowed origin, never `*`.
 */
export class HostChannel {
  readonly #win: ChannelWindow;
  readonly #widgetId: string;
  readonly #origins: readonly string[];
  readonly #onMessage: (message: HostMessage) => void;
  /** Where answers go: the origin of the last accepted message, else the allowed parent origin. */
  #target: string | null;

  constructor(options: HostChannelOptions) {
    this.#win = options.win ?? (window as ChannelWindow);
    this.#widgetId = options.widgetId;
    this.#origins = options.origins.filter((o) => o !== '*' && o !== 'null');
    this.#onMessage = options.onMessage;
    const parent = options.parentOrigin;
    this.#target = parent !== null && this.#origins.includes(parent) ? parent : this.#origins.length === 1 ? (this.#origins[0] ?? null) : null;
    if (this.embedded) this.#win.addEventListener('message', this.#listener);
  }

  /** False when the widget is a top-level page: nobody to talk to. */
  get embedded(): boolean {
    return (this.#win.parent as unknown) !== this.#win;
  }

  send(payload: WidgetPayload): void {
    if (!this.embedded || this.#target === null) return;
    this.#win.parent.postMessage(widgetMessage(this.#widgetId, payload), this.#target);
  }

  close(): void {
    this.#win.removeEventListener('message', this.#listener);
  }

  readonly #listener = (event: MessageEvent): void => {
    if (event.source !== (this.#win.parent as unknown)) return;
    if (!this.#origins.includes(event.origin)) return;
    const message = parseHostMessage(event.data, this.#widgetId);
    if (message === null) return;
    this.#target = event.origin;
    this.#onMessage(message);
  };
}

/**
 * Reports the content height to the host when it changes, debounced: a growing result fires many
 * ResizeObserver callbacks in a row, and the host needs only the height it settles at.
 */
export function watchHeight(element: HTMLElement, report: (height: number) => void, delayMs = 60): () => void {
  let last = -1;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const height = Math.ceil(element.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      report(height);
    }
  };
  const observer = new ResizeObserver(() => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  observer.observe(element);
  return () => {
    observer.disconnect();
    if (timer !== null) clearTimeout(timer);
  };
}
