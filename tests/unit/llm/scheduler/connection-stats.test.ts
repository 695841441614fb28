import { describe, expect, test } from 'vitest';
import { ConnectionStats } from '../../../../src/llm/scheduler/connection-stats';

describe('what a connection has shown, for planning', () => {
  test('before anything is seen: a second plus a few ms per output token', () => {
    const stats = new ConnectionStats();
    expect(stats.latencyMs(0)).toBe(1_000);
    expect(stats.latencyMs(100)).toBeGreaterThan(stats.latencyMs(0));
    expect(stats.inputTokens(100)).toBe(100);
    expect(stats.answerTokens('t', 12)).toBe(12);
  });

  test('latency that does not grow with output is learned as flat', () => {
    const stats = new ConnectionStats();
    for (let i = 0; i < 40; i++) stats.observe('t', 1 + (i % 8) * 8, 200, 100, { inputTokens: 100, outputTokens: 12 + (i % 8) * 100 });
    expect(stats.latencyMs(10)).toBeCloseTo(200, 0);
    expect(stats.latencyMs(800)).toBeCloseTo(200, 0);
  });

  test('latency that grows with output is learned as a line', () => {
    const stats = new ConnectionStats();
    for (let i = 0; i < 60; i++) {
      const out = 10 + (i % 10) * 50;
      stats.observe('t', 1, 300 + 4 * out, 100, { inputTokens: 100, outputTokens: out });
    }
    expect(stats.latencyMs(1_000)).toBeCloseTo(4_300, -1);
  });

  test('input estimates are corrected by what the provider counts; answers are sized per task', () => {
    const stats = new ConnectionStats();
    for (let i = 0; i < 30; i++) stats.observe('filter', 10, 100, 1_000, { inputTokens: 1_300, outputTokens: 120 });
    expect(stats.inputTokens(1_000)).toBeCloseTo(1_300, -1);
    expect(stats.answerTokens('filter', 99)).toBeCloseTo(12, 5);
    expect(stats.answerTokens('map', 99)).toBe(99);
  });
});
