import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { examplesToAnswer, REGENERATE, renderReference, type ExampleAnswers } from '../../../scripts/docs/render';

const DOCS = resolve(import.meta.dirname, '../../../docs/semantic-sql.md');
const ANSWERS = resolve(import.meta.dirname, '../../../docs/semantic-sql.answers.json');
const STALE = `docs/semantic-sql.md is out of date with the operator catalogue (src/sql/catalogue): run \`${REGENERATE}\`, which builds the e2e app, runs every example and rewrites the page`;

describe('docs/semantic-sql.md (issue 17)', () => {
  const answers = JSON.parse(readFileSync(ANSWERS, 'utf8')) as ExampleAnswers;

  test('has an answer for every catalogue example, and none for examples that are gone', () => {
    const wanted = examplesToAnswer().map((e) => e.sql);
    expect(wanted.filter((sql) => answers[sql] === undefined), STALE).toEqual([]);
    expect(Object.keys(answers).filter((sql) => !wanted.includes(sql)), STALE).toEqual([]);
  });

  test('is what the catalogue and those answers render to', () => {
    expect(readFileSync(DOCS, 'utf8') === renderReference(answers), STALE).toBe(true);
  });

  test('shows every operator a user can write, and links nowhere outside the repo', () => {
    const text = readFileSync(DOCS, 'utf8');
    for (const sql of examplesToAnswer().map((e) => e.sql)) expect(text).toContain(sql);
    expect(text).not.toMatch(/\]\((?!#)[^)]*\)/);
  });
});
