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
  const join = options.join ?? settings.join ?? 'exact';
  // Seeded by the statement, so a rerun draws the same sample and asks nothing new.
  const seed = Number.parseInt(hashString(sql).slice(0, 8), 16);
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
    cascade: cascade === 'off' ? 'off' : { ...cascade, seed: (cascade as { seed?: number }).seed ?? seed },
    join: typeof join === 'string' ? join : { ...join, seed: (join as { seed?: number }).seed ?? seed },
  };
}
