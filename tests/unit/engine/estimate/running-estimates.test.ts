import { describe, expect, it } from 'vitest';
import { RunningEstimates } from '../../../../src/engine/estimate/running-estimates';
import type { Miss } from '../../../../src/engine/query-run';
import { BUILTIN_OPERATORS, type OperatorDef } from '../../../../src/sql';

const op = (returns: 'BOOLEAN' | 'DOUBLE' | 'VARCHAR') => BUILTIN_OPERATORS.find((o) => o.returns === returns && o.shape === 'scalar') as OperatorDef;
const filter = op('BOOLEAN');
const misses = (operator: OperatorDef, keys: string[]): Miss[] => keys.map((key) => ({ key, operator, args: [key, 'criterion'] }));

describe('running estimates', () => {
  it('a filter: the share of its inputs answered true, over the inputs it asks', () => {
    const e = new RunningEstimates(0.95);
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    e.asking(misses(filter, keys));
    keys.slice(0, 200).forEach((k, i) => e.settled(k, i % 5 === 0));
    const [r] = e.reports();
    expect(r).toMatchObject({ kind: 'share', answered: 200, inputs: 1000, estimate: 0.2, criterion: 'criterion' });
    expect(r?.low).toBeLessThan(0.2);
    expect(r?.high).toBeGreaterThan(0.2);
    expect(e.within(0.1)).toBe(true);
    expect(e.within(0.01)).toBe(false);
    expect(e.complete).toBe(false);
  });

  it('inputs known before asking are an exact stratum: after a Stop, a rerun starts from what was paid for', () => {
    const e = new RunningEstimates(0.95);
    // 500 known (all true), 500 asked, of which 100 settled (all false).
    for (let i = 0; i < 500; i++) e.known(`known${i}`, filter, [`known${i}`, 'criterion'], true);
    const asked = Array.from({ length: 500 }, (_, i) => `k${i}`);
    e.asking(misses(filter, asked));
    asked.slice(0, 100).forEach((k) => e.settled(k, false));
    const [r] = e.reports();
    expect(r).toMatchObject({ answered: 600, inputs: 1000, estimate: 0.5 });
    // The unknown half can only move the share within [0.5, 1]·½ + ½: the interval stays inside it.
    expect(r?.low).toBeGreaterThanOrEqual(0.5);
    expect(r?.high).toBeLessThanOrEqual(0.6);
  });

  it('errors and answers of another type are not counted; once every input has settled the run is complete', () => {
    const e = new RunningEstimates(0.95);
    e.asking(misses(filter, ['a', 'b', 'c']));
    e.settled('a', true);
    e.settled('b', undefined);
    expect(e.reports()[0]).toMatchObject({ answered: 1, inputs: 3 });
    expect(e.complete).toBe(false);
    e.settled('c', 'yes');
    expect(e.reports()[0]).toMatchObject({ answered: 1, estimate: 1 });
    expect(e.complete).toBe(true);
  });

  it('counts answers only as a prefix of the order asked: a quick answer waits for the slower ones asked before it', () => {
    const e = new RunningEstimates(0.95);
    e.asking(misses(filter, ['first', 'second', 'third']));
    e.settled('third', true);
    e.settled('second', true);
    expect(e.reports()[0]).toMatchObject({ answered: 0, estimate: null });
    e.settled('first', false);
    expect(e.reports()[0]).toMatchObject({ answered: 3 });
  });

  it('a score: no interval before 30 answers; text operators are not estimated', () => {
    const e = new RunningEstimates(0.95);
    e.asking(
      misses(
        op('DOUBLE'),
        Array.from({ length: 100 }, (_, i) => `s${i}`),
      ),
    );
    e.asking(misses(op('VARCHAR'), ['t1']));
    for (let i = 0; i < 29; i++) e.settled(`s${i}`, i / 29);
    expect(e.reports()).toHaveLength(1);
    expect(e.reports()[0]).toMatchObject({ kind: 'mean', low: null, high: null });
    e.settled('s29', 0.5);
    expect(e.reports()[0]?.low).not.toBeNull();
  });
});
