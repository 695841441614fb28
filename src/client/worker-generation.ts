import * as Comlink from 'comlink';
import type { DuckDbWorkerApi, EngineInfo, StorageScope } from '../protocol/duckdb-worker-api';
import { ON_DEVICE_MODEL_PATH, type EmbedderWorkerApi } from '../protocol/embedder';
import type { LlmWorkerConnect } from '../protocol/llm-worker-api';
import type { EngineSettings } from '../protocol/settings';

/** One generation of workers: replaced as a whole when the engine crashes. */
export interface Workers {
  worker: Worker;
  modelWorkers: Worker[];
  api: Comlink.Remote<DuckDbWorkerApi>;
  /** The on-device embeddings worker, started with the model workers (it loads its model on the first text). */
  embedder: { worker: Worker; api: Comlink.Remote<EmbedderWorkerApi> } | null;
  info: EngineInfo;
  /** Settles when this generation dies; calls in flight race against it. */
  died: Promise<Error>;
  dead: Error | null;
  /** The model workers' attachment, once started (modelsOf): queries and EXPLAIN wait for it. */
  models: Promise<void> | null;
  /** Turns a worker's death into this generation's death. */
  watch: (worker: Worker, which: string) => void;
}

/** Starts a generation: the DuckDB worker, opened with the settings and whose state it uses. */
export async function startWorkers(settings: EngineSettings, scope: StorageScope): Promise<Workers> {
  const worker = new Worker(new URL('../../workers/duckdb.worker.ts', import.meta.url), { type: 'module', name: 'semsql-duckdb' });
  const api = Comlink.wrap<DuckDbWorkerApi>(worker);
  const workers: Omit<Workers, 'info'> = {
    worker,
    modelWorkers: [],
    api,
    embedder: null,
    dead: null,
    died: Promise.resolve(new Error()),
    models: null,
    watch: () => {},
  };
  let died: (error: Error) => void = () => {};
  workers.died = new Promise<Error>((resolve) => (died = resolve));
  workers.watch = (w: Worker, which: string) =>
    w.addEventListener('error', (event) => {
      workers.dead ??= new Error(`${which} failed: ${event.message || 'it stopped unexpectedly'}`);
      died(workers.dead);
    });
  workers.watch(worker, 'the DuckDB worker');
  // A worker whose script cannot be fetched (offline, without the service worker) may never
  // report; the boot gives up after a while instead of hanging every later call.
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the query engine did not start within 60 s')), 60_000));
  const info = await Promise.race([raceDeath(workers, api.open(settings, scope)), timeout]);
  return { ...workers, info };
}

/**
 * The model workers of a generation, started on first need (a query, EXPLAIN, `prepareModels`),
 * once: started with DuckDB, they competed for the cores with its boot and the first data load
 * (bench case startup, 2 cores: ~130 ms more to load the sample), and plain SQL never needs them.
 */
export function modelsOf(workers: Workers, count: number): Promise<void> {
  if (workers.models) return workers.models;
  const embedder = embedderOf(workers);
  const ports: MessagePort[] = [];
  for (let i = 0; i < count; i++) {
    const modelWorker = new Worker(new URL('../../workers/llm.worker.ts', import.meta.url), { type: 'module', name: `semsql-model-${i + 1}` });
    const channel = new MessageChannel();
    const toEmbedder = new MessageChannel();
    embedder.worker.postMessage({ embedder: toEmbedder.port1 }, [toEmbedder.port1]);
    const connect: LlmWorkerConnect = { connect: channel.port2, embedder: toEmbedder.port2 };
    modelWorker.postMessage(connect, [channel.port2, toEmbedder.port2]);
    workers.watch(modelWorker, `model worker ${i + 1}`);
    workers.modelWorkers.push(modelWorker);
    ports.push(channel.port1);
  }
  workers.models = raceDeath(workers, workers.api.attachModelWorkers(Comlink.transfer(ports, ports)));
  return workers.models;
}

/**
 * The generation's embeddings worker, started once: every model worker reaches it, so the model is
 * loaded once whatever their number. Its model files are the app's own, beside its pages.
 */
export function embedderOf(workers: Pick<Workers, 'embedder' | 'watch'>): NonNullable<Workers['embedder']> {
  if (workers.embedder) return workers.embedder;
  const worker = new Worker(new URL('../../workers/embedder.worker.ts', import.meta.url), { type: 'module', name: 'semsql-embeddings' });
  workers.watch(worker, 'the embeddings worker');
  const api = Comlink.wrap<EmbedderWorkerApi>(worker);
  void api.init(new URL(ON_DEVICE_MODEL_PATH, globalThis.document?.baseURI ?? globalThis.location.href).href);
  workers.embedder = { worker, api };
  return workers.embedder;
}

/** A call that fails when its worker dies, instead of never settling (Comlink's behaviour). */
export function raceDeath<T>(workers: Pick<Workers, 'died'>, call: Promise<T>): Promise<T> {
  return Promise.race([call, workers.died.then((error) => Promise.reject(error))]);
}
