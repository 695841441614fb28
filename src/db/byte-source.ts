import type { DataSource } from '../protocol/data-source';
import { checkFetched, githubRawUrl } from './format-detect';

/**
 * The bytes of a data source, read in slices or as a stream of chunks, never copied whole unless
 * they already are (a buffer, a text) or the server sends them whole: a File is read with
 * File.slice, a URL with HTTP range requests when its server answers them.
 */
export interface ByteSource {
  readonly name: string;
  /** Bytes in all. */
  readonly size: number;
  /** The first bytes (up to 64 KiB), for telling the format. */
  readonly head: Uint8Array;
  /** Bytes [start, end). */
  slice(start: number, end: number): Promise<Uint8Array>;
  /** Every byte, in order, in chunks. */
  chunks(): AsyncIterable<Uint8Array>;
}

const HEAD_BYTES = 65_536;
/** Chunks a File or a ranged URL is read in: large enough that a request's latency is small beside it. */
const CHUNK_BYTES = 8 * 1024 * 1024;

export async function openSource(source: DataSource): Promise<ByteSource> {
  switch (source.kind) {
    case 'file':
      return fileSource(source.file.name, source.file);
    case 'bytes':
      return bufferSource(source.name, source.bytes);
    case 'text':
      return bufferSource(source.name ?? 'text', new TextEncoder().encode(source.text));
    case 'url':
      return urlSource(source.url);
  }
}

export async function fileSource(name: string, file: Blob): Promise<ByteSource> {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  return {
    name,
    size: file.size,
    head,
    slice: async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer()),
    chunks: () => prefetched(file.size, async (start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer())),
  };
}

/**
 * The bytes in chunks, the next one asked for while the caller works on this one: read one after
 * the other, a load of 93 MB of NDJSON by URL waited 40% of its time for the next range.
 */
async function* prefetched(size: number, slice: (start: number, end: number) => Promise<Uint8Array>): AsyncIterable<Uint8Array> {
  let next = slice(0, Math.min(size, CHUNK_BYTES));
  for (let at = 0; at < size; at += CHUNK_BYTES) {
    const current = await next;
    const after = at + CHUNK_BYTES;
    if (after < size) {
      next = slice(after, Math.min(size, after + CHUNK_BYTES));
      next.catch(() => {}); // its failure is thrown where it is awaited, not as an unhandled rejection
    }
    yield current;
  }
}

export function bufferSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    head: bytes.subarray(0, HEAD_BYTES),
    slice: async (start, end) => bytes.subarray(start, end),
    async *chunks() {
      for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
    },
  };
}

/**
 * A URL: asked first for its first bytes with a Range header. A server that answers 206 is read in
 * ranges from then on; one that sends the whole body (200) is read whole, once.
 */
export async function urlSource(url: string): Promise<ByteSource> {
  const first = await fetchUrl(url, `bytes=0-${HEAD_BYTES - 1}`);
  const total = first.status === 206 ? rangeTotal(first.headers.get('content-range')) : null;
  if (first.status === 206 && total !== null) {
    const head = new Uint8Array(await first.arrayBuffer());
    checkFetched({ url, status: 200, statusText: '', contentType: first.headers.get('content-type'), head });
    const slice = async (start: number, end: number): Promise<Uint8Array> => {
      if (end <= start) return new Uint8Array(0);
      if (end <= head.byteLength) return head.subarray(start, end);
      const response = await fetchUrl(url, `bytes=${start}-${end - 1}`);
      if (response.status !== 206) throw new Error(`could not read ${url}: the server stopped answering range requests (HTTP ${response.status})`);
      return new Uint8Array(await response.arrayBuffer());
    };
    return {
      name: url,
      size: total,
      head,
      slice,
      chunks: () => prefetched(total, slice),
    };
  }
  // No ranges (or an empty file, 416): the plain GET, read whole.
  const response = first.status === 200 ? first : await fetchUrl(url, null);
  const bytes = new Uint8Array(await response.arrayBuffer());
  checkFetched({
    url,
    status: response.status,
    statusText: response.statusText,
    contentType: response.headers.get('content-type'),
    head: bytes.subarray(0, 512),
  });
  return bufferSource(url, bytes);
}

async function fetchUrl(url: string, range: string | null): Promise<Response> {
  try {
    return await fetch(url, range ? { headers: { Range: range } } : {});
  } catch (error) {
    // A cross-origin server that refuses the Range header fails the request itself: ask plainly.
    if (range) return fetchUrl(url, null);
    const raw = githubRawUrl(url);
    if (raw) throw new Error(`${url} is GitHub's web page about the file, not the file. Use the raw file link instead: ${raw}`);
    throw new Error(`could not fetch ${url}: ${(error as Error).message} (offline, or the server does not allow cross-origin reads)`);
  }
}

/** The total of `Content-Range: bytes 0-65535/1234567`; null when it is not told (`/*`). */
function rangeTotal(header: string | null): number | null {
  const m = header ? /\/(\d+)\s*$/.exec(header) : null;
  return m ? Number(m[1]) : null;
}
