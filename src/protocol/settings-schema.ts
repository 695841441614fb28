import * as v from 'valibot';
import { RANGES, rangeSchema } from './option-ranges';
import type { EngineSettings } from './settings';

/**
 * The settings as the client accepts them: every field checked at the boundary, so a NaN budget, a
 * negative one or `maxPasses: 0` is refused with a message naming the field, instead of silently
 * turning a guard off (issue 13). valibot rather than hand-written checks: one declarative schema,
 * small enough for the page bundle.
 */

const int = (min: number, max: number, what: string) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.integer(`${what} must be a whole number`),
    v.minValue(min, `${what} must be at least ${min}`),
    v.maxValue(max, `${what} must be at most ${max.toLocaleString('en-US')}`),
  );
const fraction = (what: string) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.finite(`${what} must be a number`),
    v.minValue(0, `${what} must be from 0 to 1`),
    v.maxValue(1, `${what} must be from 0 to 1`),
  );
const price = (what: string) => v.pipe(v.number(`${what} must be a number`), v.finite(`${what} must be a number`), v.minValue(0, `${what} cannot be negative`));

const latency = v.union(
  [
    int(0, 600_000, 'mock latency'),
    v.pipe(
      v.tuple([int(0, 600_000, 'mock latency'), int(0, 600_000, 'mock latency')]),
      v.check(([lo, hi]) => lo <= hi, 'mock latency range must be [min, max] with min <= max'),
    ),
  ],
  'mock latency must be a number of milliseconds or a [min, max] range',
);

const MockSchema = v.object({
  latencyMs: latency,
  seed: int(-(2 ** 31), 2 ** 32, 'mock seed'),
  faults: v.pipe(
    v.object({
      rateLimit: fraction('mock rateLimit fault rate'),
      server: fraction('mock server fault rate'),
      timeout: fraction('mock timeout fault rate'),
      malformed: fraction('mock malformed fault rate'),
    }),
    v.check((f) => f.rateLimit + f.server + f.timeout + f.malformed <= 1, 'mock fault rates must add up to at most 1'),
  ),
  timeoutMs: int(0, 600_000, 'mock timeoutMs'),
});

const baseUrl = (what: string) =>
  v.union(
    [
      v.literal(''),
      v.pipe(
        v.string(),
        v.url(),
        v.check((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL'),
      ),
    ],
    `${what} must be empty (the public API) or an http(s) URL`,
  );

const AnthropicSchema = v.object({
  baseURL: baseUrl('anthropic.baseURL'),
  maxTokens: int(1, 200_000, 'anthropic.maxTokens'),
  timeoutMs: int(1_000, 3_600_000, 'anthropic.timeoutMs'),
  requestsPerMinute: int(0, 1_000_000, 'anthropic.requestsPerMinute'),
  tokensPerMinute: int(0, 1_000_000_000, 'anthropic.tokensPerMinute'),
  batchBaseURL: baseUrl('anthropic.batchBaseURL'),
});

const EmbeddingsSchema = v.pipe(
  v.object({
    provider: v.picklist(['on-device', 'mock', 'openai'], 'embeddings.provider must be "on-device", "mock" or "openai"'),
    baseURL: baseUrl('embeddings.baseURL'),
    model: v.pipe(v.string('embeddings.model must be a model id'), v.trim(), v.nonEmpty('embeddings.model must be a model id')),
  }),
  v.check((e) => e.provider !== 'openai' || e.baseURL !== '', 'embeddings.baseURL is needed for an OpenAI-compatible endpoint'),
);

const origin = v.pipe(
  v.string('each allowed host must be an origin such as https://docs.example.org'),
  v.check((s) => {
    try {
      const url = new URL(s);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === s;
    } catch {
      return false;
    }
  }, 'each allowed host must be an origin such as https://docs.example.org (scheme, host and port only)'),
);

const modelId = (what: string) => v.pipe(v.string(`${what} must be a model id`), v.trim(), v.nonEmpty(`${what} must be a model id`));
const tierModels = (what: string) => v.object({ fast: modelId(`${what}.fast`), standard: modelId(`${what}.standard`), quality: modelId(`${what}.quality`) });

export const EngineSettingsSchema = v.object({
  provider: v.picklist(['mock', 'anthropic'], 'provider must be "mock" or "anthropic"'),
  model: v.pipe(v.string('model must be a model id'), v.trim(), v.nonEmpty('model must be a model id')),
  // The ranges a statement's annotations and the widget's options share (src/protocol/option-ranges.ts).
  parallel: rangeSchema('parallel', RANGES.parallel),
  rowsPerRequest: rangeSchema('rowsPerRequest', RANGES.rowsPerRequest),
  budget: rangeSchema('budget', RANGES.budget),
  maxAttempts: int(1, 20, 'maxAttempts'),
  maxPasses: int(2, 10_000, 'maxPasses'),
  maxWaitMs: int(0, 3_600_000, 'maxWaitMs'),
  mock: MockSchema,
  anthropic: AnthropicSchema,
  embeddings: EmbeddingsSchema,
  cascade: v.union(
    [
      v.literal('off'),
      v.object({
        recall: rangeSchema('cascade.recall', RANGES.cascadeTarget),
        precision: rangeSchema('cascade.precision', RANGES.cascadeTarget),
        confidence: rangeSchema('cascade.confidence', RANGES.cascadeTarget),
      }),
    ],
    'cascade must be "off" or {recall, precision, confidence}, each between 0 and 1',
  ),
  join: v.optional(
    v.union(
      [
        v.literal('exact'),
        v.literal('classify'),
        v.object({ recall: rangeSchema('join.recall', RANGES.joinTarget), confidence: rangeSchema('join.confidence', RANGES.joinTarget) }),
      ],
      'join must be "exact", "classify" or {recall, confidence}, each between 0 and 1',
    ),
  ),
  pricing: v.record(
    v.string(),
    v.object({
      inputPerMTok: price('pricing inputPerMTok'),
      outputPerMTok: price('pricing outputPerMTok'),
      cacheWritePerMTok: v.optional(price('pricing cacheWritePerMTok')),
      cacheReadPerMTok: v.optional(price('pricing cacheReadPerMTok')),
    }),
  ),
  embedHosts: v.array(origin),
  tiers: v.object({ mock: tierModels('tiers.mock'), anthropic: tierModels('tiers.anthropic') }),
});

/** Settings that failed validation: the message lists each problem with the field it is about. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** The settings if valid; a SettingsError naming every bad field otherwise. */
export function validateSettings(value: unknown): EngineSettings {
  const result = v.safeParse(EngineSettingsSchema, value);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const path = v.getDotPath(issue);
    const got = issue.received === undefined ? '' : ` (got ${issue.received})`;
    return path ? `${path}: ${issue.message}${got}` : `${issue.message}${got}`;
  });
  throw new SettingsError(`invalid settings: ${problems.join('; ')}`);
}

// The schema and the EngineSettings interface describe the same shape: this fails to compile if
// either changes without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<v.InferOutput<typeof EngineSettingsSchema>, EngineSettings> = true;
void sameShape;
