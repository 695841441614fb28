/**
 * Rewrite speed for a realistic large query: 200 lines, 50 semantic operators of every shape.
 * Prints one line: BENCH {"case":"rewrite","median_ms":...,"p90_ms":...,"target_ms":5,...}
 *
 * Importing has no side effects; `main()` runs it. From the shell (Node 20 cannot strip types, so
 * Vite's module runner transpiles it, as scripts/bench.mjs does):
 *   node --input-type=module -e "const { module } = await (await import('vite')).runnerImport('./bench/cases/rewrite-query.ts'); module.main()"
 */
import { createRegistry, parseScript, type ParsedStatement } from '../../src/sql/index';

const TARGET_MS = 5;

/** 50 operator uses spread over a 200-line query with CTEs, joins, CASE, GROUP BY and HAVING. */
export function buildBenchQuery(): { sql: string; lines: number } {
  const lines: string[] = ['-- @ threshold: 0.6', '-- @ parallel: 16', 'WITH'];
  const ops = [
    "t.text MEANS 'a complaint about shipping'",
    "t.text ABOUT 'databases' > 0.7",
    "t.text ALIGNS WITH 'SQL is good for AI'",
    "t.author SAME_AS l.label AS 'company'",
    "t.text IMPLIES 'the author is a developer'",
    'sentiment(t.text) > 0',
    "t.text NOT MEANS 'spam'",
    "classify(t.text, 'bug,feature,question') = 'bug'",
    "t.text SIMILAR_TO 'I love query engines' > 0.8",
    "t.text CONTRADICTS 'SQL is dead'",
  ];
  let used = 0;
  const op = (): string => ops[used++ % ops.length] as string;
  for (let c = 0; c < 5; c++) {
    lines.push(`  cte_${c} AS (`);
    lines.push('    SELECT');
    lines.push('      t.id,');
    lines.push('      t.author,');
    lines.push(`      t.text TRANSLATED TO 'English' AS english_${c},`);
    lines.push(`      t.text EXTRACTS 'the product name' AS product_${c},`);
    lines.push("      CASE WHEN t.likes > 10 THEN 'popular' ELSE 'quiet' END AS reach,");
    lines.push('      t.likes');
    lines.push('    FROM tweets t');
    lines.push('    JOIN labels l');
    lines.push(`      ON ${op()}`);
    lines.push(`    WHERE ${op()}`);
    lines.push(`      AND ${op()}`);
    lines.push("      AND t.created_at > TIMESTAMP '2024-01-01'");
    lines.push(`      AND (${op()} OR t.likes > 100)`);
    lines.push(`  )${c < 4 ? ',' : ''}`);
  }
  lines.push('SELECT');
  lines.push('  c0.author,');
  lines.push('  summarize(c0.english_0) AS summary,');
  lines.push('  themes(c0.product_0, 3) AS themes,');
  lines.push("  classify(c0.english_0, 'fan,critic,neutral') AS stance,");
  lines.push('  sentiment_agg(c0.english_0) AS mood,');
  lines.push('  count(*) AS n');
  lines.push('FROM cte_0 c0');
  lines.push('JOIN cte_1 c1 ON c1.id = c0.id');
  lines.push('LEFT JOIN cte_2 c2 ON c2.id = c0.id');
  lines.push('LEFT JOIN cte_3 c3 ON c3.id = c0.id');
  lines.push('LEFT JOIN cte_4 c4 ON c4.id = c0.id');
  lines.push("WHERE c0.english_0 MEANS 'about our product'");
  lines.push("  AND c1.english_1 ABOUT 'pricing'");
  lines.push('GROUP BY c0.author');
  lines.push("HAVING consensus(c0.english_0) MEANS 'mostly positive'");
  lines.push("ORDER BY summary RELEVANCE TO 'shipping delays'");
  lines.push('LIMIT 20');
  const tail = [
    'SELECT id,',
    "  text TRANSLATED TO 'French' AS fr, tldr(text) AS short, text ASK 'who is the target?' AS target,",
    "  sentiment(text) AS mood, text PARSE 'a JSON object with keys product and price' AS parsed,",
    "  llm('Is {{a}} written by a bot?', text) AS bot, text ALIGNS 'remote work is better' AS stance",
    'FROM tweets',
    "WHERE text MEANS 'a question' AND author ABOUT 'a company' AND author IS VALID 'person name' AND text ~ 'urgent'",
    'LIMIT 5',
  ];
  // Plain comments pad the script to exactly 200 lines.
  const filler = 200 - lines.length - 1 - tail.length;
  lines.push(';');
  for (let i = 0; i < filler; i++) lines.push(i % 2 === 0 ? `-- note ${i}: plain comment, MEANS nothing` : `  /* ${i} */`);
  lines.push(...tail);
  return { sql: lines.join('\n'), lines: lines.length };
}

function countSites(statements: ParsedStatement[]): number {
  return statements.reduce((n, s) => n + (s.kind === 'query' || s.kind === 'explain' ? s.callSites.filter((c) => c.operator !== 'topic_label').length : 0), 0);
}

export function runRewriteBench(iterations = 400): { median_ms: number; p90_ms: number; lines: number; operators: number } {
  const registry = createRegistry();
  const { sql, lines } = buildBenchQuery();
  const operators = countSites(parseScript(sql, { registry }));
  for (let i = 0; i < 50; i++) parseScript(sql, { registry });
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    parseScript(sql, { registry });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Number((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(3));
  return { median_ms: at(0.5), p90_ms: at(0.9), lines, operators };
}

export function main(): void {
  const result = runRewriteBench();
  const line = { case: 'rewrite', median_ms: result.median_ms, p90_ms: result.p90_ms, target_ms: TARGET_MS, lines: result.lines, operators: result.operators };
  console.log(`BENCH ${JSON.stringify(line)}`);
}
