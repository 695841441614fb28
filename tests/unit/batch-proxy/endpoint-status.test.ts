import { createServer } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../../src/client/default-settings';
import { checkBatchEndpoint } from '../../../src/client/batch-endpoint-status';
import type { EngineSettings } from '../../../src/protocol/settings';
import { startBatchProxy } from '../../support/batch-proxy';
import { startFakeMessagesApi } from '../../support/fake-messages-api';

/** Settings' status line (src/client/batch-endpoint-status.ts) against the real proxy script. */
const APP = 'http://127.0.0.1:4173';
const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

const anthropic = (baseURL: string, batchBaseURL: string): EngineSettings => ({
  ...DEFAULT_ENGINE_SETTINGS,
  provider: 'anthropic',
  anthropic: { ...DEFAULT_ENGINE_SETTINGS.anthropic, baseURL, batchBaseURL },
});

/** A page's fetch: Node's does not send an Origin, a browser's does. */
const pageFetch =
  (origin: string): typeof fetch =>
  (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), origin } });

test('a running proxy: reachable, and whether it allows this page; a key is never sent', async () => {
  const fake = await startFakeMessagesApi({ respond: () => ({ kind: 'answer', value: true }) });
  running.push(fake);
  const proxy = await startBatchProxy({ origins: [APP], upstream: fake.url });
  running.push(proxy);
  let sent: RequestInit | undefined;
  const spy: typeof fetch = (input, init) => ((sent = init), pageFetch(APP)(input, init));
  const ready = await checkBatchEndpoint(anthropic('', proxy.url), { pageOrigin: APP, fetch: spy });
  expect(ready).toEqual({
    state: 'ready',
    endpoint: proxy.url,
    proxy: { origins: [APP], upstream: fake.url },
    message: `The batch proxy at ${proxy.url} is reachable: it allows this page (${APP}) and forwards batches to ${fake.url}.`,
  });
  expect(new Headers(sent?.headers).has('authorization')).toBe(false);
  expect(new Headers(sent?.headers).has('x-api-key')).toBe(false);
  const other = 'https://semsql.example';
  const refused = await checkBatchEndpoint(anthropic('', proxy.url), { pageOrigin: other, fetch: pageFetch(other) });
  expect(refused).toMatchObject({
    state: 'refused',
    message: `The batch proxy at ${proxy.url} is reachable but allows only ${APP}, not this page (${other}): restart it with --origin ${other}.`,
  });
  expect(fake.requests).toHaveLength(0);
});

test('nothing listening, an endpoint that is not the proxy, the mock, the public API', async () => {
  const port = await freePort();
  const down = await checkBatchEndpoint(anthropic('', `http://127.0.0.1:${port}`), { pageOrigin: APP, fetch: pageFetch(APP) });
  expect(down).toMatchObject({ state: 'unreachable', message: expect.stringContaining(`Start it with: npm run batch-proxy -- --port 8787 --origin ${APP}.`) });
  expect(down.message).not.toContain('Content-Security-Policy');
  const far = await checkBatchEndpoint(anthropic('', 'https://proxy.example'), {
    pageOrigin: APP,
    fetch: () => Promise.reject(new TypeError('Failed to fetch')),
  });
  expect(far.message).toContain('Content-Security-Policy');

  const fake = await startFakeMessagesApi({ respond: () => ({ kind: 'error', status: 404 }) });
  running.push(fake);
  expect(await checkBatchEndpoint(anthropic(fake.url, ''), { pageOrigin: APP, fetch: pageFetch(APP) })).toMatchObject({
    state: 'unknown',
    endpoint: fake.url,
    message: expect.stringContaining("the model's endpoint"),
  });

  expect(await checkBatchEndpoint({ ...DEFAULT_ENGINE_SETTINGS, provider: 'mock' }, { pageOrigin: APP })).toMatchObject({ state: 'mock' });
  expect(await checkBatchEndpoint(anthropic('', ''), { pageOrigin: APP })).toMatchObject({
    state: 'none',
    message: expect.stringContaining('docs/batch-proxy.md'),
  });
});

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
