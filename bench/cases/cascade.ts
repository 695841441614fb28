import type { Page } from 'playwright-core';
import { round, setMock, type BenchCase, type BenchRecord } from '../bench-context';
import { CASCADE_CRITERION, cascadeDataset } from './cascade-data';

/**
 * Issue 19: `-- @ cascade` on a filter, with the offline model as the oracle and the mock embeddings
 * as the proxy, over 40 seeds. Each seed runs from an empty cache (the cascade only samples what is
 * not known), and its result is scored against the same filter with every row asked. Two datasets:
 * the sample tweets, and a mix of clear and ambiguous customer messages (cascade-data.ts).
 */

const SEEDS = 40;
const TARGETS = [
  { recall: 0.9, precision: 0.9, confidence: 0.9 },
  { recall: 0.95, precision: 0.95, confidence: 0.9 },
];

interface Dataset {
  name: string;
  table: string;
  criterion: string;
  setup(page: Page): Promise<void>;
}

const DATASETS: Dataset[] = [
  {
    // 3,000 rows, 2,020 distinct texts: the targets are over rows, so repeated texts weigh as rows.
    name: 'sample tweets',
    table: 'tweets',
    criterion: 'the sourdough baking journey',
    setup: async () => {},
  },
  {
    name: 'clear and ambiguous messages',
    table: 'cascade_mixed',
    criterion: CASCADE_CRITERION,
    setup: async (page) => {
      const rows = cascadeDataset({ rows: 5_000, seed: 11 });
      const values = rows.map((r) => `(${r.id}, '${r.text.replaceAll("'", "''")}')`).join(', ');
      await page.evaluate((v) => window.semsql!.query(`CREATE OR REPLACE TABLE cascade_mixed AS SELECT * FROM (VALUES ${v}) t(id, text)`), values);
    },
  },
];

/** Runs `sql` from an empty cache: its ids, its calls to the model (the filter's), and the texts embedded for the proxy. */
async function ids(page: Page, sql: string): Promise<{ ids: number[]; calls: number; embedded: number }> {
  return page.evaluate(async (q) => {
    await window.semsql!.cache.clear();
    const r = await window.semsql!.query(q);
    const log = (await window.semsql!.callLog(r.queryId)).calls.filter((c) => c.status === 'ok' || c.status === 'error');
    return { ids: r.rows.map((row) => Number(row[0])), calls: log.filter((c) => c.operator === 'matches').length, embedded: log.filter((c) => c.operator === 'embed').length };
  }, sql);
}

export const cascade: BenchCase = {
  name: 'cascade',
  description: `A semantic filter with \`-- @ cascade\` (mock model as the oracle, mock embeddings as the proxy), ${SEEDS} seeds, against the same filter with every row asked`,
  async run({ page, log }) {
    await setMock(page, 1);
    const records: BenchRecord[] = [];
    for (const data of DATASETS) {
      await data.setup(page);
      const filter = `-- @ parallel: 64\n-- @ budget: 100000\nSELECT id FROM ${data.table} WHERE text MEANS '${data.criterion}' ORDER BY id`;
      const full = await ids(page, filter);
      // Rows and distinct inputs differ where texts repeat (the sample tweets: 3,000 rows, 2,020 texts); calls are per input.
      const tableRows = await page.evaluate((t) => window.semsql!.query(`SELECT count(*) FROM ${t}`).then((r) => Number(r.rows[0]?.[0])), data.table);
      const truth = new Set(full.ids);
      for (const t of TARGETS) {
        let calls = 0;
        let embedded = 0;
        let met = 0;
        for (let seed = 1; seed <= SEEDS; seed++) {
          const out = await ids(page, `-- @ cascade: recall ${t.recall}, precision ${t.precision}, confidence ${t.confidence}, seed ${seed}\n${filter}`);
          calls += out.calls;
          embedded += out.embedded;
          const hits = out.ids.filter((id) => truth.has(id)).length;
          const recall = truth.size === 0 ? 1 : hits / truth.size;
          const precision = out.ids.length === 0 ? 1 : hits / out.ids.length;
          if (recall >= t.recall && precision >= t.precision) met++;
        }
        const reduction = full.calls / (calls / SEEDS);
        log(`${data.name} at ${t.recall}/${t.precision}: ${round(reduction, 2)}x fewer calls, targets met in ${met}/${SEEDS}`);
        records.push({
          case: 'cascade',
          dataset: data.name,
          rows: tableRows,
          inputs: full.calls,
          targets: `recall ${t.recall}, precision ${t.precision}, confidence ${t.confidence}`,
          calls_without: full.calls,
          calls_with_mean: round(calls / SEEDS, 1),
          call_reduction: round(reduction, 2),
          proxy_texts_embedded_mean: round(embedded / SEEDS, 1),
          targets_met_fraction: round(met / SEEDS, 3),
          seeds: SEEDS,
          goals: 'call_reduction >= 3 with targets_met_fraction >= 0.95',
        });
      }
    }
    return records;
  },
};
