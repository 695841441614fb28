import type { ModelRequest, TokenUsage } from '../../protocol/model';

/**
 * Rows per call (issue 16): rows of the same task — operator, model, template, fields, instructions
 * and options: everything but the values — can share one request. Each row is still answered,
 * checked and cached on its own.
 */

/** Rows with the same key may share a request. */
export function taskKey(request: ModelRequest): string {
  const { rows: _rows, ...task } = request;
  return JSON.stringify(task);
}

/** One request carrying these one-row requests' rows, in order. */
export function mergeRows(requests: readonly ModelRequest[]): ModelRequest {
  const first = requests[0];
  if (!first) throw new Error('mergeRows needs at least one request');
  return { ...first, rows: requests.flatMap((r) => r.rows) };
}

/**
 * A request's usage split over its rows: whole tokens, the remainder to the first rows, so the shares
 * add up to exactly what the request consumed (costs per row then add up to the bill).
 */
export function shareUsage(usage: TokenUsage, rows: number): TokenUsage[] {
  const split = (total: number | undefined): number[] => {
    const t = total ?? 0;
    const base = Math.floor(t / rows);
    return Array.from({ length: rows }, (_, i) => base + (i < t - base * rows ? 1 : 0));
  };
  const input = split(usage.inputTokens);
  const output = split(usage.outputTokens);
  const write = split(usage.cacheWriteTokens);
  const read = split(usage.cacheReadTokens);
  return input.map((inputTokens, i) => ({
    inputTokens,
    outputTokens: output[i] as number,
    ...(usage.cacheWriteTokens ? { cacheWriteTokens: write[i] as number } : {}),
    ...(usage.cacheReadTokens ? { cacheReadTokens: read[i] as number } : {}),
  }));
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const sum: TokenUsage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
  const write = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  const read = (a.cacheReadTokens ?? 0) + (b.cacheReadTokens ?? 0);
  if (write > 0) sum.cacheWriteTokens = write;
  if (read > 0) sum.cacheReadTokens = read;
  return sum;
}

export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0 };
