import { mockAnswer } from '../../src/llm/mock/answers';
import { loadNlp } from '../../src/llm/mock/nlp/load-nlp';
import { request } from '../../tests/unit/llm/mock/helpers';
import { agreement, labelledReviews, QUALITY_QUESTIONS, reviewsCsv } from '../../tests/unit/llm/mock/labelled-reviews';
import { round, setMock, type BenchCase } from '../bench-context';

// Loaded while the module is imported: scripts/bench.mjs imports the bench through Vite's module
// runner, which is closed by the time a case runs, and loadNlp's dynamic imports need it open.
const nlp = await loadNlp();

/**
 * Issue 17: the offline mock on labelled data no one here wrote. 3,000 UCI review sentences with gold
 * positive/negative labels go through the built app (rewriter, DuckDB, model workers with the NLP
 * chunk), and each sentiment-style answer is scored against the label; the same answers computed in
 * Node must be equal, or the e2e references would disagree with the workers.
 */
export const mockQuality: BenchCase = {
  name: 'mock-quality',
  description:
    "The mock model on the 3,000 UCI labelled review sentences (Amazon, IMDB, Yelp; 50% positive): agreement with the gold label of `text MEANS 'a positive review'`, `sentiment(text) > 0` and `classify(text, 'positive,negative')`, and the share of answers to a 1-to-5 ASK that are one digit in range. Target: ≥ 0.80 for the three sentiment-style questions, 1.0 for the digits; `node_equal` is the share of rows where the workers' answers equal mockAnswer in Node.",
  async run(ctx) {
    const reviews = labelledReviews();
    await setMock(ctx.page, 1);
    await ctx.page.evaluate((csv) => window.semsql!.load(csv, { table: 'reviews' }).then(() => undefined), reviewsCsv(reviews));
    const options = '-- @ parallel: 64\n-- @ budget: 20000\n';
    const started = performance.now();
    const judged = await ctx.page.evaluate(
      (sql) => window.semsql!.query(sql).then((r) => r.rows),
      `${options}SELECT label, text, text MEANS '${QUALITY_QUESTIONS.means}' AS m, sentiment(text) > 0 AS s, classify(text, '${QUALITY_QUESTIONS.classify}') AS c FROM reviews`,
    );
    const judgedMs = performance.now() - started;
    const asked = await ctx.page.evaluate(
      (sql) => window.semsql!.query(sql).then((r) => r.rows.map((row) => String(row[0]))),
      `${options}SELECT text ASK '${QUALITY_QUESTIONS.ask}' FROM reviews`,
    );

    const gold = judged.map((row) => row[0] === 'positive');
    const equalInNode = judged.filter((row) => {
      const text = String(row[1]);
      const m = mockAnswer(request('matches', [text, QUALITY_QUESTIONS.means], 'BOOLEAN'), nlp);
      const s = (mockAnswer(request('sentiment', [text], 'DOUBLE', { range: [-1, 1] }), nlp) as number) > 0;
      const c = mockAnswer(request('classify', [text, QUALITY_QUESTIONS.classify], 'VARCHAR'), nlp);
      return row[2] === m && row[3] === s && row[4] === c;
    }).length;
    return [
      {
        case: 'mock-quality',
        rows: judged.length,
        means_agreement: round(agreement(gold, judged.map((row) => row[2] === true)), 3),
        sentiment_agreement: round(agreement(gold, judged.map((row) => row[3] === true)), 3),
        classify_agreement: round(agreement(gold, judged.map((row) => row[4] === 'positive')), 3),
        ask_numeric_valid_fraction: round(asked.filter((a) => /^[1-5]$/.test(a)).length / asked.length, 3),
        target: 0.8,
        node_equal: round(equalInNode / judged.length, 3),
        wall_ms: round(judgedMs),
      },
    ];
  },
};
