import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

describe('docs/architecture.md matches the code (issue 15)', () => {
  it('names only paths that exist', () => {
    const text = readFileSync(resolve(root, 'docs/architecture.md'), 'utf8');
    const paths = [...new Set([...text.matchAll(/\b((?:src|workers|tests|docs)\/[\w./-]*[\w/])/g)].map((m) => m[1] as string))];
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => !existsSync(resolve(root, p)))).toEqual([]);
  });

  it('lists every folder of src/ in its floors table', () => {
    const text = readFileSync(resolve(root, 'docs/architecture.md'), 'utf8');
    const eslint = readFileSync(resolve(root, 'eslint.config.js'), 'utf8');
    const table = eslint.slice(eslint.indexOf('const FLOORS = {'), eslint.indexOf('};', eslint.indexOf('const FLOORS = {')));
    const floors = [...table.matchAll(/^\s+(\w+): \[/gm)].map((m) => m[1] as string);
    expect(floors.length).toBeGreaterThan(5);
    for (const folder of floors) expect(text).toContain(`| \`src/${folder}/\``);
  });
});
