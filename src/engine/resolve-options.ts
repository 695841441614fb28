import type { ResolvedOptions } from '../protocol/resolved-options';
import type { EngineSettings } from '../protocol/settings';
import { hashString, type StatementOptions } from '../sql';

/**
 * The one place a statement's options meet the settings: annotations (already checked against the
 * shared ranges by src/sql/annotations.ts) over the settings (checked by
 * src/protocol/settings-schema.ts at the client), as one complete record.
 */
export function resolveOptions(options: StatementOptions, settings: EngineSettings, sql: string): ResolvedOptions {
  const cascade = options.cascade ?? settings.cascade;
  const sqlSeed = Number.parseInt(hashString(sql).slice(0, 8), 16);
  return {
    model: options.model ?? settings.model,
    temperature: options.temperature ?? 0,
    instructions: options.instructions,
    mode: options.mode ?? 'direct',
    parallel: options.parallel ?? settings.parallel,
    rowsPerRequest: options.rows_per_request ?? settings.rowsPerRequest,
    budget: options.budget ?? settings.budget,
    maxAttempts: settings.maxAttempts,
    maxWaitMs: settings.maxWaitMs,
    onError: options.on_error,
    cache: options.cache,
    threshold: options.threshold,
    maxPasses: settings.maxPasses,
    early: options.early,
    wave: options.wave ?? null,
    // Seeded by the statement, so a rerun draws the same sample and asks nothing new.
    cascade: cascade === 'off' ? 'off' : { ...cascade, seed: (cascade as { seed?: number }).seed ?? sqlSeed },
    // Seeded by the statement too: a rerun asks its inputs in the same order.
    estimate: { seed: options.approximate?.seed ?? sqlSeed, confidence: options.approximate?.confidence ?? 0.95, error: options.approximate?.error ?? null },
  };
}
