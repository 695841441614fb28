import type { Page } from 'playwright-core';
import { labelledReviews, reviewsCsv } from '../../tests/unit/llm/mock/labelled-reviews';
import { median, round, setMock, type BenchCase, type BenchRecord } from '../bench-context';

/**
 * Issue 28: `-- @ model: auto(accuracy 0.95)` over 40 seeds, on 3,000 labelled review sentences
 * (UCI; nobody here wrote or tuned them), with the offline model's two tiers: the quality tier
 * (mock-1, with its language libraries) and the fast tier (mock-fast, its lexicon alone). They
 * agree on every row about a topic ("mentions food") and on about 82% of rows about sentiment
 * ("a positive review"): routing should use the fast tier for the first and not for the second.
 * The tiers are priced as Claude Opus 4.1 and Haiku 4.5, so the cost saved is in real proportions;
 * each seed starts from an empty cache, so it pays for everything it asks.
 */

const SEEDS = 40;
const ACCURACY = 0.95;
const CONFIDENCE = 0.9;
const CRITERIA = ['mentions food', 'a positive review'];
const PRICING = { 'mock-1': { inputPerMTok: 15, outputPerMTok: 75 }, 'mock-fast': { inputPerMTok: 1, outputPerMTok: 5 } };

const sqlFor = (criterion: string, model: string) =>
  `-- @ model: ${model}\n-- @ parallel: 64\n-- @ budget: 100000\nSELECT id, text MEANS '${criterion}' AS v FROM routing_reviews ORDER BY id`;

interface Outcome {
  values: boolean[];
  costUsd: number;
  route: { answeredBy: string; lower: number | null; qualityCallsSaved: number } | null;
}

async function fresh(page: Page, sql: string): Promise<Outcome> {
  return page.evaluate(async (q) => {
    await window.semsql!.cache.clear();
    const r = await window.semsql!.query(q);
    const route = r.stats.routes?.[0];
    return {
      values: r.rows.map((row) => row[1] === true),
      costUsd: r.stats.cost_usd,
      route: route ? { answeredBy: route.answeredBy, lower: route.agreement.lower, qualityCallsSaved: route.qualityCallsSaved } : null,
    };
  }, sql);
}

const agreementOf = (a: readonly boolean[], b: readonly boolean[]) => a.filter((v, i) => v === b[i]).length / a.length;

async function measure(page: Page, criterion: string, log: (m: string) => void): Promise<BenchRecord> {
  const quality = await fresh(page, sqlFor(criterion, 'quality'));
  const fast = await fresh(page, sqlFor(criterion, 'fast'));
  const saved: number[] = [];
  const agreement: number[] = [];
  const lower: number[] = [];
  let met = 0;
  let held = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const out = await fresh(page, sqlFor(criterion, `auto(accuracy ${ACCURACY}, confidence ${CONFIDENCE}, seed ${seed})`));
    const reached = agreementOf(out.values, quality.values);
    saved.push(1 - out.costUsd / quality.costUsd);
    agreement.push(reached);
    if (out.route?.lower != null) lower.push(out.route.lower);
    if (out.route?.answeredBy === 'cheap') met++;
    if (reached >= ACCURACY) held++;
  }
  log(`${criterion}: bar met in ${met}/${SEEDS} seeds, median cost saved ${round(median(saved) * 100)}%`);
  return {
    case: 'routing',
    dataset: 'UCI labelled review sentences (3,000)',
    criterion,
    seeds: SEEDS,
    accuracy: ACCURACY,
    confidence: CONFIDENCE,
    fast_tier_agreement_all_rows: round(agreementOf(fast.values, quality.values), 4),
    cost_saved_fraction: round(median(saved), 4),
    cost_saved_fraction_min: round(Math.min(...saved), 4),
    cost_saved_fraction_max: round(Math.max(...saved), 4),
    agreement: round(median(agreement), 4),
    agreement_min: round(Math.min(...agreement), 4),
    sample_lower_limit_median: lower.length ? round(median(lower), 4) : null,
    bar_met_fraction: round(met / SEEDS, 4),
    // Seeds whose result agrees with the quality tier's on at least `accuracy` of the rows: the promise.
    bar_held_fraction: round(held / SEEDS, 4),
    quality_cost_usd: round(quality.costUsd, 4),
  };
}

export const routing: BenchCase = {
  name: 'routing',
  description: `-- @ model: auto(accuracy ${ACCURACY}) over ${SEEDS} seeds on 3,000 labelled UCI review sentences, offline fast tier (lexicon) vs quality tier (libraries), priced as Haiku 4.5 and Opus 4.1: cost saved against the quality tier alone, the result's agreement with it, how often the bar was met and held`,
  async run({ page, log }) {
    await setMock(page, 0);
    await page.evaluate((pricing) => window.semsql!.settings.update({ provider: 'mock', model: 'mock-1', pricing }).then(() => undefined), PRICING);
    await page.evaluate((csv) => window.semsql!.load(csv, { table: 'routing_raw' }).then(() => undefined), reviewsCsv(labelledReviews()));
    await page.evaluate(() => window.semsql!.query('CREATE OR REPLACE TABLE routing_reviews AS SELECT row_number() OVER () AS id, text FROM routing_raw'));
    const records: BenchRecord[] = [];
    for (const criterion of CRITERIA) records.push(await measure(page, criterion, log));
    return records;
  },
};
