/**
 * Registers the service worker built by vite-plugin-pwa (docs/hosting.md): it precaches the build, so
 * after one visit the app and the widget start with no network. The URL is relative to the page, so
 * the build works from any sub-path; the scope is the folder the page is in. A new deployment's
 * worker takes over at once (skipWaiting + clientsClaim in vite.config.ts); open pages keep the code
 * they loaded, and the next load gets the new build.
 */
export function registerServiceWorker(): void {
  // No worker in the dev server (nothing is built there), nor where the browser has none.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
      // Offline use is a bonus: the page works online without it.
      console.warn('semsql: the service worker did not register', error);
    });
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
