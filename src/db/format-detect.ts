import type { DataFormat } from '../protocol/data-source';

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** The start of a web page: a doctype, or one of the tags a page opens with. */
const HTML_START = /^(?:\uFEFF)?\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|script)\b/i;

/** Whether these first bytes are a web page (HTML) rather than data. */
export function looksLikeHtml(head: Uint8Array): boolean {
  return HTML_START.test(new TextDecoder().decode(head.subarray(0, 512)));
}

/**
 * The raw file behind a GitHub page link (`github.com/o/r/blob/ref/path`), which serves the page
 * around the file, not the file; null for any other URL.
 */
export function githubRawUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.hostname !== 'github.com' && parsed.hostname !== 'www.github.com') return null;
  const m = /^\/([^/]+)\/([^/]+)\/(?:blob|raw)\/(.+)$/.exec(parsed.pathname);
  return m ? `https://raw.githubusercontent.com/${m[1]}/${m[2]}/${m[3]}` : null;
}

/** What came back for a URL, as far as the checks below need it. */
export interface FetchedHead {
  url: string;
  status: number;
  statusText: string;
  /** The Content-Type header, or null. */
  contentType: string | null;
  /** The first bytes of the body. */
  head: Uint8Array;
}

/**
 * Refuses what is not a data file, with what to do instead: an HTTP error, or a web page (by its
 * content type or its first bytes: a page served as text/plain is still a page). Issue 18: an HTML
 * page used to load as a one-column table named `<!doctype html>`.
 */
export function checkFetched(fetched: FetchedHead): void {
  const raw = githubRawUrl(fetched.url);
  if (fetched.status < 200 || fetched.status > 299) {
    const hint = fetched.status === 404 ? ' Check the address; for a file on GitHub, use its "Raw" link.' : fetched.status === 401 || fetched.status === 403 ? ' The server wants a login this page cannot give; download the file and drop it here instead.' : '';
    throw new Error(`could not fetch ${fetched.url}: HTTP ${fetched.status}${fetched.statusText ? ` ${fetched.statusText}` : ''}.${hint}`);
  }
  const type = (fetched.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/html' || type === 'application/xhtml+xml' || looksLikeHtml(fetched.head)) {
    throw new Error(raw
      ? `${fetched.url} is GitHub's web page about the file, not the file. Use the raw file link instead: ${raw}`
      : `${fetched.url} is a web page (HTML), not a data file: use the raw file link (on GitHub, GitLab and the like, the "Raw" or "Download" button), or download the file and drop it here.`);
  }
}

/**
 * Picks a format from the name first, then from the first bytes. Pure: unit-tested in Node.
 * Throws with a message that says what was seen, so the user knows which file and why; a web page
 * (HTML) is never read as CSV, whatever its name.
 */
export function detectFormat(name: string, head: Uint8Array): DataFormat {
  const lower = name.toLowerCase().replace(/[?#].*$/, '');
  if (looksLikeHtml(head)) throw new Error(`"${name}" is a web page (HTML), not a data file: use the raw file (CSV, Parquet, JSON or NDJSON), not the page that shows it.`);
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  if (PARQUET_MAGIC.every((b, i) => head[i] === b)) return 'parquet';
  const text = new TextDecoder().decode(head.subarray(0, 256)).trimStart();
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) return 'ndjson';
  if (text.length > 0) return 'csv';
  throw new Error(`cannot tell the format of "${name}": it is empty or not text; name it .csv, .parquet, .json or .ndjson`);
}

/** Parses JSON (an array of objects, or one object) or NDJSON text into row objects. */
export function parseJsonRows(text: string, format: 'json' | 'ndjson', name: string): Record<string, unknown>[] {
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${name}: not valid JSON (${(error as Error).message})`);
    }
    const rows = Array.isArray(parsed) ? parsed : [parsed];
    return rows.map((row, i) => asRow(row, `${name}: element ${i}`));
  }
  const rows: Record<string, unknown>[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(`${name}: line ${i + 1} is not valid JSON (${(error as Error).message})`);
    }
    rows.push(asRow(parsed, `${name}: line ${i + 1}`));
  });
  return rows;
}

function asRow(value: unknown, where: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (value === null || typeof value !== 'object') return { value };
  throw new Error(`${where} is an array; expected an object per row`);
}
