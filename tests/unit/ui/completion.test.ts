import { describe, expect, it } from 'vitest';
import { completionScope } from '../../../src/ui/lib/completion-scope';
import { rankedWords, wordUses } from '../../../src/ui/lib/keyword-rank';

/** The scope at the `|` of `text`. */
function at(text: string) {
  const cursor = text.indexOf('|');
  return completionScope(text.replace('|', ''), cursor);
}

describe('completion scope (issue 18: columns, aliases, qualified names)', () => {
  it('sees the table a statement reads even when the cursor is before FROM', () => {
    expect(at('SELECT au| FROM tweets')).toEqual({ spot: { kind: 'expression' }, refs: [{ table: 'tweets', alias: null }] });
  });

  it('reads aliases with and without AS, across joins and FROM lists', () => {
    const scope = at('SELECT | FROM tweets t JOIN reviews AS r ON t.id = r.id, "My Table" m WHERE x');
    expect(scope.refs).toEqual([
      { table: 'tweets', alias: 't' },
      { table: 'reviews', alias: 'r' },
      { table: 'My Table', alias: 'm' },
    ]);
  });

  it('takes the word after a table as an alias only when it is not a clause keyword', () => {
    expect(at('SELECT | FROM tweets WHERE likes > 3').refs).toEqual([{ table: 'tweets', alias: null }]);
    expect(at('SELECT | FROM tweets LEFT JOIN x ON true').refs).toEqual([
      { table: 'tweets', alias: null },
      { table: 'x', alias: null },
    ]);
  });

  it('completes columns after `alias.` and tables after FROM, JOIN and a comma of a FROM list', () => {
    expect(at('SELECT t.| FROM tweets t').spot).toEqual({ kind: 'qualified', qualifier: 't' });
    expect(at('SELECT t.au| FROM tweets t').spot).toEqual({ kind: 'qualified', qualifier: 't' });
    expect(at('SELECT * FROM |').spot).toEqual({ kind: 'table' });
    expect(at('SELECT * FROM tw|').spot).toEqual({ kind: 'table' });
    expect(at('SELECT * FROM a JOIN |').spot).toEqual({ kind: 'table' });
    expect(at('SELECT * FROM a, |').spot).toEqual({ kind: 'table' });
    // A comma in the select list is not a table position.
    expect(at('SELECT a, | FROM t').spot).toEqual({ kind: 'expression' });
    expect(at('SELECT a FROM t ORDER BY a, |').spot).toEqual({ kind: 'expression' });
  });

  it('skips subqueries and table functions, and survives an unterminated string after the cursor', () => {
    expect(at('SELECT | FROM (SELECT 1) s, range(10) r').refs).toEqual([]);
    expect(at("SELECT au| FROM tweets WHERE text = 'unfinished").refs).toEqual([]);
    expect(at("SELECT au| FROM tweets WHERE text = 'unfinished").spot).toEqual({ kind: 'expression' });
  });

  it('does not take the table name being typed for a table read', () => {
    expect(at('SELECT * FROM tw|').refs).toEqual([]);
  });
});

describe('keywords ranked by use', () => {
  it('puts everyday clauses first and leaves the standard’s long tail out', () => {
    const words = rankedWords();
    const boost = (label: string) => words.find((w) => w.label === label)?.boost ?? -Infinity;
    expect(boost('SELECT')).toBeGreaterThan(boost('HAVING'));
    expect(boost('WHERE')).toBeGreaterThan(boost('INTERSECT'));
    expect(words.some((w) => w.label === 'AUTHORIZATION')).toBe(false);
    expect(words.every((w) => w.boost >= -99 && w.boost <= 99)).toBe(true);
  });

  it('raises the words the user writes most', () => {
    const uses = wordUses(['SELECT * FROM t INTERSECT SELECT * FROM u', 'SELECT 1 INTERSECT SELECT 2', "it's broken '"]);
    expect(uses.get('INTERSECT')).toBe(2);
    const before = rankedWords().find((w) => w.label === 'INTERSECT')?.boost ?? 0;
    const after = rankedWords(uses).find((w) => w.label === 'INTERSECT')?.boost ?? 0;
    expect(after).toBeGreaterThan(before);
  });
});
