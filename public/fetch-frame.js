// Fetches one URL with an opaque origin (this page runs in a sandboxed frame without
// allow-same-origin) and no credentials, and returns the bytes on the port it was given.
// A server answers it only if it lets any origin read the resource (docs/security.md).
self.addEventListener('message', async (event) => {
  const port = event.ports[0];
  const url = event.data && typeof event.data.url === 'string' ? event.data.url : '';
  if (!port || !/^https?:/i.test(url)) return;
  try {
    const response = await fetch(url, { credentials: 'omit', signal: AbortSignal.timeout(120000) });
    if (!response.ok) {
      port.postMessage({ error: `HTTP ${response.status}` });
      return;
    }
    const bytes = await response.arrayBuffer();
    port.postMessage({ bytes, contentType: response.headers.get('content-type') || '' }, [bytes]);
  } catch (error) {
    port.postMessage({ error: String(error && error.message ? error.message : error) });
  }
});
