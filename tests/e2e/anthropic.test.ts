import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Request, Worker } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, statusOf, type FakeMessagesApi, type FakeRequest, type Reply } from '../support/fake-messages-api';
import { instructionsOf, rowsOf, type PromptRow } from '../support/prompt-data';
import { useApp } from './support/app-fixture';
import { openApp } from './support/browser';
import { runAndWait, setSql } from './support/workbench';

/**
 * Issue 5: the Anthropic provider end to end. The built app in Chromium calls a fake Messages API
 * that this file serves on 127.0.0.1, through the real @anthropic-ai/sdk in the model workers. The
 * fake answers by reading the request (the forced `answer` tool and the prompt), or by a script of
 * failures; what it saw is compared with what the app returned and logged.
 */

const app = useApp();
const KEY_SECRET = randomBytes(24).toString('hex');
const KEY = `sk-ant-test-${KEY_SECRET}`;
const MODEL = 'claude-haiku-4-5';
/** The client's per-attempt timeout in these tests. */
const TIMEOUT_MS = 1_500;
const REVIEWS_CSV = readFileSync(resolve(import.meta.dirname, 'fixtures/anthropic/reviews.csv'), 'utf8');

const servers: FakeMessagesApi[] = [];

// ---------------------------------------------------------------------------------------------
// What the page and its workers post and log: recorded in each realm, searched for the key later.
// A string, not a function: it runs as written in the page (init script) and in each worker.
// ---------------------------------------------------------------------------------------------
const RECORDER = `(() => {
  const g = globalThis;
  if (g.__semsqlRecorder) return;
  const seen = [];
  g.__semsqlRecorder = seen;
  const latin1 = new TextDecoder('latin1');
  const dump = (value) => {
    const parts = [];
    const visited = new WeakSet();
    const walk = (v, depth) => {
      if (v === null || v === undefined) return;
      const t = typeof v;
      if (t === 'string') { parts.push(v); return; }
      if (t === 'number' || t === 'boolean' || t === 'bigint') { parts.push(String(v)); return; }
      if (t !== 'object' || depth > 50 || visited.has(v)) return;
      visited.add(v);
      if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)) {
        parts.push(latin1.decode(new Uint8Array(v, 0, Math.min(v.byteLength, 16 << 20)))); return;
      }
      if (ArrayBuffer.isView(v)) {
        parts.push(latin1.decode(new Uint8Array(v.buffer, v.byteOffset, Math.min(v.byteLength, 16 << 20)))); return;
      }
      if (typeof MessagePort !== 'undefined' && v instanceof MessagePort) return;
      if (v instanceof Error) parts.push(v.name, v.message, String(v.stack));
      if (v instanceof Map) { for (const [k, x] of v) { walk(k, depth + 1); walk(x, depth + 1); } return; }
      if (v instanceof Set) { for (const x of v) walk(x, depth + 1); return; }
      for (const k of Object.keys(v)) { parts.push(k); walk(v[k], depth + 1); }
    };
    walk(value, 0);
    return parts.join(' ');
  };
  const record = (channel, value) => {
    try { seen.push(channel + ': ' + dump(value)); } catch (e) { seen.push(channel + ': [not recorded: ' + e + ']'); }
  };
  const wrapProto = (proto, channel) => {
    if (!proto || typeof proto.postMessage !== 'function') return;
    const original = proto.postMessage;
    proto.postMessage = function (message, ...rest) { record(channel, message); return original.call(this, message, ...rest); };
  };
  if (typeof MessagePort !== 'undefined') wrapProto(MessagePort.prototype, 'MessagePort.postMessage');
  if (typeof Worker !== 'undefined') wrapProto(Worker.prototype, 'Worker.postMessage');
  if (typeof BroadcastChannel !== 'undefined') wrapProto(BroadcastChannel.prototype, 'BroadcastChannel.postMessage');
  if (typeof g.postMessage === 'function') {
    const original = g.postMessage;
    g.postMessage = function (message, ...rest) { record('self.postMessage', message); return original.call(this, message, ...rest); };
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    const original = console[level];
    console[level] = function (...args) { record('console.' + level, args); return original.apply(this, args); };
  }
  return seen.length;
})()`;
const HARVEST = `(globalThis.__semsqlRecorder || []).join('\\n')`;

/** Everything the page and its workers did that could carry the key, besides the request header. */
const observed = {
  workers: [] as Worker[],
  workerConsole: [] as string[],
  requests: [] as Promise<{ url: string; text: string; apiKey: string | undefined }>[],
};

function hookWorker(worker: Worker): void {
  observed.workers.push(worker);
  worker.on('console', (msg) => observed.workerConsole.push(`[${worker.url()}] ${msg.text()}`));
  void worker.evaluate(RECORDER).catch(() => undefined);
}

function recordRequest(request: Request): void {
  observed.requests.push(
    request.allHeaders().then(
      (headers) => {
        const { 'x-api-key': xApiKey, authorization, ...rest } = headers;
        return {
          url: request.url(),
          apiKey: keyHeader({ 'x-api-key': xApiKey, authorization }),
          text: `${request.method()} ${request.url()}\n${JSON.stringify(rest)}\n${request.postData() ?? ''}`,
        };
      },
      () => ({ url: request.url(), apiKey: undefined, text: `${request.method()} ${request.url()}\n${request.postData() ?? ''}` }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The fake model: answers by reading the request, as a model would read its prompt.
// ---------------------------------------------------------------------------------------------
interface Body {
  model?: unknown;
  max_tokens?: unknown;
  messages?: { role?: unknown; content?: unknown }[];
  tools?: { name?: unknown; input_schema?: { properties?: { answers?: { items?: { properties?: { value?: Record<string, unknown> } } } } } }[];
  tool_choice?: unknown;
}

type Op = 'matches' | 'score' | 'aligns' | 'sentiment' | 'ask' | 'extracts' | 'summarize';

/** The key as sent: this SDK sends `Authorization: Bearer <key>`; older ones sent `x-api-key`. */
function keyHeader(headers: Record<string, string | undefined>): string | undefined {
  return headers['x-api-key'] ?? headers['authorization']?.replace(/^Bearer /, '');
}

const promptOf = (request: FakeRequest): string => {
  const content = (request.body as Body | undefined)?.messages?.[0]?.content;
  return typeof content === 'string' ? content : '';
};
const complaint = (text: string) => /broke|refund|never arrived|late|burns|cracked/i.test(text);
const firstWord = (text: string) => text.split(/\s+/)[0] ?? '';

/** What the fake model answers for each operator; the same rules give the expected rows. */
const RULES = {
  matches: (text: string) => complaint(text),
  score: (text: string) => (text.length % 10) / 10,
  aligns: (text: string) => (text.includes('overflow probe') ? 1.5 : ((text.length * 7) % 11) / 10),
  sentiment: (text: string) => (complaint(text) ? -0.5 : 0.75),
  ask: (text: string, question: string) => `${question} -> ${firstWord(text)}`,
  extracts: (text: string) => /order (\d+)/.exec(text)?.[1] ?? null,
  summarize: (texts: string[]) => `${texts.length} texts: ${texts.map(firstWord).sort().join(', ')}`,
} as const;

/** The operator's answer schema, as the forced tool must carry it. */
const SCHEMAS: Record<Op, Record<string, unknown>> = {
  matches: { type: 'boolean' },
  score: { type: 'number', minimum: 0, maximum: 1 },
  aligns: { type: 'number', minimum: 0, maximum: 1 },
  sentiment: { type: 'number', minimum: -1, maximum: 1 },
  ask: { type: 'string' },
  extracts: { type: ['string', 'null'] },
  summarize: { type: 'string' },
};

function opOf(instructions: string): Op | null {
  if (instructions.startsWith('Does {text} match {criterion}?')) return 'matches';
  if (instructions.startsWith('How relevant is {text} to {topic}')) return 'score';
  if (instructions.startsWith('How far does {text} agree with {statement}')) return 'aligns';
  if (instructions.startsWith('Rate the sentiment of {text}')) return 'sentiment';
  if (instructions.startsWith('Extract what {what} describes from {text}')) return 'extracts';
  if (instructions.startsWith('Summarize the texts in {values}')) return 'summarize';
  if (instructions.startsWith('Answer the question in {prompt} about {text}')) return 'ask';
  return null;
}

/** The fake model's answer to one row of a request. */
function rowAnswer(op: Op | null, row: PromptRow): unknown {
  const text = typeof row['text'] === 'string' ? row['text'] : '';
  switch (op) {
    case 'matches':
    case 'score':
    case 'aligns':
    case 'sentiment':
    case 'extracts':
      return RULES[op](text);
    case 'ask':
      return RULES.ask(text, String(row['prompt']));
    case 'summarize':
      return RULES.summarize(Array.isArray(row['values']) ? row['values'].map(String) : []);
    default:
      return null;
  }
}

/** The fake model's answer to a request (a value per row id), and anything in the request that breaks the contract. */
function modelAnswer(request: FakeRequest): { value: (id: string) => unknown; problems: string[] } {
  const body = request.body as Body | undefined;
  const op = opOf(instructionsOf(body));
  const rows = new Map(rowsOf(body).map((row) => [row.id, row]));
  const problems: string[] = [];
  if (request.method !== 'POST' || request.path !== '/v1/messages') problems.push(`request to ${request.method} ${request.path}`);
  if (keyHeader(request.headers) !== KEY)
    problems.push(`the request does not carry the key that was set (headers: ${Object.keys(request.headers).join(', ')})`);
  if (!request.headers['anthropic-version']) problems.push('no anthropic-version header');
  if (body?.model !== MODEL) problems.push(`model ${String(body?.model)}`);
  if (typeof body?.max_tokens !== 'number') problems.push('no max_tokens');
  if (JSON.stringify(body?.tool_choice) !== JSON.stringify({ type: 'tool', name: 'answer', disable_parallel_tool_use: true }))
    problems.push(`tool_choice ${JSON.stringify(body?.tool_choice)}`);
  const tool = body?.tools?.find((t) => t.name === 'answer');
  const schema = tool?.input_schema?.properties?.answers?.items?.properties?.value;
  if (!op) problems.push(`unknown instructions ${JSON.stringify(instructionsOf(body).slice(0, 80))}`);
  else if (JSON.stringify(schema) !== JSON.stringify(SCHEMAS[op])) problems.push(`${op}: answer schema ${JSON.stringify(schema)}`);
  if (rows.size === 0) problems.push('no rows in the data block');
  return { value: (id) => rowAnswer(op, rows.get(id) ?? { id }), problems };
}

/** A server whose every answer comes from the fake model, with contract problems collected. */
async function modelServer(): Promise<{ fake: FakeMessagesApi; problems: string[] }> {
  const problems: string[] = [];
  const fake = await startFakeMessagesApi({
    respond(request) {
      const answer = modelAnswer(request);
      problems.push(...answer.problems.map((p) => `#${request.n}: ${p}`));
      return { kind: 'answer', value: answer.value, delayMs: 10 };
    },
  });
  servers.push(fake);
  return { fake, problems };
}

// ---------------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------------
interface TestGlobals {
  __pending?: Promise<{ outcome: string; message: string }>;
  __controller?: AbortController;
}

async function useProvider(baseURL: string): Promise<void> {
  await app().page.evaluate(
    async ({ key, model, url, timeoutMs }) => {
      await window.semsql!.apiKey.set(key);
      // One row per request: these tests are about the SDK's contract per input (rows per request: rows-per-call.test.ts).
      await window.semsql!.settings.update({ provider: 'anthropic', model, anthropic: { baseURL: url, timeoutMs }, maxAttempts: 4, rowsPerRequest: 1 });
    },
    { key: KEY, model: MODEL, url: baseURL, timeoutMs: TIMEOUT_MS },
  );
}

async function query(sql: string) {
  return app().page.evaluate((q) => window.semsql!.query(q), sql);
}

async function queryError(sql: string): Promise<{ message: string; ms: number }> {
  return app().page.evaluate(async (q) => {
    const started = performance.now();
    const message = await window.semsql!.query(q).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    return { message, ms: performance.now() - started };
  }, sql);
}

async function callLog(queryId: string) {
  return (await app().page.evaluate((id) => window.semsql!.callLog(id), queryId)).calls;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  const { page, browser, server } = app();
  // Reopen the app with the recorder in the page and in every worker it starts.
  page.on('worker', hookWorker);
  browser.context.on('request', recordRequest);
  await page.addInitScript({ content: RECORDER });
  await openApp(page, server.url);
  for (const worker of page.workers()) if (!observed.workers.includes(worker)) hookWorker(worker);
  await page.evaluate((csv) => window.semsql!.load(csv, { table: 'reviews' }), REVIEWS_CSV);
});

beforeEach(async () => {
  await app().page.evaluate(() => window.semsql!.cache.clear());
});

afterAll(async () => {
  await app()
    .page.evaluate(async () => {
      await window.semsql!.settings.update({ provider: 'mock', model: 'mock-1', anthropic: { baseURL: '', timeoutMs: 60_000 }, rowsPerRequest: 'auto' });
      await window.semsql!.apiKey.forget();
    })
    .catch(() => undefined);
  await Promise.all(servers.map((s) => s.close()));
});

describe('answers through the real SDK, parsed from the forced tool call', () => {
  const reviews = REVIEWS_CSV.trim()
    .split('\n')
    .slice(1)
    .map((row) => {
      const m = /^(\d+),(\w+),(?:"(.*)"|(.*))$/.exec(row) as RegExpExecArray;
      return { id: Number(m[1]), author: m[2] as string, text: (m[3] ?? m[4]) as string };
    });

  it('gives BOOLEAN, DOUBLE (with range) and VARCHAR values in the right rows', async () => {
    const { fake, problems } = await modelServer();
    await useProvider(fake.url);
    const out = await query(`-- @ parallel: 4
      SELECT id::INTEGER AS id,
        text MEANS 'a complaint' AS complaint,
        text ABOUT 'shipping' AS shipping,
        text ALIGNS 'the product is good value' AS value_score,
        sentiment(text) AS mood,
        text ASK 'what product is this about?' AS product,
        text EXTRACTS 'the order number' AS order_no
      FROM reviews ORDER BY id`);
    expect(problems).toEqual([]);
    expect(out.columns.slice(1).map((c) => c.type)).toEqual(['BOOLEAN', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'VARCHAR', 'VARCHAR']);
    expect(out.rows).toEqual(
      reviews.map((r) => [
        r.id,
        RULES.matches(r.text),
        RULES.score(r.text),
        RULES.aligns(r.text),
        RULES.sentiment(r.text),
        RULES.ask(r.text, 'what product is this about?'),
        RULES.extracts(r.text),
      ]),
    );
    // Both signs of a [-1, 1] score and both a string and a null from the nullable schema.
    expect(out.rows.map((r) => r[4])).toEqual(expect.arrayContaining([-0.5, 0.75]));
    expect(out.rows.map((r) => r[6])).toEqual(expect.arrayContaining([null, '4417']));
    // One request per distinct input, each answered once; usage is counted from the replies.
    expect(fake.requests).toHaveLength(60);
    expect(new Set(fake.requests.map(promptOf)).size).toBe(60);
    expect(out.stats).toMatchObject({ calls: 60, errors: 0, attempts: 60, input_tokens: 600, output_tokens: 300 });
    expect(out.stats.cost_usd).toBeGreaterThan(0);
    expect(fake.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('gives an aggregate (summarize over GROUP BY) from one call per group', async () => {
    const { fake, problems } = await modelServer();
    await useProvider(fake.url);
    const out = await query('SELECT author, summarize(text) AS summary FROM reviews GROUP BY author ORDER BY author');
    expect(problems).toEqual([]);
    const authors = [...new Set(reviews.map((r) => r.author))].sort();
    expect(out.rows).toEqual(authors.map((a) => [a, RULES.summarize(reviews.filter((r) => r.author === a).map((r) => r.text))]));
    expect(fake.requests).toHaveLength(3);
  });

  it('turns a score outside its range into a logged row-level error, not a value', async () => {
    const { fake } = await modelServer();
    await useProvider(fake.url);
    const out = await query("SELECT t, t ALIGNS 'the product is good value' AS s FROM (VALUES ('overflow probe one'), ('a fine kettle')) v(t) ORDER BY t");
    expect(out.rows).toEqual([
      ['a fine kettle', RULES.aligns('a fine kettle')],
      ['overflow probe one', null],
    ]);
    expect(out.stats.errors).toBe(1);
    const errors = (await callLog(out.queryId)).filter((c) => c.status === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ attempts: 1, error: expect.stringMatching(/expected a number from 0 to 1, got 1\.5/) });
    expect(fake.requests).toHaveLength(2); // a malformed answer is not retried
  });
});

describe('a 500-row query against a scripted, failing server', () => {
  const PARALLEL = 5;
  /** Requests with these numbers all get 429: the burst. Before it, no 429 at all. */
  const BURST = { first: 121, last: 140 };

  type Fate =
    'fine' | 'overloaded-once' | 'server-once' | 'slow-once' | 'slow-body-once' | 'out-of-range' | 'no-tool' | 'truncated' | 'always-500' | 'rate-limited-once';
  const fateOf = (h: number): Fate =>
    h < 5
      ? 'overloaded-once'
      : h < 10
        ? 'server-once'
        : h < 13
          ? 'slow-once'
          : h < 14
            ? 'slow-body-once'
            : h < 15
              ? 'out-of-range'
              : h < 16
                ? 'no-tool'
                : h < 17
                  ? 'truncated'
                  : h < 18
                    ? 'always-500'
                    : h < 48
                      ? 'rate-limited-once'
                      : 'fine';
  const FAILS: ReadonlySet<Fate> = new Set(['out-of-range', 'no-tool', 'truncated', 'always-500']);

  function fnv(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }
  const idOf = (prompt: string) => Number(/chaos row (\d+)\b/.exec(prompt)?.[1] ?? -1);
  const valueOf = (id: number) => (id % 11) / 10;

  function script(): (request: FakeRequest, n: number) => Reply {
    const attempts = new Map<string, number>();
    return (request, n): Reply => {
      const prompt = promptOf(request);
      const attempt = (attempts.get(prompt) ?? 0) + 1;
      attempts.set(prompt, attempt);
      const h = fnv(prompt) % 100;
      const delayMs = 15 + ((h * 7) % 40);
      if (n >= BURST.first && n <= BURST.last && attempt === 1) return { kind: 'error', status: 429, headers: { 'retry-after': '0.3' }, delayMs: 5 };
      const answer: Reply = { kind: 'answer', value: valueOf(idOf(prompt)), delayMs };
      switch (fateOf(h)) {
        case 'overloaded-once':
          return attempt === 1 ? { kind: 'error', status: 529, delayMs } : answer;
        case 'server-once':
          return attempt === 1 ? { kind: 'error', status: 500, delayMs } : answer;
        case 'slow-once':
          return attempt === 1 ? { ...answer, delayMs: 2_500 } : answer;
        case 'slow-body-once':
          return attempt === 1 ? { ...answer, bodyDelayMs: 2_500 } : answer;
        case 'out-of-range':
          return { kind: 'answer', value: 1.7, delayMs };
        case 'no-tool':
          return {
            kind: 'json',
            delayMs,
            body: {
              id: 'msg_x',
              type: 'message',
              role: 'assistant',
              model: MODEL,
              content: [{ type: 'text', text: 'I think 0.4' }],
              stop_reason: 'end_turn',
              stop_sequence: null,
              usage: { input_tokens: 10, output_tokens: 4 },
            },
          };
        case 'truncated':
          return { kind: 'raw', delayMs, body: '{"id":"msg_x","type":"message","content":[{"type":"tool_use","name":"ans' };
        case 'always-500':
          return { kind: 'error', status: 500, delayMs };
        case 'rate-limited-once':
          return attempt === 1 && n > BURST.last
            ? { kind: 'error', status: 429, headers: { 'retry-after-ms': '100', 'retry-after': '1' }, delayMs: 5 }
            : answer;
        case 'fine':
          return answer;
      }
    };
  }

  it('completes: every row a value or a logged error, nothing billed twice, attempts counted, concurrency bounded and lowered by 429s', async () => {
    const fake = await startFakeMessagesApi({ respond: script(), clientTimeoutMs: TIMEOUT_MS });
    servers.push(fake);
    await useProvider(fake.url);
    const started = Date.now();
    // The budget counts every request, retries included (issue 13): the storm makes about 700.
    const out = await query(`-- @ parallel: ${PARALLEL}
-- @ budget: 2000
SELECT range::INTEGER AS id, ('chaos row ' || range || ' of the stress table') ALIGNS 'the row is fine' AS v FROM range(500) ORDER BY id`);
    const wallMs = Date.now() - started;
    await sleep(100); // let the server see the last sockets close
    const requests = fake.requests;
    if (process.env['CHAOS_DEBUG']) {
      const t0 = requests[0]?.arrivedAt ?? 0;
      const buckets = new Map<number, { n: number; max: number; e429: number }>();
      for (const r of requests) {
        const b = Math.floor((r.arrivedAt - t0) / 500);
        const x = buckets.get(b) ?? { n: 0, max: 0, e429: 0 };
        x.n++;
        x.max = Math.max(x.max, r.inFlightAtArrival);
        if (r.reply && statusOf(r.reply) === 429) x.e429++;
        buckets.set(b, x);
      }
      console.info(wallMs, [...buckets.entries()].map(([b, x]) => `${b / 2}s n=${x.n} max=${x.max} 429=${x.e429}`).join('\n'));
    }

    // Per distinct input, as the server saw it.
    const byPrompt = new Map<string, FakeRequest[]>();
    for (const r of requests) byPrompt.set(promptOf(r), [...(byPrompt.get(promptOf(r)) ?? []), r]);
    expect(byPrompt.size).toBe(500);
    // Delivered within the client's 1.5 s timeout. Chromium may keep an aborted connection open, so
    // a late reply can still finish into a socket the client gave up on: that one was not received.
    const billed = (r: FakeRequest) =>
      r.reply !== undefined && statusOf(r.reply) === 200 && !r.clientClosed && r.finishedAt !== undefined && r.finishedAt - r.arrivedAt < 1_500;
    for (const [prompt, list] of byPrompt) {
      const answered = list.filter(billed);
      expect(answered.length, `answers for ${prompt}`).toBeLessThanOrEqual(1);
    }

    // Rows: the delivered answer where it fits the schema, NULL where the input failed.
    expect(out.rows).toHaveLength(500);
    const expectedFailures = [...byPrompt.keys()].filter((p) => FAILS.has(fateOf(fnv(p) % 100)));
    expect(expectedFailures.length).toBeGreaterThan(5);
    let nulls = 0;
    for (const [id, v] of out.rows as [number, number | null][]) {
      const prompt = [...byPrompt.keys()].find((p) => idOf(p) === Number(id)) as string;
      const list = byPrompt.get(prompt) ?? [];
      const delivered = list.filter(billed).map((r) => r.reply);
      const value = delivered[0]?.kind === 'answer' ? delivered[0].value : undefined;
      if (FAILS.has(fateOf(fnv(prompt) % 100))) {
        expect(v, `row ${id}`).toBeNull();
        nulls++;
      } else {
        const history = list
          .map((r) => `${r.reply?.kind}:${r.reply ? statusOf(r.reply) : '?'}${r.clientClosed ? ':closed' : ''}${r.finishedAt === undefined ? ':open' : ''}`)
          .join(' ');
        expect(value, `row ${id}: ${history}, row value ${v}`).toBe(valueOf(Number(id)));
        expect(v, `row ${id}`).toBe(value);
      }
    }
    expect(nulls).toBe(expectedFailures.length);

    // The call log: one row per input, an error row per NULL, attempts equal to the server's count.
    const calls = (await callLog(out.queryId)).filter((c) => c.status !== 'cached');
    expect(calls).toHaveLength(500);
    const errors = calls.filter((c) => c.status === 'error');
    expect(calls.filter((c) => c.status === 'ok')).toHaveLength(500 - nulls);
    expect(errors).toHaveLength(nulls);
    for (const e of errors) expect(e.error).toMatch(/^aligns: |model endpoint error 500|not JSON/);
    // Attempts are billed requests: every request but those refused with a 429 (not billed).
    const refused = requests.filter((r) => r.reply?.kind === 'error' && r.reply.status === 429).length;
    expect(refused).toBeGreaterThan(0);
    expect(out.stats).toMatchObject({ calls: 500, errors: nulls, attempts: requests.length - refused, passes: 2 });
    const serverCounts = [...byPrompt.values()].map((l) => l.length).sort((a, b) => a - b);
    expect(calls.map((c) => c.attempts).sort((a, b) => a - b)).toEqual(serverCounts);
    // Inputs that always fail with 500 use every attempt; malformed answers are not retried.
    const always500 = [...byPrompt.entries()].filter(([p]) => fateOf(fnv(p) % 100) === 'always-500');
    for (const [, list] of always500) expect(list).toHaveLength(4);
    for (const [p, list] of byPrompt) if (['out-of-range', 'no-tool', 'truncated'].includes(fateOf(fnv(p) % 100))) expect(list.length).toBeLessThanOrEqual(2);
    // Timed-out attempts were abandoned by the client and tried again. Chromium may keep an aborted
    // connection open, so an abandoned request is one the client closed or one never finished.
    const slow = requests.filter((r) => r.clientClosed || r.finishedAt === undefined || r.finishedAt - r.arrivedAt >= 1_500);
    expect(slow.length).toBeGreaterThan(0);
    for (const r of slow) if (r.finishedAt !== undefined) expect(r.finishedAt - r.arrivedAt).toBeGreaterThan(1_300);

    // retry-after is honoured: the next attempt at an input comes after the wait the 429 asked for.
    for (const list of byPrompt.values()) {
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1] as FakeRequest;
        const wait = prev.reply?.kind === 'error' && prev.reply.status === 429 ? (prev.reply.headers?.['retry-after-ms'] ? 100 : 300) : 0;
        // Only 429s ask for a wait; after a timeout the server may still hold the abandoned request.
        if (wait > 0) expect((list[i] as FakeRequest).arrivedAt - (prev.finishedAt as number)).toBeGreaterThanOrEqual(wait - 15);
      }
    }

    // Concurrency: never above `parallel`, all of it used before the 429 burst, lower right after it.
    expect(fake.maxInFlight).toBeLessThanOrEqual(PARALLEL);
    const firstBurstReply = requests.find((r) => r.n === BURST.first)?.finishedAt as number;
    const before = requests.filter((r) => r.arrivedAt < firstBurstReply);
    const after = requests.filter((r) => r.arrivedAt > firstBurstReply + 100 && r.arrivedAt <= firstBurstReply + 1_100);
    const maxBefore = Math.max(...before.map((r) => r.inFlightAtArrival));
    const maxAfter = Math.max(...after.map((r) => r.inFlightAtArrival));
    expect(after.length).toBeGreaterThan(0);
    expect(maxBefore).toBe(PARALLEL);
    expect(maxAfter).toBeLessThan(maxBefore);

    const count429 = requests.filter((r) => r.reply && statusOf(r.reply) === 429).length;
    console.info(
      `chaos: ${requests.length} requests (${count429} × 429, ${slow.length} timed out), ${nulls} row errors, ` +
        `in flight ≤ ${fake.maxInFlight}, before burst ${maxBefore}, after ${maxAfter}, ${wallMs} ms`,
    );
  });
});

describe('failures that stop or cancel the query', () => {
  it('stops at once on a 401, with a message about the key and no retry storm', async () => {
    const fake = await startFakeMessagesApi({
      // A server that echoes the key it got: the message must still not carry it.
      respond: (request) => ({ kind: 'error', status: 401, message: `invalid credentials: ${keyHeader(request.headers) ?? ''}`, delayMs: 30 }),
    });
    servers.push(fake);
    await useProvider(fake.url);
    const { message } = await queryError("-- @ parallel: 5\nSELECT text MEANS 'unauthorised probe' FROM (SELECT 'auth row ' || range AS text FROM range(40))");
    expect(message).toBe('the model endpoint rejected the API key (401: invalid credentials: [redacted]). Check the Anthropic API key in Settings.');
    // "At once" is shown by what follows (no retry storm); how soon belongs to the benchmarks.
    await sleep(300);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.length).toBeLessThanOrEqual(5);
    const rejected = (await app().page.evaluate(() => window.semsql!.callLog())).calls.filter((c) => c.error?.includes('API key'));
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.length).toBeLessThanOrEqual(5);
    for (const c of rejected) expect(c).toMatchObject({ status: 'error', attempts: 1 });
    for (const c of rejected) expect(c.error).not.toContain(KEY_SECRET);
  });

  it('asks for a key, calling nothing, when none is set', async () => {
    const { fake } = await modelServer();
    await useProvider(fake.url);
    await app().page.evaluate(() => window.semsql!.apiKey.forget());
    const { message } = await queryError("-- @ parallel: 5\nSELECT text MEANS 'keyless probe' FROM (SELECT 'keyless row ' || range AS text FROM range(20))");
    expect(message).toMatch(/^No Anthropic API key: add one in Settings/);
    expect(fake.requests).toHaveLength(0);
  });

  it('stops when cancelled during a retry-after wait, asking nothing more', async () => {
    const fake = await startFakeMessagesApi({ respond: () => ({ kind: 'error', status: 429, headers: { 'retry-after': '30' }, delayMs: 5 }) });
    servers.push(fake);
    await useProvider(fake.url);
    await app().page.evaluate(() => {
      const w = window as unknown as TestGlobals;
      const controller = new AbortController();
      w.__controller = controller;
      w.__pending = window
        .semsql!.query("-- @ parallel: 4\nSELECT text ASK 'who wrote this?' FROM (SELECT 'cancel row ' || range AS text FROM range(8))", {
          signal: controller.signal,
        })
        .then(
          () => ({ outcome: 'finished', message: '' }),
          (e: Error) => ({ outcome: e.name, message: e.message }),
        );
    });
    // Every input has had its 429 and is waiting out the 30 s (a request in backoff holds no
    // lane, so all 8 get their first attempt).
    await until(() => fake.requests.length >= 8 && fake.inFlight === 0, 10_000, 'eight 429s');
    await sleep(200);
    const result = await app().page.evaluate(async () => {
      const w = window as unknown as TestGlobals;
      w.__controller!.abort();
      const settled = await w.__pending!;
      return { ...settled, inFlight: (await window.semsql!.debug.engineStats()).inFlightCalls };
    });
    // Cancelled during the 30 s wait, not after it; `npm run bench -- --case cancel` measures how soon.
    expect(result.outcome).toBe('AbortError');
    expect(result.inFlight).toBe(0);
    const seen = fake.requests.length;
    await sleep(500);
    expect(fake.requests.length).toBe(seen);
    expect(seen).toBe(8);
  });
});

describe('the key stays secret', () => {
  it('appears only in the auth header sent to the provider: not in the URL, DOM, console, posts, call log, storage or exports', async () => {
    const { page, browser } = app();

    // A run through the workbench UI, with its exports, and a rejected key shown as an error there.
    const { fake } = await modelServer();
    await useProvider(fake.url);
    await setSql(page, "SELECT id, text ASK 'what is it?' AS answer FROM reviews ORDER BY id");
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'))).toBe('ok');
    const exported: string[] = [];
    for (const format of ['csv', 'json', 'parquet']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=export-${format}]`)]);
      exported.push(readFileSync((await download.path()) as string).toString('latin1'));
    }
    expect(exported[0]).toContain('what is it? -> The');
    const echo = await startFakeMessagesApi({ respond: (r) => ({ kind: 'error', status: 401, message: `bad key ${keyHeader(r.headers) ?? ''}` }) });
    servers.push(echo);
    await useProvider(echo.url);
    await page.evaluate(() => window.semsql!.cache.clear());
    expect(await runAndWait(page, () => page.keyboard.press('Control+Enter'))).toBe('error');
    expect(await page.locator('body').innerText()).toMatch(/API key/);

    const haystacks: [string, string][] = [];
    haystacks.push(['page URL', page.url()]);
    haystacks.push(['DOM', await page.content()]);
    haystacks.push([
      'DOM text and form values',
      await page.evaluate(() =>
        [document.body.innerText, ...[...document.querySelectorAll('input, textarea')].map((e) => (e as HTMLInputElement).value)].join('\n'),
      ),
    ]);
    haystacks.push([
      'web storage and cookies',
      await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })),
    ]);
    haystacks.push([
      'IndexedDB outside the key store',
      await page.evaluate(async () => {
        const out: string[] = [];
        for (const info of await indexedDB.databases()) {
          if (!info.name || info.name === 'semsql-secrets') continue;
          const db = await new Promise<IDBDatabase>((ok, fail) => {
            const open = indexedDB.open(info.name as string);
            open.onsuccess = () => ok(open.result);
            open.onerror = () => fail(open.error);
          });
          for (const store of [...db.objectStoreNames]) {
            const all = await new Promise<unknown[]>((ok, fail) => {
              const req = db.transaction(store, 'readonly').objectStore(store).getAll();
              req.onsuccess = () => ok(req.result as unknown[]);
              req.onerror = () => fail(req.error);
            });
            out.push(`${info.name}/${store}: ${JSON.stringify(all, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
          }
          db.close();
        }
        return out.join('\n');
      }),
    ]);
    const tables = await page.evaluate(async () => {
      const stringify = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? String(x) : x));
      const calls = await window.semsql!.query('SELECT * FROM semantic_calls');
      const queries = await window.semsql!.query('SELECT * FROM semantic_queries');
      return { calls: stringify(calls.rows), queries: stringify(queries.rows), api: stringify(await window.semsql!.callLog()), callRows: calls.rows.length };
    });
    expect(tables.callRows).toBeGreaterThan(0);
    haystacks.push(['semantic_calls', tables.calls], ['semantic_queries', tables.queries], ['callLog()', tables.api]);
    exported.forEach((text, i) => haystacks.push([`export ${['csv', 'json', 'parquet'][i]}`, text]));
    haystacks.push(['console (page)', browser.logs.join('\n')], ['console (workers)', observed.workerConsole.join('\n')]);
    const pagePosts = String(await page.evaluate(HARVEST));
    haystacks.push(['page postMessage and console', pagePosts]);
    const workerPosts: string[] = [];
    for (const worker of page.workers()) workerPosts.push(String(await worker.evaluate(HARVEST)));
    haystacks.push(['worker postMessage and console', workerPosts.join('\n')]);

    // Network: the key goes only to the fake endpoints, only in the auth header (Authorization: Bearer, or x-api-key).
    const requests = await Promise.all(observed.requests);
    haystacks.push(['requests (URLs, other headers, bodies)', requests.map((r) => r.text).join('\n')]);
    const withKey = requests.filter((r) => r.apiKey !== undefined);
    expect(withKey.length).toBeGreaterThan(0);
    const fakeOrigins = new Set(servers.map((s) => s.url));
    for (const r of withKey) {
      expect(r.apiKey).toBe(KEY);
      expect(fakeOrigins.has(new URL(r.url).origin)).toBe(true);
    }

    // The recorder did see the workers' traffic: the prompts crossed from the DuckDB worker to the model workers.
    expect(workerPosts.length).toBeGreaterThanOrEqual(2);
    const posted = workerPosts.join('\n');
    expect(posted).toContain('what is it?');
    expect(posted).toContain('The blender broke');
    expect(pagePosts).toContain('SELECT * FROM semantic_calls');

    for (const [where, text] of haystacks) {
      const at = text.indexOf(KEY_SECRET);
      expect(at, `the key appears in ${where}: …${text.slice(Math.max(0, at - 120), at).replaceAll(KEY_SECRET, '<KEY>')}<KEY>…`).toBe(-1);
    }
  });
});
