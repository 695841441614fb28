import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser, openApp } from '../../tests/e2e/support/browser';
import { catalogueExamples, runExample } from '../../tests/e2e/support/catalogue-examples';
import { freshMockSession } from '../../tests/e2e/support/mock-model';
import { serveStatic } from '../../tests/e2e/support/static-server';
import { renderReference, type ExampleAnswers } from './render';

export const DOCS = resolve(import.meta.dirname, '../../docs/semantic-sql.md');
export const ANSWERS = resolve(import.meta.dirname, '../../docs/semantic-sql.answers.json');
const DIST = resolve(import.meta.dirname, '../../dist-e2e');

/**
 * `npm run docs`: runs every catalogue example in the e2e build (the app in Chromium, the offline mock
 * answering), records what each answered, and writes docs/semantic-sql.md and its answers.
 */
export async function main(): Promise<void> {
  if (!existsSync(DIST)) throw new Error('dist-e2e/ is missing: run `npx vite build --mode e2e` first');
  const server = await serveStatic(DIST);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await openApp(page, server.url);
    await freshMockSession(page, 1);
    const answers: ExampleAnswers = {};
    for (const example of catalogueExamples()) {
      answers[example.sql] = await runExample(page, example.sql).catch((error: unknown) => {
        throw new Error(`example of ${example.owner} failed: ${example.sql}\n${(error as Error).message}`);
      });
    }
    writeFileSync(ANSWERS, `${JSON.stringify(answers, null, 1)}\n`);
    writeFileSync(DOCS, renderReference(answers));
    console.log(`docs: ${Object.keys(answers).length} examples → ${DOCS}`);
  } finally {
    await browser.close();
    await server.close();
  }
}
