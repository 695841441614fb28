import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../../src/client/default-settings';
import { executeQuery } from '../../../src/engine/executor';
import { resolveOptions } from '../../../src/engine/resolve-options';
import { testConnection } from '../../support/test-connection';
import { batchEndpoint, describeBatchEndpoint, requireBatchEndpoint } from '../../../src/llm/batch-endpoint';
import type { EngineSettings } from '../../../src/protocol/settings';
import { DEFAULT_OPTIONS } from '../../../src/sql';

const APP = 'https://semsql.example';
const anthropic = (baseURL: string, batchBaseURL: string): EngineSettings => ({
  ...DEFAULT_ENGINE_SETTINGS,
  provider: 'anthropic',
  anthropic: { ...DEFAULT_ENGINE_SETTINGS.anthropic, baseURL, batchBaseURL },
});

describe('batchEndpoint: where Message Batches go', () => {
  it('the mock model needs none', () => {
    expect(batchEndpoint({ ...DEFAULT_ENGINE_SETTINGS, provider: 'mock' }, APP)).toEqual({ kind: 'mock' });
    expect(() => requireBatchEndpoint({ ...DEFAULT_ENGINE_SETTINGS, provider: 'mock' }, APP)).not.toThrow();
  });

  it('the batch endpoint when one is set, whatever the model endpoint', () => {
    expect(batchEndpoint(anthropic('', 'http://127.0.0.1:8787/'), APP)).toEqual({ kind: 'batch-endpoint', url: 'http://127.0.0.1:8787' });
    expect(batchEndpoint(anthropic('http://localhost:11434', ' https://batches.example.workers.dev '), APP)).toEqual({
      kind: 'batch-endpoint',
      url: 'https://batches.example.workers.dev',
    });
  });

  it("with none set, a custom model endpoint (a local server, a gateway of the user's) takes the batches too", () => {
    expect(batchEndpoint(anthropic('http://localhost:11434', ''), APP)).toEqual({ kind: 'model-endpoint', url: 'http://localhost:11434' });
  });

  it('never the public API, which refuses browsers on the batch paths, however it is named', () => {
    for (const settings of [
      anthropic('', ''),
      anthropic('https://api.anthropic.com', ''),
      anthropic('https://API.anthropic.com/', ''),
      anthropic('http://localhost:11434', 'https://api.anthropic.com'),
    ]) {
      const endpoint = batchEndpoint(settings, APP);
      expect(endpoint.kind).toBe('none');
      expect(() => requireBatchEndpoint(settings, APP)).toThrow(/need a batch endpoint.*docs\/batch-proxy\.md/);
    }
  });

  it("the refusal says why, what to run with this page's origin, and where to read more", () => {
    expect(() => requireBatchEndpoint(anthropic('', ''), APP)).toThrow(
      'Message Batches (-- @ mode: batch) need a batch endpoint: https://api.anthropic.com refuses batch requests from a browser (its /v1/messages/batches answers no CORS preflight). ' +
        'Run the batch proxy (npm run batch-proxy -- --port 8787 --origin https://semsql.example) and set Settings → Message Batches endpoint to its URL (http://127.0.0.1:8787); see docs/batch-proxy.md. Nothing was sent.',
    );
    expect(batchEndpoint(anthropic('', ''), APP)).toMatchObject({ kind: 'none', message: expect.stringMatching(/docs\/batch-proxy\.md\.$/) });
    // Without a page (Node), a placeholder origin.
    const elsewhere = batchEndpoint(anthropic('', ''), undefined);
    expect(elsewhere.kind === 'none' && elsewhere.message).toContain('--origin https://your.app.origin');
  });

  it("EXPLAIN's line names the endpoint and where it came from", () => {
    expect(describeBatchEndpoint(batchEndpoint(anthropic('', 'http://127.0.0.1:8787'), APP))).toBe(
      'http://127.0.0.1:8787 (the Message Batches endpoint in Settings)',
    );
    expect(describeBatchEndpoint(batchEndpoint(anthropic('http://localhost:11434', ''), APP))).toBe(
      "http://localhost:11434 (the model's endpoint; no Message Batches endpoint is set)",
    );
    expect(describeBatchEndpoint({ kind: 'mock' })).toBe('the mock model (nothing leaves this browser)');
    expect(describeBatchEndpoint(batchEndpoint(anthropic('', ''), APP))).toMatch(/^none: Message Batches .* need a batch endpoint/);
  });
});

describe('executeQuery in batch mode with nowhere to send batches', () => {
  it('fails before the first pass: no SQL run, no session opened', async () => {
    const touched: string[] = [];
    const never = (what: string) => () => {
      touched.push(what);
      throw new Error(`${what} must not be reached`);
    };
    const settings = anthropic('', '');
    const deps = {
      db: { exclusive: never('db'), rowCount: () => 0, hiddenOperatorCalls: () => 0 },
      cache: { get: never('cache') },
      // The provider connection refuses the session before any is opened.
      connection: testConnection({ call: never('model'), inFlight: () => 0 }, settings),
      registry: {},
      log: { call: never('log'), query: never('log') },
    } as unknown as Parameters<typeof executeQuery>[0];
    const options = resolveOptions({ ...DEFAULT_OPTIONS, instructions: [], mode: 'batch' }, settings, 'SELECT 1');
    await expect(
      executeQuery(deps, { queryId: 'q', statement: { sql: 'SELECT 1', effect: { kind: 'read' } }, options, signal: new AbortController().signal }),
    ).rejects.toThrow(/need a batch endpoint/);
    expect(touched).toEqual([]);
  });
});
