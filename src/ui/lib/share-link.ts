/**
 * Share links carry the SQL (never settings or the key) in the URL hash, deflate-raw compressed and
 * base64url encoded: `#sql=...`. The hash never reaches a server.
 */
const PREFIX = 'sql=';

export async function encodeShare(sql: string): Promise<string> {
  const bytes = await pipe(new TextEncoder().encode(sql), new CompressionStream('deflate-raw'));
  return PREFIX + toBase64Url(bytes);
}

/** The SQL in a location hash, or null when the hash holds none or is damaged. */
export async function decodeShare(hash: string): Promise<string | null> {
  const body = hash.replace(/^#/, '');
  if (!body.startsWith(PREFIX)) return null;
  try {
    const bytes = await pipe(fromBase64Url(body.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function shareUrl(location: { origin: string; pathname: string; search: string }, hash: string): string {
  return `${location.origin}${location.pathname}${location.search}#${hash}`;
}

async function pipe(input: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([input as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
