import { checkRange, RANGES } from '../protocol/option-ranges';
import type { EstimateFlag, EstimateReport } from '../protocol/progress';

/**
 * The embed protocol (docs/embed.md): postMessage between a host page and a semsql widget iframe.
 * Every message carries `semsql` (the protocol version), a `type` and the `widgetId`. Messages are
 * validated field by field; anything else, including any field that is not in the protocol (an API
 * key, say), makes the whole message invalid. Pure: no DOM here, so it is unit-tested in Node.
 */
export const PROTOCOL_VERSION = 1;

/** Rows in a `result` message, at most; the message says when it was cut. */
export const RESULT_ROW_CAP = 1_000;

/** Data a host may send in one `load` message. */
const LOAD_BYTES_CAP = 256 * 1024 * 1024;

export interface WidgetOptions {
  theme?: 'light' | 'dark';
  readonly?: boolean;
  parallel?: number;
  timeline?: boolean;
}

export type HostMessage =
  | { semsql: 1; type: 'query'; widgetId: string; requestId?: string; sql: string }
  /**
   * A table from a URL (fetched only if any origin may read it), or from data the host read itself:
   * CSV/JSON text, or the bytes of a CSV, Parquet or JSON file (`name` tells the format).
   */
  | ({ semsql: 1; type: 'load'; widgetId: string; requestId?: string; table: string } & (
      { url: string } | { text: string } | { bytes: ArrayBuffer | Uint8Array; name?: string }
    ))
  | { semsql: 1; type: 'setOptions'; widgetId: string; options: WidgetOptions }
  | { semsql: 1; type: 'cancel'; widgetId: string; requestId?: string };

export interface ProgressPayload {
  pass: number;
  done: number;
  inFlight: number;
  queued: number;
  cached: number;
  failed: number;
  elapsedMs: number;
  /** An aggregate's running estimates (docs/estimates.md). */
  estimates?: EstimateReport[];
}

/** A result's stats as the host gets them; `estimate` says the result is an estimate (docs/estimates.md). */
export interface WidgetResultStats {
  passes: number;
  calls: number;
  cached: number;
  errors: number;
  wall_ms: number;
  estimate?: EstimateFlag;
}

export type WidgetMessage =
  | { semsql: 1; type: 'ready'; widgetId: string }
  | { semsql: 1; type: 'progress'; widgetId: string; requestId?: string; progress: ProgressPayload }
  | {
      semsql: 1;
      type: 'result';
      widgetId: string;
      requestId?: string;
      columns: { name: string; type: string }[];
      rows: unknown[][];
      rowCount: number;
      truncated: boolean;
      stats: WidgetResultStats;
    }
  | { semsql: 1; type: 'loaded'; widgetId: string; requestId?: string; table: string; rows: number }
  | { semsql: 1; type: 'error'; widgetId: string; requestId?: string; message: string; reason?: ErrorReason }
  | { semsql: 1; type: 'resize'; widgetId: string; height: number };

/** Why a request failed: the query or load failed, it was cancelled, or another query was running. */
export type ErrorReason = 'failed' | 'cancelled' | 'busy';

/** A widget message without the envelope: the sender adds `semsql` and `widgetId`. */
export type WidgetPayload = WidgetMessage extends infer M ? (M extends WidgetMessage ? Omit<M, 'semsql' | 'widgetId'> : never) : never;

/** Adds the envelope (protocol version and widget id) to a payload. */
export function widgetMessage(widgetId: string, payload: WidgetPayload): WidgetMessage {
  return { ...payload, semsql: PROTOCOL_VERSION, widgetId } as WidgetMessage;
}

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const optionalText = (v: unknown, max: number) => v === undefined || isText(v, max);
const onlyKeys = (o: Fields, allowed: readonly string[]) => Object.keys(o).every((k) => allowed.includes(k));

const BASE = ['semsql', 'type', 'widgetId'];

/** Returns the message if it is a well-formed host message for this widget, else null. */
export function parseHostMessage(data: unknown, widgetId: string): HostMessage | null {
  if (!isObject(data) || data.semsql !== PROTOCOL_VERSION || data.widgetId !== widgetId) return null;
  switch (data.type) {
    case 'query':
      if (!onlyKeys(data, [...BASE, 'requestId', 'sql']) || !isText(data.sql, 100_000) || !optionalText(data.requestId, 200)) return null;
      return data as HostMessage;
    case 'load': {
      if (!onlyKeys(data, [...BASE, 'requestId', 'table', 'url', 'text', 'bytes', 'name']) || !isText(data.table, 200) || !optionalText(data.requestId, 200))
        return null;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(data.table)) return null;
      const sources = ['url', 'text', 'bytes'].filter((k) => data[k] !== undefined);
      if (sources.length !== 1) return null;
      if (data.url !== undefined && !isText(data.url, 4_000)) return null;
      if (data.text !== undefined && !isText(data.text, LOAD_BYTES_CAP)) return null;
      if (data.bytes !== undefined && !((data.bytes instanceof ArrayBuffer || data.bytes instanceof Uint8Array) && data.bytes.byteLength <= LOAD_BYTES_CAP))
        return null;
      if (data.name !== undefined && (data.bytes === undefined || !isText(data.name, 200))) return null;
      return data as HostMessage;
    }
    case 'setOptions': {
      if (!onlyKeys(data, [...BASE, 'options']) || !isObject(data.options)) return null;
      const o = data.options;
      if (!onlyKeys(o, ['theme', 'readonly', 'parallel', 'timeline'])) return null;
      if (o.theme !== undefined && o.theme !== 'light' && o.theme !== 'dark') return null;
      if (o.readonly !== undefined && typeof o.readonly !== 'boolean') return null;
      if (o.timeline !== undefined && typeof o.timeline !== 'boolean') return null;
      if (o.parallel !== undefined && !checkRange('parallel', RANGES.parallel, o.parallel).ok) return null;
      return data as HostMessage;
    }
    case 'cancel':
      if (!onlyKeys(data, [...BASE, 'requestId']) || !optionalText(data.requestId, 200)) return null;
      return data as HostMessage;
    default:
      return null;
  }
}

/** Caps a result for the wire: large results stay in the widget, the host gets a slice and a flag. */
export function resultMessage(
  widgetId: string,
  requestId: string | undefined,
  result: { columns: { name: string; type: string }[]; rows: unknown[][]; stats: WidgetResultStats },
  cap = RESULT_ROW_CAP,
): WidgetMessage {
  const { passes, calls, cached, errors, wall_ms, estimate } = result.stats;
  return {
    semsql: PROTOCOL_VERSION,
    type: 'result',
    widgetId,
    ...(requestId === undefined ? {} : { requestId }),
    columns: result.columns,
    rows: result.rows.slice(0, cap).map((row) => row.map(cloneable)),
    rowCount: result.rows.length,
    truncated: result.rows.length > cap,
    stats: { passes, calls, cached, errors, wall_ms, ...(estimate ? { estimate } : {}) },
  };
}

/** BigInts and typed arrays survive structured clone, but hosts JSON.stringify results: keep it plain. */
function cloneable(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}
