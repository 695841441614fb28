import type { CDPSession, Page } from 'playwright-core';

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  /** Array buffers' and external strings' backing stores (Chromium 120+), the wasm heap among them. */
  backingStorageSize?: number;
}

export interface HeapWatch {
  /** Peak JS heap (V8's used size) seen since the watch began, and at its start. */
  stop(): Promise<{ peakUsed: number; startUsed: number; peakBacking: number; startBacking: number; samples: number }>;
}

/**
 * Samples the DuckDB worker's heap over the DevTools protocol while the page works: V8 answers
 * Runtime.getHeapUsage between two steps of running JavaScript or wasm, so the samples (every
 * 20 ms) go on during a load that never yields. Attached to the worker through the browser's own
 * session, as DevTools does; nothing in the app is changed to be measured.
 */
export async function watchWorkerHeap(page: Page, workerUrlPart: string): Promise<HeapWatch> {
  // Only the worker of `page`'s browser context is watched: give the page a context of its own.
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  const session: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await session.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string; browserContextId?: string }[];
  };
  // The page's own worker: other pages of the browser run the same app (the page has a context of its own).
  const context = targetInfos.find((t) => t.type === 'page' && t.url === page.url())?.browserContextId;
  const target = targetInfos.find((t) => t.type === 'worker' && t.url.includes(workerUrlPart) && t.browserContextId === context);
  if (!target) throw new Error(`no worker whose URL has ${workerUrlPart}: ${targetInfos.map((t) => `${t.type} ${t.url}`).join(', ')}`);
  const { sessionId } = (await session.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  let next = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  (session as unknown as { on(event: string, listener: (e: { sessionId: string; message: string }) => void): void }).on(
    'Target.receivedMessageFromTarget',
    (e) => {
      if (e.sessionId !== sessionId) return;
      const reply = JSON.parse(e.message) as { id?: number; result?: unknown };
      if (reply.id !== undefined && reply.result) waiting.get(reply.id)?.(reply.result);
    },
  );
  const call = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = next++;
      waiting.set(id, (result) => {
        waiting.delete(id);
        resolve(result as T);
      });
      void session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  const sample = () => call<HeapUsage>('Runtime.getHeapUsage');
  // What the last load left for the collector is not this load's: the baseline is taken after a full GC.
  await call('HeapProfiler.collectGarbage');
  const start = await sample();
  let peakUsed = start.usedSize;
  let peakBacking = start.backingStorageSize ?? 0;
  let samples = 1;
  let running = true;
  const loop = (async () => {
    while (running) {
      const usage = await sample();
      samples++;
      peakUsed = Math.max(peakUsed, usage.usedSize);
      peakBacking = Math.max(peakBacking, usage.backingStorageSize ?? 0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await session.detach();
      return { peakUsed, startUsed: start.usedSize, peakBacking, startBacking: start.backingStorageSize ?? 0, samples };
    },
  };
}
