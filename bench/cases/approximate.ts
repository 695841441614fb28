import type { Page } from 'playwright-core';
import { labelledReviews, reviewsCsv } from '../../tests/unit/llm/mock/labelled-reviews';
import { median, round, setMock, type BenchCase, type BenchRecord } from '../bench-context';
import { CASCADE_CRITERION, cascadeDataset } from './cascade-data';

/**
 * Issue 25: `-- @ approximate: error 0.05` on a filter's count, over 40 seeds (the order the inputs
 * are asked in), against the share the same filter gives with every input asked. Each seed runs
 * with `cache: off`, so none of it is known beforehand. Datasets: 10,000 generated messages, and a
 * public labelled set nobody tuned the estimates for (UCI's review sentences, 3,000 rows). Then the
 * time to the first running estimate with an interval of a 2,000-row count, against one call's
 * latency.
 */

const SEEDS = 40;
const ERROR = 0.05;

interface Dataset {
  name: string;
  table: string;
  criterion: string;
  setup(page: Page): Promise<void>;
}

const DATASETS: Dataset[] = [
  {
    name: 'generated messages (10,000 rows)',
    table: 'approx_messages',
    criterion: CASCADE_CRITERION,
    setup: async (page) => {
      const values = cascadeDataset({ rows: 10_000, seed: 5 })
        .map((r) => `(${r.id}, '${r.text.replaceAll("'", "''")}')`)
        .join(', ');
      await page.evaluate((v) => window.semsql!.query(`CREATE OR REPLACE TABLE approx_messages AS SELECT * FROM (VALUES ${v}) t(id, text)`), values);
    },
  },
  {
    name: 'UCI labelled review sentences (3,000 rows)',
    table: 'approx_reviews',
    criterion: 'a positive review',
    setup: async (page) => {
      await page.evaluate((csv) => window.semsql!.load(csv, { table: 'approx_reviews' }).then(() => undefined), reviewsCsv(labelledReviews()));
    },
  },
];

interface Share {
  low: number;
  high: number;
  estimate: number;
  inputs: number;
}

async function approximateRun(page: Page, sql: string): Promise<{ calls: number; share: Share | null }> {
  return page.evaluate(async (q) => {
    const r = await window.semsql!.query(q);
    const e = r.stats.estimate?.estimates[0];
    return {
      calls: r.stats.calls,
      share: e && e.low !== null && e.high !== null && e.estimate !== null ? { low: e.low, high: e.high, estimate: e.estimate, inputs: e.inputs } : null,
    };
  }, sql);
}

async function measureDataset(page: Page, d: Dataset, log: (m: string) => void): Promise<BenchRecord> {
  await d.setup(page);
  const filter = `text MEANS '${d.criterion.replaceAll("'", "''")}'`;
  // The truth: the share of distinct inputs the filter holds for, every one asked.
  const exact = await page.evaluate(
    ({ f, t }) =>
      window
        .semsql!.query(
          `-- @ parallel: 64\n-- @ budget: 20000\nSELECT count(*) FILTER (WHERE ${f}) / count(*) AS share, count(*) AS inputs FROM (SELECT DISTINCT text FROM ${t})`,
        )
        .then((r) => ({ share: Number(r.rows[0]?.[0]), inputs: Number(r.rows[0]?.[1]) })),
    { f: filter, t: d.table },
  );
  const calls: number[] = [];
  let covered = 0;
  let stopped = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const out = await approximateRun(
      page,
      `-- @ approximate: error ${ERROR}, seed ${seed}\n-- @ cache: off\n-- @ parallel: 64\n-- @ budget: 20000\nSELECT count(*) FROM ${d.table} WHERE ${filter}`,
    );
    calls.push(out.calls);
    if (out.share) {
      stopped++;
      if (out.share.low <= exact.share && exact.share <= out.share.high) covered++;
    }
  }
  log(`${d.name}: share ${exact.share.toFixed(3)} of ${exact.inputs} inputs, median ${median(calls)} calls, ${covered}/${stopped} covered`);
  return {
    case: 'approximate',
    dataset: d.name,
    target: `±${ERROR} at 95%`,
    seeds: SEEDS,
    inputs: exact.inputs,
    true_share: round(exact.share, 3),
    calls_median: median(calls),
    calls_max: Math.max(...calls),
    calls_fraction_to_target: round(median(calls) / exact.inputs, 3),
    calls_goal: '≤ 0.10',
    stopped_early: stopped,
    coverage: round(covered / Math.max(1, stopped), 3),
    coverage_goal: '≥ 0.94',
  };
}

/** Time from the query's start to its first running estimate with an interval (2,000 rows, a fixed latency per call). */
async function firstEstimate(page: Page, latencyMs: number): Promise<BenchRecord> {
  await setMock(page, latencyMs);
  const firstMs = await page.evaluate(async (sql) => {
    const start = performance.now();
    let first: number | null = null;
    const stop = new AbortController();
    await window.semsql!.query(sql, {
      stop: stop.signal,
      onProgress: (p) => {
        if (first === null && p.estimates?.some((e) => e.low !== null)) {
          first = performance.now() - start;
          stop.abort();
        }
      },
    });
    return first;
  }, `-- @ cache: off\n-- @ parallel: 16\n-- @ budget: 5000\nSELECT count(*) FROM (SELECT * FROM approx_messages LIMIT 2000) WHERE text MEANS '${CASCADE_CRITERION}'`);
  return {
    case: 'approximate',
    dataset: 'generated messages (2,000 rows)',
    latency_ms: latencyMs,
    first_estimate_ms: firstMs === null ? null : round(firstMs),
    first_estimate_goal_ms: `≤ ${2 * latencyMs}`,
    // Progressive rows are not built yet (issue 25, part 1): no row streams before the result.
    first_row_ms: null,
  };
}

export const approximate: BenchCase = {
  name: 'approximate',
  description:
    "Issue 25: `-- @ approximate: error 0.05` on a filter's count over 40 seeds, each with `cache: off`: the calls it took as a fraction of the distinct inputs (`calls_fraction_to_target`, goal ≤ 0.10 for 10,000 rows) and the share of seeds whose 95% interval covers the share the exact run gives (`coverage`, goal ≥ 0.94); on generated messages and on UCI's labelled review sentences, mock model. Then the time to the first running estimate with an interval of a 2,000-row count at a fixed call latency (`first_estimate_ms`, goal ≤ 2 × `latency_ms`); `first_row_ms` is empty: progressive rows are not built yet.",
  async run({ page, log }) {
    await setMock(page, 1);
    const records: BenchRecord[] = [];
    for (const d of DATASETS) records.push(await measureDataset(page, d, log));
    records.push(await firstEstimate(page, 200));
    await setMock(page, 1);
    return records;
  },
};
