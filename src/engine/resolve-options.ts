import type { ResolvedOptions } from '../protocol/resolved-options';
import { isModelTier } from '../protocol/option-ranges';
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
  const seed = Number.parseInt(hashString(sql).slice(0, 8), 16);
  const { model, tier, routing } = resolveModel(options, settings, seed);
  return {
    model,
    tier,
    routing,
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
    // Seeded by the statement too: a rerun asks its inputs in the same order.
    estimate: { seed: options.approximate?.seed ?? seed, confidence: options.approximate?.confidence ?? 0.95, error: options.approximate?.error ?? null },
  };
}

/**
 * The concrete model a statement runs with: a tier through the provider's tier map, routing with
 * the quality tier's model (the answers it approximates, src/engine/routing-resolver.ts).
 */
function resolveModel(options: StatementOptions, settings: EngineSettings, seed: number): Pick<ResolvedOptions, 'model' | 'tier' | 'routing'> {
  const tiers = settings.tiers[settings.provider];
  if (options.routing) {
    const { accuracy, confidence } = options.routing;
    return {
      model: tiers.quality,
      tier: 'quality',
      routing: { accuracy, confidence, seed: options.routing.seed ?? seed, cheap: tiers.fast, quality: tiers.quality },
    };
  }
  const named = options.model ?? settings.model;
  return isModelTier(named) ? { model: tiers[named], tier: named, routing: null } : { model: named, tier: null, routing: null };
}
