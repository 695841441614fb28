import { describe, expect, test } from 'vitest';
import { findDates, findTimes, isDate, isoDate, isoDateTime, longDate, parseDate, weekday } from '../../../../../src/llm/mock/nlp/dates';
import { loadNlpCore } from '../../../../../src/llm/mock/nlp/load-nlp';

// The core libraries are all these answers need; entities and languages would only slow the file down.
const nlp = await loadNlpCore();

describe('dates by chrono', () => {
  test('finds the dates a text mentions, as written, but not a bare time or "now"', () => {
    expect(findDates('Paid $49.99 for this on 2025-03-02', nlp)).toEqual(['2025-03-02']);
    expect(findDates('Order #4821 arrived on Jan 5, two days late', nlp)).toEqual(['Jan 5']);
    expect(findDates('The meeting is at noon, now', nlp)).toEqual([]);
    expect(findTimes('See you tomorrow at 5pm', nlp)).toEqual(['tomorrow at 5pm']);
  });

  test('reads day-first dates only when asked to', () => {
    expect(isoDate(parseDate('03/04/2024', 'mdy', nlp) ?? fail())).toBe('2024-03-04');
    expect(isoDate(parseDate('03/04/2024', 'dmy', nlp) ?? fail())).toBe('2024-04-03');
  });

  test('resolves relative dates against a fixed day, the same in every time zone, and marks them approximate', () => {
    const before = process.env.TZ;
    try {
      for (const zone of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
        process.env.TZ = zone;
        const p = parseDate('next Friday at 3pm', 'mdy', nlp) ?? fail();
        expect(isoDateTime(p)).toBe('2025-01-10T15:00:00');
        expect(p.approximate).toBe(true);
      }
    } finally {
      process.env.TZ = before;
    }
  });

  test('names the weekday and the long form', () => {
    const p = parseDate('March 15th, 2024', 'mdy', nlp) ?? fail();
    expect(weekday(p)).toBe('Friday');
    expect(longDate(p)).toBe('March 15, 2024');
    expect(p.approximate).toBe(false);
  });

  test('a valid date is one real calendar day that fills the value', () => {
    expect(isDate('March 15th, 2024', nlp)).toBe(true);
    expect(isDate('12/05/2023', nlp)).toBe(true);
    expect(isDate('February 29, 2023', nlp)).toBe(false);
    expect(isDate('2025-02-30', nlp)).toBe(false);
    expect(isDate('born on March 15th, 2024', nlp)).toBe(false);
    expect(isDate('1990', nlp)).toBe(false);
  });
});

function fail(): never {
  throw new Error('expected a date');
}
