import { modelRequest } from '../../src/engine/model-request';
import { mockAnswers } from '../../src/llm/mock/answers';
import { loadNlp } from '../../src/llm/mock/nlp/load-nlp';
import { MOCK_MODEL } from '../../src/client/default-settings';
import { BUILTIN_OPERATORS, type OperatorDef } from '../../src/sql';
import { openApp } from '../../tests/e2e/support/browser';
import { median, round, setMock, timedQuery, timings, type BenchCase, type BenchRecord } from '../bench-context';
import { runRewriteBench } from './rewrite-query';

const matches = BUILTIN_OPERATORS.find((o) => o.name === 'matches') as OperatorDef;
// Loaded here, at module load: Vite's module runner is closed by the time a case runs.
const nlp = await loadNlp();
const isComplaint = (text: string) =>
  mockAnswers(modelRequest('bench', matches, [text, 'complaint'], { provider: 'mock', model: MOCK_MODEL, temperature: 0, instructions: [] }), nlp)[0] === true;

export const earlyLimit: BenchCase = {
  name: 'early-limit',
  description:
    "`WHERE text MEANS 'complaint' LIMIT k` over a table where the condition holds for 10% or 1% of rows, spread evenly: calls made against the oracle (the position of the k-th match). Targets: ≤ 3× the oracle; for k = 10 at 10%, ≥ 20× fewer than one 2,048-row chunk.",
  async run(ctx) {
    await setMock(ctx.page, 20);
    const tweets = (await timedQueryRows(ctx, 'SELECT text FROM tweets ORDER BY id')).map((r) => r[0] as string);
    const yes = tweets.filter(isComplaint);
    const no = tweets.filter((t) => !isComplaint(t));
    const out: BenchRecord[] = [];
    for (const selectivity of [0.1, 0.01]) {
      // Every 1/selectivity-th row matches; suffixes keep all texts distinct.
      const every = Math.round(1 / selectivity);
      const rows = Array.from({ length: 12_000 }, (_, i) => ((i + 1) % every === 0 ? yes[i % yes.length] : no[i % no.length]) + ` #${i}`);
      const csv = `id,text\n${rows.map((t, i) => `${i + 1},"${t.replace(/"/g, '""')}"`).join('\n')}\n`;
      await ctx.page.evaluate((data) => window.semsql!.load(data, { table: 'sel' }).then(() => undefined), csv);
      for (const k of [1, 10, 100]) {
        const oracle = every * k;
        const calls: number[] = [];
        const walls: number[] = [];
        for (let run = 0; run < ctx.runs; run++) {
          await ctx.page.evaluate(() => window.semsql!.cache.clear());
          const r = await timedQuery(ctx.page, `-- @ parallel: 16\n-- @ budget: 20000\nSELECT id FROM sel WHERE text MEANS 'complaint' LIMIT ${k}`);
          calls.push(r.stats.calls);
          walls.push(r.wallMs);
        }
        const c = median(calls);
        out.push({
          case: 'early-limit',
          selectivity,
          k,
          calls: c,
          oracle_calls: oracle,
          ratio: round(c / oracle, 2),
          target_ratio: 3,
          vs_chunk: round(2048 / c, 1),
          wall_ms: round(median(walls)),
          oracle_wall_ms: Math.ceil(oracle / 16) * 20,
        });
      }
    }
    return out;
  },
};

async function timedQueryRows(ctx: Parameters<BenchCase['run']>[0], sql: string): Promise<unknown[][]> {
  return ctx.page.evaluate((q) => window.semsql!.query(q).then((r) => r.rows), sql);
}

export const dependent: BenchCase = {
  name: 'dependent',
  description:
    'A filter feeding a map over 1,000 rows (two levels of operators), parallel 50, latency 200 ms: wall against the ideal of two waves, ceil(1000/50)·L + ceil(matches/50)·L.',
  async run(ctx) {
    await setMock(ctx.page, 200);
    const walls: number[] = [];
    let matchesCount = 0;
    for (let run = 0; run < ctx.runs; run++) {
      const r = await timedQuery(
        ctx.page,
        `-- @ parallel: 50\n-- @ cache: off\n-- @ budget: 2000\nSELECT id, t ASK 'why?' FROM (SELECT id, text || ' #' || id AS t FROM tweets LIMIT 1000) WHERE t MEANS 'complaint'`,
      );
      walls.push(r.wallMs);
      matchesCount = r.rows;
    }
    const ideal = Math.ceil(1000 / 50) * 200 + Math.ceil(matchesCount / 50) * 200;
    const wall = median(walls);
    return [
      {
        case: 'dependent',
        rows: 1000,
        matches: matchesCount,
        wall_ms: round(wall),
        ideal_ms: ideal,
        efficiency: round(ideal / wall, 3),
        ...timings('wall', walls),
      },
    ];
  },
};

export const cached: BenchCase = {
  name: 'cached',
  description:
    'A semantic filter over 100k and 1M rows, every answer already in the memory tier, against the same query with a native string function. Targets: 1M rows ≤ 1 s and ≤ 10× native.',
  async run(ctx) {
    await setMock(ctx.page, 1);
    await ctx.page.evaluate(() =>
      window.semsql!.query('CREATE OR REPLACE TABLE big AS SELECT t.text FROM tweets t, range(334) ORDER BY range, t.id').then(() => undefined),
    );
    // Warm the memory tier: 2,020 distinct texts.
    await timedQuery(ctx.page, "-- @ parallel: 64\n-- @ budget: 5000\nSELECT count(*) FROM (SELECT DISTINCT text FROM tweets) WHERE text MEANS 'complaint'");
    const out: BenchRecord[] = [];
    for (const rows of [100_000, 1_000_000]) {
      const semantic: number[] = [];
      const native: number[] = [];
      for (let run = 0; run < ctx.runs; run++) {
        const s = await timedQuery(ctx.page, `SELECT count(*) FROM (SELECT text FROM big LIMIT ${rows}) WHERE text MEANS 'complaint'`);
        if (s.stats.calls !== 0) throw new Error('cached case made model calls');
        semantic.push(s.wallMs);
        native.push((await timedQuery(ctx.page, `SELECT count(*) FROM (SELECT text FROM big LIMIT ${rows}) WHERE contains(lower(text), 'complaint')`)).wallMs);
      }
      const sm = median(semantic);
      const nm = median(native);
      out.push({
        case: 'cached',
        rows,
        wall_ms: round(sm),
        native_ms: round(nm),
        ratio: round(sm / nm, 1),
        target_ms: rows === 1_000_000 ? 1000 : null,
        target_ratio: 10,
      });
    }
    return out;
  },
};

export const warmStart: BenchCase = {
  name: 'warm-start',
  description:
    'Page reload with 100k answers in IndexedDB: navigation to ready, then time to the first result of a 100k-row query answered from IndexedDB. Target ≤ 2 s.',
  async run(ctx) {
    await setMock(ctx.page, 0);
    const sql =
      "-- @ parallel: 64\n-- @ budget: 100000\nSELECT count(*) FROM (SELECT text || ' #' || id || '.' || range AS t FROM (SELECT id, text FROM tweets LIMIT 1000), range(100)) WHERE t MEANS 'complaint'";
    const fill = await timedQuery(ctx.page, sql);
    ctx.log(`warm-start: filled ${fill.stats.calls} answers in ${round(fill.wallMs / 1000)} s`);
    const url = ctx.page.url();
    const ready: number[] = [];
    const first: number[] = [];
    for (let run = 0; run < ctx.runs; run++) {
      const start = Date.now();
      await openApp(ctx.page, url);
      ready.push(Date.now() - start);
      const r = await timedQuery(ctx.page, sql);
      if (r.stats.calls !== 0) throw new Error(`warm start made ${r.stats.calls} calls`);
      first.push(r.wallMs);
    }
    return [
      {
        case: 'warm-start',
        answers: 100_000,
        ready_ms: round(median(ready)),
        first_result_ms: round(median(first)),
        target_ms: 2000,
        ...timings('first_result', first),
      },
    ];
  },
};

// The startup case has its own file: it builds and serves a bare DuckDB-WASM page beside the app.
export { startup } from './startup';

export const faults: BenchCase = {
  name: 'faults',
  description:
    "The mock's fault mix (20% 429, 5% 5xx, 3% timeouts of 1 s, 5% malformed) over 1,000 rows at parallel 32, latency 200 ms: wall against the fault-free run, and retries.",
  async run(ctx) {
    // The budget counts retries too (issue 13): room for the fault mix's extra attempts.
    const sql = "-- @ parallel: 32\n-- @ cache: off\n-- @ budget: 5000\nSELECT id, (text || ' #' || id) ALIGNS 'SQL is good for AI' FROM tweets LIMIT 1000";
    await setMock(ctx.page, 200);
    const clean = await timedQuery(ctx.page, sql);
    await setMock(ctx.page, 200, { rateLimit: 0.2, server: 0.05, timeout: 0.03, malformed: 0.05 });
    await ctx.page.evaluate(() => window.semsql!.settings.update({ mock: { timeoutMs: 1000 } }).then(() => undefined));
    const faulty = await timedQuery(ctx.page, sql);
    await setMock(ctx.page, 1);
    const attempts = faulty.calls.reduce((n, c) => n + c.attempts, 0);
    return [
      {
        case: 'faults',
        rows: 1000,
        fault_free_ms: round(clean.wallMs),
        faulty_ms: round(faulty.wallMs),
        slowdown: round(faulty.wallMs / clean.wallMs, 2),
        calls: faulty.stats.calls,
        retries: attempts - faulty.calls.length,
        row_errors: faulty.stats.errors,
      },
    ];
  },
};

export const rewrite: BenchCase = {
  name: 'rewrite',
  description:
    'Rewrite time of a 200-line query with 50 semantic operators (src/sql, measured in Node: the rewriter is pure and runs the same code in the worker). Target < 5 ms.',
  async run() {
    const r = runRewriteBench();
    return [{ case: 'rewrite', where: 'node', ...r, target_ms: 5 }];
  },
};
