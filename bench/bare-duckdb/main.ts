/**
 * The bench case startup's yardstick: DuckDB-WASM booted on its own, in a worker, with the same
 * bundle as the app (the same blocking bindings and wasm files) and nothing else: no UI framework,
 * no model workers, no cache, no sample data. `bare:ready` marks its first answered query.
 */
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<{ ok: boolean; detail: string }>) => {
  performance.mark('bare:ready');
  const state = document.getElementById('state') as HTMLElement;
  state.textContent = event.data.ok ? 'ready' : `failed: ${event.data.detail}`;
  document.documentElement.dataset.bareReady = event.data.ok ? 'true' : 'failed';
};
