import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** scripts/batch-proxy.mjs, the file a user runs. */
export const BATCH_PROXY_SCRIPT = resolve(import.meta.dirname, '../../scripts/batch-proxy.mjs');

export interface RunningBatchProxy {
  /** http://127.0.0.1:PORT, to use as the batch endpoint. */
  url: string;
  /** Every line it wrote to stdout and stderr so far. */
  readonly logs: readonly string[];
  close(): Promise<void>;
}

/**
 * Runs the batch proxy as a user would, `node scripts/batch-proxy.mjs --port 0 --origin … --upstream …`,
 * in a process of its own, and resolves once it listens (on a port the system chose).
 */
export async function startBatchProxy(options: { origins: readonly string[]; upstream: string }): Promise<RunningBatchProxy> {
  const args = [BATCH_PROXY_SCRIPT, '--port', '0', '--upstream', options.upstream, ...options.origins.flatMap((o) => ['--origin', o])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  // 'close', not 'exit': by then every line it wrote has been read.
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        const listening = /listening on (http:\/\/\S+)/.exec(line);
        if (listening?.[1]) done(listening[1]);
      });
    }
    void exited.then((code) => fail(new Error(`the batch proxy exited (${code}) before listening: ${logs.join(' | ')}`)));
  });
  return {
    url,
    logs,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
