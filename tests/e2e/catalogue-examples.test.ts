import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from './support/app-fixture';
import { catalogueExamples, runExample, type ExampleResult } from './support/catalogue-examples';
import { freshMockSession } from './support/mock-model';

// Every example of the operator catalogue, run through the real rewriter and DuckDB-WASM in Chromium
// with the offline mock answering, must give what docs/semantic-sql.md shows for it (recorded there by
// `npm run docs`). One app for all of them: a fresh page per example would multiply the run time.
const app = useApp();
const answers = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../docs/semantic-sql.answers.json'), 'utf8')) as Record<
  string,
  ExampleResult | { pending: string }
>;

beforeAll(async () => {
  await freshMockSession(app().page, 1);
});

describe('catalogue examples (issue 17): each runs and answers what the docs show', () => {
  for (const example of catalogueExamples()) {
    const name = `${example.owner}: ${example.sql}`;
    it(name, async () => {
      const recorded = answers[example.sql];
      expect(recorded, 'no recorded answer: run `npm run docs`').toBeDefined();
      const result = await runExample(app().page, example.sql);
      expect(result.columns.length).toBeGreaterThan(0);
      expect(result).toEqual(recorded);
    });
  }
});
