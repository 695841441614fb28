import { maxOverlap } from '../../src/client/max-overlap';
import { median, round, setMock, timedQuery, timings, type BenchCase, type BenchRecord } from '../bench-context';

/** R distinct inputs: the tweets table joined with a counter so any R is available. */
const inputs = (rows: number) => `SELECT id, text || ' [' || id || '.' || range || ']' AS text FROM tweets, range(20) LIMIT ${rows}`;

async function measure(ctx: Parameters<BenchCase['run']>[0], rows: number, parallel: number, latencyMs: number | [number, number], runs: number) {
  const walls: number[] = [];
  let overlap = 0;
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    // cache: off makes every run call the model; the seed's words vary per run for the same reason.
    const sql = `-- @ parallel: ${parallel}\n-- @ cache: off\n-- @ budget: ${rows}\nSELECT id, text ALIGNS 'SQL is good for AI' AS score FROM (${inputs(rows)})`;
    const out = await timedQuery(ctx.page, sql);
    walls.push(out.wallMs);
    overlap = Math.max(overlap, maxOverlap(out.calls));
    calls = out.stats.calls;
  }
  const mean = Array.isArray(latencyMs) ? (latencyMs[0] + latencyMs[1]) / 2 : latencyMs;
  const ideal = Math.ceil(rows / parallel) * mean;
  const wall = median(walls);
  return {
    rows,
    parallel,
    calls,
    wall_ms: round(wall),
    ideal_ms: ideal,
    efficiency: round(ideal / wall, 3),
    max_overlap: overlap,
    runs,
    ...timings('wall', walls),
  };
}

export const parallelSeed: BenchCase = {
  name: 'parallel-seed',
  description: "The original report's query: 10 rows, `parallel: 5`, mock latency 2 s. Ideal ceil(10/5)·2 s = 4.0 s; one call at a time takes 20 s.",
  async run(ctx) {
    await setMock(ctx.page, 2000);
    const five = await measure(ctx, 10, 5, 2000, ctx.runs);
    const one = await measure(ctx, 10, 1, 2000, 1);
    return [{ case: 'parallel-seed', ...five, target_ms: 4400, one_at_a_time_ms: one.wall_ms, speedup: round(one.wall_ms / five.wall_ms, 2) }];
  },
};

export const parallelScale: BenchCase = {
  name: 'parallel-scale',
  description:
    'R rows × N calls in flight, mock latency 200 ± 50 ms: wall time against the ideal ceil(R/N)·200 ms, and the largest overlap seen in the call log. The ideal uses the mean latency, but a run ends with its slowest calls: with few waves (R = 100 at N = 64 is two) the expected tail of 64 draws from 150–250 ms alone puts efficiency near 0.85.',
  async run(ctx) {
    await setMock(ctx.page, [150, 250]);
    const out: BenchRecord[] = [];
    for (const rows of [100, 1000, 5000]) {
      for (const parallel of [1, 8, 32, 64]) {
        // One call at a time over 1,000+ rows takes minutes: it is measured once, at R = 100, and
        // its ideal is reported for the rest.
        if (parallel === 1 && rows > 100) continue;
        const runs = (rows * 200) / parallel >= 20_000 ? 1 : ctx.runs;
        const m = await measure(ctx, rows, parallel, [150, 250], runs);
        ctx.log(`parallel-scale R=${rows} N=${parallel}: ${m.wall_ms} ms (ideal ${m.ideal_ms})`);
        out.push({ case: 'parallel-scale', ...m, target_efficiency: rows >= 1000 ? 0.95 : 0.9 });
      }
    }
    return out;
  },
};

export const parallelIssue4: BenchCase = {
  name: 'parallel-1000',
  description: 'R = 1,000, N = 50, mock latency 200 ms: ideal ceil(1000/50)·200 ms = 4.0 s.',
  async run(ctx) {
    await setMock(ctx.page, 200);
    const m = await measure(ctx, 1000, 50, 200, ctx.runs);
    return [{ case: 'parallel-1000', ...m, target_ms: 4400 }];
  },
};
