import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

describe('the repo carries its own design (issue 22)', () => {
  const FILES = /\.(ts|svelte|mjs|js|md)$/;
  const sources = (dir: string): string[] =>
    readdirSync(resolve(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return sources(path);
      return FILES.test(entry.name) ? [path] : [];
    });
  const files = [...['src', 'workers', 'scripts', 'bench', 'tests', 'docs'].flatMap(sources), 'vite.config.ts', 'eslint.config.js', 'README.md'].filter(
    // The generated reference quotes the language as it is, and this file names what it forbids.
    (f) => f !== 'docs/semantic-sql.md' && f !== 'tests/unit/docs/architecture.test.ts',
  );

  const headings = (doc: string) => [...readFileSync(resolve(root, doc), 'utf8').matchAll(/^#+\s+(.+)$/gm)].map((m) => (m[1] as string).toLowerCase());

  it('names only documents of the repo, and only sections they have', () => {
    const cited: string[] = [];
    const missing: string[] = [];
    for (const file of files) {
      const text = readFileSync(resolve(root, file), 'utf8');
      for (const m of text.matchAll(/\b(docs\/[\w.-]+\.md)(?:,\s*"([^"]+)")?/g)) {
        const [, doc = '', quoted] = m;
        // A section name may wrap onto the next comment line.
        const section = quoted?.replace(/\s*\n\s*(\*|\/\/)?\s*/g, ' ');
        cited.push(doc);
        if (!existsSync(resolve(root, doc))) missing.push(`${file}: ${doc}`);
        else if (section && !headings(doc).some((h) => h.startsWith(section.toLowerCase()))) missing.push(`${file}: ${doc}, "${section}"`);
      }
    }
    expect(cited.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('cites no document outside it', () => {
    const outside = new RegExp(['DESIGN', 'STYLE', 'SEMANTIC_SQL'].map((name) => `\\b${name}\\.md`).join('|') + '|\\.\\./shared');
    expect(files.filter((file) => outside.test(readFileSync(resolve(root, file), 'utf8')))).toEqual([]);
  });
});
