/**
 * Fetches a URL for an embedding host with what the host itself could read, not more (the widget
 * must not be a confused deputy: a service that lets only the app's origin read it stays closed to
 * a host page). The fetch runs in a sandboxed frame whose origin is opaque, without credentials, so
 * it succeeds only for resources any origin may read (Access-Control-Allow-Origin: *); measured in
 * Chromium: a server answering only the app's origin refused it, a public one served it.
 */
export interface PublicFile {
  bytes: Uint8Array;
  contentType: string;
}

export class NotPublicError extends Error {
  override readonly name = 'NotPublicError';
}

export function fetchAsAnyOrigin(url: string, frameUrl = new URL('fetch-frame.html', location.href).href): Promise<PublicFile> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.style.display = 'none';
    frame.src = frameUrl;
    const channel = new MessageChannel();
    const done = () => {
      channel.port1.close();
      frame.remove();
    };
    channel.port1.onmessage = (event: MessageEvent<{ bytes?: ArrayBuffer; contentType?: string; error?: string }>) => {
      done();
      const { bytes, contentType, error } = event.data;
      if (bytes) resolve({ bytes: new Uint8Array(bytes), contentType: contentType ?? '' });
      else reject(new NotPublicError(error ?? 'no answer'));
    };
    frame.addEventListener('load', () => frame.contentWindow?.postMessage({ url }, '*', [channel.port2]), { once: true });
    document.body.append(frame);
  });
}
