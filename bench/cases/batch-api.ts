import { costUsd } from '../../src/llm/pricing';
import { startBatchProxy } from '../../tests/support/batch-proxy';
import { startFakeMessagesApi } from '../../tests/support/fake-messages-api';
import { rowsOf } from '../../tests/support/prompt-data';
import { round, type BenchCase } from '../bench-context';

/**
 * Issue 16: 20,000 rows through Message Batches (`-- @ mode: batch`) on the fake API, whose batches
 * end BATCH_LATENCY_MS after creation (the real API: usually within an hour). Every request is
 * submitted once, every row billed at the batch price, and the wall time is the batch's latency
 * plus what the engine adds around it. The batches go through the batch proxy (issue 29), as a
 * real user's must: the fake, like the API, refuses browsers on the batch paths.
 */

const ROWS = 20_000;
const BATCH_LATENCY_MS = 15_000;
const MODEL = 'claude-haiku-4-5';

function fnv(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export const batchApi: BenchCase = {
  name: 'batch-api',
  description: `${ROWS.toLocaleString('en-US')} rows through Message Batches on the fake API (batches end ${BATCH_LATENCY_MS / 1000} s after creation): submissions, price and wall time`,
  async run({ page, log }) {
    const fake = await startFakeMessagesApi({
      respond: () => ({ kind: 'error', status: 500, message: 'direct calls are not expected in this case' }),
      batches: {
        latencyMs: BATCH_LATENCY_MS,
        answer: (params) => {
          const texts = new Map(rowsOf(params).map((row) => [row.id, String(row['text'])]));
          return { kind: 'answer', value: (id: string) => fnv(texts.get(id) ?? '') % 3 === 0 };
        },
      },
    });
    const proxy = await startBatchProxy({ origins: [new URL(page.url()).origin], upstream: fake.url });
    try {
      await page.evaluate(
        async ({ url, batchUrl, n, model }) => {
          await window.semsql!.apiKey.set(['sk', 'ant', 'bench-batch-api'].join('-'));
          await window.semsql!.settings.update({
            provider: 'anthropic',
            model,
            anthropic: { baseURL: url, batchBaseURL: batchUrl, timeoutMs: 60_000 },
            budget: 100_000,
          });
          await window.semsql!.query(
            `CREATE OR REPLACE TABLE batch_rows AS SELECT range AS id, 'Batch review ' || range || ': ' || CASE range % 3 WHEN 0 THEN 'arrived late' WHEN 1 THEN 'works well' ELSE 'broke quickly' END AS text FROM range(${n})`,
          );
        },
        { url: fake.url, batchUrl: proxy.url, n: ROWS, model: MODEL },
      );
      const out = await page.evaluate(async (q) => {
        const start = performance.now();
        const result = await window.semsql!.query(q);
        const wallMs = performance.now() - start;
        const calls = (await window.semsql!.callLog(result.queryId)).calls.filter((c) => c.status === 'ok');
        const texts = result.rows.map((r) => String(r[1]));
        return {
          wallMs,
          answers: result.rows.map((r) => r[2]),
          texts,
          errors: result.stats.errors,
          cost: calls.reduce((n, c) => n + c.cost_usd, 0),
          input: calls.reduce((n, c) => n + c.input_tokens, 0),
          output: calls.reduce((n, c) => n + c.output_tokens, 0),
        };
      }, "-- @ mode: batch\n-- @ cache: off\nSELECT id, text, text MEANS 'a complaint' AS complaint FROM batch_rows ORDER BY id");
      const correct = out.answers.every((a, i) => a === (fnv(out.texts[i] ?? '') % 3 === 0));
      const full = costUsd(MODEL, { inputTokens: out.input, outputTokens: out.output });
      const submissions = fake.batches?.submissions() ?? [];
      log(`${round(out.wallMs)} ms, ${fake.batches?.created.length} batches, ${submissions.length} requests`);
      return [
        {
          case: 'batch-api',
          rows: ROWS,
          batches: fake.batches?.created.length ?? 0,
          requests: submissions.length,
          duplicate_submissions: fake.batches?.duplicates().length ?? 0,
          direct_calls: fake.requests.filter((r) => r.path === '/v1/messages').length,
          row_errors: out.errors,
          answers_correct: correct,
          cost_usd: round(out.cost, 4),
          cost_at_full_price_usd: round(full, 4),
          cost_ratio: round(out.cost / full, 3),
          batch_latency_ms: BATCH_LATENCY_MS,
          wall_ms: round(out.wallMs),
          wall_over_batch_latency: round(out.wallMs / BATCH_LATENCY_MS, 3),
          goals: 'submitted once, cost ratio 0.5, wall dominated by the batch latency',
        },
      ];
    } finally {
      await page.evaluate(() => window.semsql!.settings.update({ provider: 'mock', budget: 1_000, anthropic: { batchBaseURL: '' } }));
      await proxy.close();
      await fake.close();
    }
  },
};
