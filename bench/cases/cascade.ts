import type { Page } from 'playwright-core';
import { startFakeMessagesApi, toolUseMessage, type FakeMessagesApi } from '../../tests/support/fake-messages-api';
import { rowsOf } from '../../tests/support/prompt-data';
import { labelledReviews, reviewsCsv } from '../../tests/unit/llm/mock/labelled-reviews';
import { MOCK_EMBEDDINGS } from '../../tests/e2e/support/mock-model';
import { round, setMock, type BenchCase, type BenchRecord } from '../bench-context';
import { CASCADE_CRITERION, cascadeDataset } from './cascade-data';

/**
 * Issues 19 and 23: `-- @ cascade` on a filter, over 40 seeds, against the same filter with every
 * row asked. Proxies: the on-device embedding model, and the mock embeddings (which share the
 * offline model's lexicon, so they flatter a cascade whose oracle is the offline model). Oracles:
 * the offline model, and a labelled dataset's gold labels (served by a fake Messages API on
 * 127.0.0.1 through the real SDK), which the proxy shares nothing with.
 *
 * Each seed runs at a temperature of its own: a new cache key for the model's answers (none of
 * the run is known), the same for the vectors (they depend on the text only), so the proxy's
 * vectors are embedded in the first seed and read from the cache after; the first seed's embedding
 * requests are reported apart.
 */

const SEEDS = 40;
const TARGETS = [
  { recall: 0.9, precision: 0.9, confidence: 0.9 },
  { recall: 0.95, precision: 0.95, confidence: 0.9 },
];

type Proxy = 'on-device' | 'mock';
type Oracle = 'mock model' | 'gold labels';

interface Dataset {
  name: string;
  table: string;
  criterion: string;
  oracle: Oracle;
  proxies: Proxy[];
  /** Loads the table; returns the gold label of each text, for a gold-label oracle. */
  setup(page: Page): Promise<Map<string, boolean> | null>;
}

const loadRows = async (page: Page, table: string, rows: readonly { id: number; text: string }[]) => {
  const values = rows.map((r) => `(${r.id}, '${r.text.replaceAll("'", "''")}')`).join(', ');
  await page.evaluate(({ t, v }) => window.semsql!.query(`CREATE OR REPLACE TABLE ${t} AS SELECT * FROM (VALUES ${v}) t(id, text)`), { t: table, v: values });
};

const messages = () => cascadeDataset({ rows: 5_000, seed: 11 });

const DATASETS: Dataset[] = [
  // Gold-label oracles first: the proxy and the oracle share nothing there.
  {
    // Public, labelled by people (src: tests/unit/llm/mock/labelled-reviews.ts): 3,000 sentences, half positive.
    name: 'UCI labelled review sentences',
    table: 'uci_reviews',
    criterion: 'a positive review',
    oracle: 'gold labels',
    proxies: ['on-device'],
    setup: async (page) => {
      const reviews = labelledReviews();
      await page.evaluate((csv) => window.semsql!.load(csv, { table: 'uci_raw' }).then(() => undefined), reviewsCsv(reviews));
      await page.evaluate(() => window.semsql!.query('CREATE OR REPLACE TABLE uci_reviews AS SELECT row_number() OVER () AS id, text FROM uci_raw'));
      // A text labelled both ways (a repeated sentence) counts as positive if any of its labels is.
      const gold = new Map<string, boolean>();
      for (const r of reviews) gold.set(r.text, (gold.get(r.text) ?? false) || r.positive);
      return gold;
    },
  },
  {
    name: 'clear and ambiguous messages',
    table: 'cascade_mixed',
    criterion: CASCADE_CRITERION,
    oracle: 'gold labels',
    proxies: ['on-device'],
    setup: async (page) => {
      const rows = messages();
      await loadRows(page, 'cascade_mixed', rows);
      return new Map(rows.map((r) => [r.text, r.gold]));
    },
  },
  {
    // 3,000 rows, 2,020 distinct texts: the targets are over rows, so repeated texts weigh as rows.
    name: 'sample tweets',
    table: 'tweets',
    criterion: 'the sourdough baking journey',
    oracle: 'mock model',
    proxies: ['on-device'],
    setup: async () => null,
  },
  {
    name: 'clear and ambiguous messages',
    table: 'cascade_mixed',
    criterion: CASCADE_CRITERION,
    oracle: 'mock model',
    proxies: ['on-device'],
    setup: async (page) => {
      await loadRows(page, 'cascade_mixed', messages());
      return null;
    },
  },
];

interface Run {
  ids: number[];
  calls: number;
  embeddingTexts: number;
  embeddingRequests: number;
  proxyTexts: number;
  fallback: string | null;
}

async function run(page: Page, sql: string): Promise<Run> {
  return page.evaluate(async (q) => {
    const r = await window.semsql!.query(q);
    const c = r.stats.cascades?.[0];
    return {
      ids: r.rows.map((row) => Number(row[0])),
      calls: r.stats.calls,
      embeddingTexts: r.stats.embedding_texts,
      embeddingRequests: r.stats.embedding_requests,
      proxyTexts: c?.proxyTexts ?? 0,
      fallback: c?.fallback ?? null,
    };
  }, sql);
}

/** The model side: the offline mock, or the fake Messages API answering each row with its text's gold label. */
async function useOracle(page: Page, oracle: Oracle, gold: Map<string, boolean> | null, fake: FakeMessagesApi | null): Promise<void> {
  if (oracle === 'mock model' || !gold || !fake) {
    await setMock(page, 1);
    await page.evaluate(() => window.semsql!.settings.update({ provider: 'mock', model: 'mock-1' }).then(() => undefined));
    return;
  }
  await page.evaluate(
    ({ url }) =>
      window
        .semsql!.apiKey.set('bench-key')
        .then(() =>
          window
            .semsql!.settings.update({ provider: 'anthropic', model: 'claude-haiku-4-5', anthropic: { baseURL: url, timeoutMs: 30_000 }, maxAttempts: 4 })
            .then(() => undefined),
        ),
    { url: fake.url },
  );
}

export const cascade: BenchCase = {
  name: 'cascade',
  description: `A semantic filter with \`-- @ cascade\`, ${SEEDS} seeds, against the same filter with every row asked. \`proxy\`: the on-device embedding model or the mock embeddings; \`oracle\`: the offline mock model, or a labelled dataset's gold labels (a fake Messages API through the real SDK). Model calls and embedding requests are counted apart; \`embedding_requests_first_seed\` is the cold run's (later seeds read the vectors from the cache).`,
  async run({ page, log }) {
    let gold: Map<string, boolean> | null = null;
    const fake = await startFakeMessagesApi({
      respond: (request) => {
        const rows = rowsOf(request.body);
        const byId = new Map(rows.map((r) => [r.id, gold?.get(String(r['text'])) ?? false]));
        return {
          kind: 'json',
          body: toolUseMessage(
            (id: string) => byId.get(id) ?? false,
            {},
            'claude-haiku-4-5',
            rows.map((r) => r.id),
          ),
        };
      },
    });
    const records: BenchRecord[] = [];
    try {
      for (const data of DATASETS) {
        gold = await data.setup(page);
        await useOracle(page, data.oracle, gold, fake);
        for (const proxy of data.proxies) {
          await page.evaluate(
            (e) => window.semsql!.settings.update({ embeddings: e }).then(() => undefined),
            proxy === 'mock' ? MOCK_EMBEDDINGS : { provider: 'on-device' as const },
          );
          records.push(...(await measure(page, data, proxy, log)));
        }
      }
    } finally {
      await fake.close();
      await setMock(page, 1);
      await page.evaluate(() => window.semsql!.settings.update({ provider: 'mock', model: 'mock-1' }).then(() => undefined));
    }
    return records;
  },
};

async function measure(page: Page, data: Dataset, proxy: Proxy, log: (m: string) => void): Promise<BenchRecord[]> {
  await page.evaluate(() => window.semsql!.cache.clear());
  const filter = `-- @ parallel: 64\n-- @ batch: 16\n-- @ budget: 100000\nSELECT id FROM ${data.table} WHERE text MEANS '${data.criterion.replaceAll("'", "''")}' ORDER BY id`;
  const full = await run(page, filter);
  const tableRows = await page.evaluate((t) => window.semsql!.query(`SELECT count(*) FROM ${t}`).then((r) => Number(r.rows[0]?.[0])), data.table);
  const truth = new Set(full.ids);
  const records: BenchRecord[] = [];
  let seedRun = 0;
  for (const t of TARGETS) {
    const sum = { calls: 0, proxyTexts: 0, met: 0 };
    let first: Run | null = null;
    const fallbacks = new Map<string, number>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      // A temperature per seed: the model's answers are not known, the vectors are (see above).
      const temperature = (++seedRun / 10_000).toFixed(4);
      const out = await run(
        page,
        `-- @ cascade: recall ${t.recall}, precision ${t.precision}, confidence ${t.confidence}, seed ${seed}\n-- @ temperature: ${temperature}\n${filter}`,
      );
      first ??= out;
      sum.calls += out.calls;
      sum.proxyTexts += out.proxyTexts;
      const reason = out.fallback ?? 'none';
      fallbacks.set(reason, (fallbacks.get(reason) ?? 0) + 1);
      const hits = out.ids.filter((id) => truth.has(id)).length;
      const recall = truth.size === 0 ? 1 : hits / truth.size;
      const precision = out.ids.length === 0 ? 1 : hits / out.ids.length;
      if (recall >= t.recall && precision >= t.precision) sum.met++;
    }
    const reduction = full.calls / (sum.calls / SEEDS);
    log(
      `${data.name}, ${proxy} proxy, ${data.oracle} at ${t.recall}/${t.precision}: ${round(reduction, 2)}x fewer model calls, targets met in ${sum.met}/${SEEDS}`,
    );
    records.push({
      case: 'cascade',
      dataset: data.name,
      proxy,
      oracle: data.oracle,
      rows: tableRows,
      inputs: full.calls,
      positives: truth.size,
      targets: `recall ${t.recall}, precision ${t.precision}, confidence ${t.confidence}`,
      calls_without: full.calls,
      calls_with_mean: round(sum.calls / SEEDS, 1),
      call_reduction: round(reduction, 2),
      targets_met_fraction: round(sum.met / SEEDS, 3),
      proxy_texts_mean: round(sum.proxyTexts / SEEDS, 1),
      embedding_texts_first_seed: first?.embeddingTexts ?? 0,
      embedding_requests_first_seed: first?.embeddingRequests ?? 0,
      fallbacks: [...fallbacks].map(([k, n]) => `${k} ${n}`).join(', '),
      seeds: SEEDS,
      goals: 'call_reduction >= 3 with targets_met_fraction >= 0.95',
    });
  }
  return records;
}
