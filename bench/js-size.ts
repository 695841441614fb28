import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The JavaScript a page loads before it can run: the scripts and module preloads of its HTML and
 * every chunk they import statically, followed through the built files. Chunks reached only by
 * dynamic import() (charts, Parquet export, the model's NLP libraries) or started as workers are
 * not page JS: they load later, if at all.
 */
export function pageJsFiles(dist: string, html: string): string[] {
  const page = readFileSync(join(dist, html), 'utf8');
  const roots = [...page.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(join(dist, file))) return;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    // Static imports and re-exports only: `import("./x.js")` has a bracket before its quote.
    for (const m of code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*\bfrom\s*)?["']\.\/([\w.-]+\.js)["']/g)) visit(join('assets', m[1] as string));
  };
  for (const root of roots) visit(root);
  return [...seen];
}

/** Gzipped kilobytes of files under `dist`. */
export function gzipKb(dist: string, files: readonly string[]): number {
  return files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0) / 1024;
}
