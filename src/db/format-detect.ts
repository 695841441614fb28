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
    const hint =
      fetched.status === 404
        ? ' Check the address; for a file on GitHub, use its "Raw" link.'
        : fetched.status === 401 || fetched.status === 403
          ? ' The server wants a login this page cannot give; download the file and drop it here instead.'
          : '';
    throw new Error(`could not fetch ${fetched.url}: HTTP ${fetched.status}${fetched.statusText ? ` ${fetched.statusText}` : ''}.${hint}`);
  }
  const type = (fetched.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/html' || type === 'application/xhtml+xml' || looksLikeHtml(fetched.head)) {
    throw new Error(
      raw
        ? `${fetched.url} is GitHub's web page about the file, not the file. Use the raw file link instead: ${raw}`
        : `${fetched.url} is a web page (HTML), not a data file: use the raw file link (on GitHub, GitLab and the like, the "Raw" or "Download" button), or download the file and drop it here.`,
    );
  }
}

/**
 * Picks a format from the content: Parquet's magic bytes, then JSON's opening bracket (an array,
 * NDJSON, or an object wrapping records: src/db/json-records.ts tells them apart as it reads), then
 * CSV. The name only settles what the first bytes cannot: a CSV whose first cell starts with a
 * bracket, a Parquet file too damaged to start with its magic. Pure: unit-tested in Node. Throws
 * with a message that says what was seen; a web page (HTML) is never read as data, whatever its name.
 */
export function detectFormat(name: string, head: Uint8Array): DataFormat {
  const lower = name.toLowerCase().replace(/[?#].*$/, '');
  if (looksLikeHtml(head))
    throw new Error(`"${name}" is a web page (HTML), not a data file: use the raw file (CSV, Parquet, JSON or NDJSON), not the page that shows it.`);
  if (PARQUET_MAGIC.every((b, i) => head[i] === b) || lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  const text = new TextDecoder()
    .decode(head.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart();
  const csvNamed = /\.(csv|tsv|txt)$/.test(lower);
  if ((text.startsWith('[') || text.startsWith('{')) && !csvNamed) return 'json';
  if (/\.(json|jsonl|ndjson)$/.test(lower)) return 'json';
  if (text.length > 0) return 'csv';
  throw new Error(`cannot tell the format of "${name}": it is empty or not text; name it .csv, .parquet, .json or .ndjson`);
}
