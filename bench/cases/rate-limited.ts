import type { Page } from 'playwright-core';
import { startFakeMessagesApi, type FakeMessagesApi } from '../../tests/support/fake-messages-api';
import { estimateOutputTokens, maxTokensOf } from '../../tests/support/fake-tokens';
import { answerInput } from '../../tests/support/fake-wire';
import { rowsOf } from '../../tests/support/prompt-data';
import { round, type BenchCase, type BenchRecord } from '../bench-context';

/**
 * Issue 16: a real account is limited by requests and tokens per minute, not by calls in flight.
 * The fake Messages API puts Anthropic's first tier (Haiku class: 50 requests, 50,000 input and
 * 10,000 output tokens a minute, as token buckets) in front of a fake model, with a "minute" of
 * MINUTE_MS so the case runs in minutes. Each query runs once with one row per call and once with
 * the planner's choice, each against a fresh server (full buckets, nothing learned).
 *
 * limit_ms is the least time the limits allow for what the run sent: for each bucket, the amount
 * used beyond what a full bucket holds, at its refill rate, plus one answer's latency (even a plan
 * the limits never slow must wait for its last answer); and at least the rounds of latency the
 * requests need when no more can be in flight than `parallel` and than the output bucket holds
 * `max_tokens` reservations for.
 *
 * floor_ms (issue 22) is the least time any scheduler could take for the requests the run actually
 * sent: the larger of the limits' bound (the buckets part of limit_ms) and the makespan bound of
 * those requests with N in flight, max(ΣLᵢ/N, max Lᵢ), where Lᵢ is each answered request's latency
 * as the fake API logged it (arrival to reply) and N is what `parallel`, the browser's 6 HTTP/1.1
 * connections to one host and the output bucket's `max_tokens` reservations allow. efficiency_vs_floor = floor_ms / wall_ms says how close the run
 * came to it; efficiency (limit_ms / wall_ms, issue 16) said nothing about a plan the limits do not
 * slow, whose limit_ms is one latency.
 */

const TIER_1 = { requestsPerMinute: 50, inputTokensPerMinute: 50_000, outputTokensPerMinute: 10_000 };
const MINUTE_MS = 6_000;
/**
 * The fake model's latency, as a small model's: its first token after LATENCY_MS, then
 * MS_PER_OUTPUT_TOKEN for each token of its answer (125 tokens a second), so a request of many rows
 * takes longer than one of a few, as it does at a real provider. (Until issue 22 every answer took
 * 200 ms whatever its length: rows per request were free, and a plan of 16 requests had a floor of
 * two latencies, less than the query's own passes.)
 */
const LATENCY_MS = 500;
const MS_PER_OUTPUT_TOKEN = 8;
/** Chromium opens at most 6 HTTP/1.1 connections per host, and the fake API speaks HTTP/1.1 (src/llm/connection/endpoint-limits.ts). */
const BROWSER_CONNECTIONS = 6;
const ROWS = 1_000;
const PARALLEL = 16;

const QUERIES = [
  { kind: 'filter', sql: "SELECT id FROM rate_rows WHERE text MEANS 'a complaint about the delivery' ORDER BY id" },
  { kind: 'map', sql: 'SELECT id, sentiment(text) AS mood FROM rate_rows ORDER BY id' },
];

/** A stable hash, so the fake model's answer to a text is the same in every request that carries it. */
function fnv(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The fake model: answers each row by its text, whatever else the request holds. */
async function limitedServer(): Promise<FakeMessagesApi> {
  return startFakeMessagesApi({
    limits: TIER_1,
    minuteMs: MINUTE_MS,
    respond(request) {
      const texts = new Map(rowsOf(request.body).map((row) => [row.id, String(row['text'])]));
      const sentiment = JSON.stringify(request.body).includes('Rate the sentiment');
      const value = (id: string) => {
        const h = fnv(texts.get(id) ?? '');
        return sentiment ? ((h % 201) - 100) / 100 : h % 3 === 0;
      };
      const written = estimateOutputTokens(answerInput(value, [...texts.keys()]));
      return { kind: 'answer', value, delayMs: LATENCY_MS + MS_PER_OUTPUT_TOKEN * written };
    },
  });
}

interface Run {
  wallMs: number;
  rows: unknown[][];
  batch: number;
  errors: number;
}

async function runOnce(page: Page, fake: FakeMessagesApi, sql: string): Promise<Run> {
  await page.evaluate(
    async ({ url, parallel }) => {
      await window.semsql!.settings.update({ provider: 'anthropic', model: 'claude-haiku-4-5', parallel, anthropic: { baseURL: url, timeoutMs: 60_000 } });
    },
    { url: fake.url, parallel: PARALLEL },
  );
  return page.evaluate(async (q) => {
    const start = performance.now();
    const result = await window.semsql!.query(q);
    const wallMs = performance.now() - start;
    const log = await window.semsql!.callLog(result.queryId);
    const batch = Math.max(1, ...log.calls.map((c) => c.rows_in_request));
    return { wallMs, rows: result.rows.map((r) => Object.values(r)), batch, errors: result.stats.errors };
  }, sql);
}

/** What the server saw: the requests it answered, and how many of them could be in flight at once. */
function answered(fake: FakeMessagesApi) {
  const requests = fake.requests.filter((r) => r.path === '/v1/messages' && r.reply?.kind === 'answer');
  const reserved = requests.map((r) => maxTokensOf(r.body));
  const mean = reserved.reduce((a, b) => a + b, 0) / Math.max(1, reserved.length);
  const inFlight = Math.max(1, Math.min(PARALLEL, BROWSER_CONNECTIONS, Math.floor(TIER_1.outputTokensPerMinute / Math.max(1, mean))));
  return { requests, inFlight };
}

/** The limits' bound: each bucket's use beyond a full bucket at its refill rate, plus the last answer's latency. */
function limitsBound(fake: FakeMessagesApi): number {
  const used = fake.rateLimits;
  if (!used) return LATENCY_MS;
  const over = (amount: number, perMinute: number) => (Math.max(0, amount - perMinute) / perMinute) * MINUTE_MS;
  return (
    Math.max(
      over(used.accepted, TIER_1.requestsPerMinute),
      over(used.inputTokens, TIER_1.inputTokensPerMinute),
      over(used.outputTokens, TIER_1.outputTokensPerMinute),
    ) + LATENCY_MS
  );
}

/** The least time the limits allow for what the server saw (see above): issue 16's limit_ms. */
function limitMs(fake: FakeMessagesApi): number {
  const { requests, inFlight } = answered(fake);
  return Math.max(limitsBound(fake), Math.ceil(requests.length / inFlight) * LATENCY_MS);
}

/** The floor for the requests the run sent (see above): limits' bound, or their makespan with N in flight. */
function floorMs(fake: FakeMessagesApi): number {
  const { requests, inFlight } = answered(fake);
  const latencies = requests.map((r) => (r.finishedAt ?? r.arrivedAt) - r.arrivedAt);
  const makespan = Math.max(latencies.reduce((a, b) => a + b, 0) / inFlight, Math.max(0, ...latencies));
  return Math.max(limitsBound(fake), makespan);
}

export const rateLimited: BenchCase = {
  name: 'rate-limited',
  description: `A ${ROWS}-row filter and map against the fake API with tier-1 limits (50 requests, 50k input and 10k output tokens a minute; a minute lasts ${MINUTE_MS / 1000} s), one row per call and the planner's choice`,
  async run({ page, log }) {
    await page.evaluate(async (n) => {
      await window.semsql!.apiKey.set(['sk', 'ant', 'bench-rate-limited'].join('-'));
      await window.semsql!.query(
        `CREATE OR REPLACE TABLE rate_rows AS SELECT range AS id, 'Review ' || range || ': ' || CASE range % 4 WHEN 0 THEN 'the parcel came late and the box was crushed' WHEN 1 THEN 'great product, works exactly as described' WHEN 2 THEN 'I want a refund, it broke after a week' ELSE 'average quality for the price, nothing special' END AS text FROM range(${n})`,
      );
    }, ROWS);
    const records: BenchRecord[] = [];
    try {
      for (const { kind, sql } of QUERIES) {
        const measured: { batch: string; run: Run; fake: FakeMessagesApi }[] = [];
        for (const [batch, annotation] of [
          ['1', '-- @ rows_per_request: 1'],
          ['planner', '-- @ rows_per_request: auto'],
        ] as const) {
          const fake = await limitedServer();
          try {
            // cache: off, so the second run asks the model again instead of reading the first run's answers.
            const run = await runOnce(page, fake, `${annotation}\n-- @ cache: off\n${sql}`);
            measured.push({ batch, run, fake });
            log(`${kind} batch ${batch}: ${round(run.wallMs)} ms, ${fake.rateLimits?.accepted} requests, ${fake.rateLimits?.rateLimited} 429s`);
          } finally {
            await fake.close();
          }
        }
        const single = measured[0] as (typeof measured)[number];
        const planned = measured[1] as (typeof measured)[number];
        const differ = single.run.rows.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(planned.run.rows[i]));
        if (differ >= 0)
          log(`${kind}: first different row ${differ}: ${JSON.stringify(single.run.rows[differ])} vs ${JSON.stringify(planned.run.rows[differ])}`);
        for (const { batch, run, fake } of measured) {
          const stats = fake.rateLimits ?? { accepted: 0, rateLimited: 0, inputTokens: 0, outputTokens: 0 };
          const bound = limitMs(fake);
          const floor = floorMs(fake);
          const singleStats = single.fake.rateLimits ?? stats;
          records.push({
            case: 'rate-limited',
            query: kind,
            rows: ROWS,
            batch: batch === 'planner' ? `planner (${run.batch})` : batch,
            requests: stats.accepted,
            wall_ms: round(run.wallMs),
            limit_ms: round(bound),
            efficiency: round(bound / run.wallMs, 3),
            floor_ms: round(floor),
            efficiency_vs_floor: round(floor / run.wallMs, 3),
            speedup_vs_row_per_call: round(single.run.wallMs / run.wallMs, 2),
            input_tokens_per_row: round(stats.inputTokens / ROWS),
            input_tokens_ratio_vs_row_per_call: round(stats.inputTokens / singleStats.inputTokens, 3),
            answers_match_row_per_call: JSON.stringify(run.rows) === JSON.stringify(single.run.rows),
            row_errors: run.errors,
            '429s': stats.rateLimited,
            '429_fraction': round(stats.rateLimited / Math.max(1, stats.accepted + stats.rateLimited), 4),
            goals: 'speedup >= 10, tokens ratio <= 0.4, efficiency_vs_floor >= 0.9, answers match, 429s < 2%',
          });
        }
      }
    } finally {
      await page.evaluate(() => window.semsql!.settings.update({ provider: 'mock' }));
    }
    return records;
  },
};
