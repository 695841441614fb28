import * as v from 'valibot';

/**
 * The ranges of the options a user can give in more than one place: as a statement annotation
 * (`-- @ parallel: 8`, src/sql/annotations.ts), as a setting (src/protocol/settings-schema.ts) and
 * as a widget option (src/embed). One table, so a value is refused the same way, with the same
 * words, wherever it is given: "<name> must be <expected>".
 */

export interface OptionRange<T> {
  /** What a valid value is, in words: "a whole number from 1 to 256". */
  readonly expected: string;
  /** The check, as a valibot schema whose every issue says `message`. */
  schema(message: string): v.GenericSchema<unknown, T>;
}

const count = (n: number) => n.toLocaleString('en-US');

function whole(min: number, max: number): OptionRange<number> {
  return {
    expected: `a whole number from ${count(min)} to ${count(max)}`,
    schema: (message) => v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message)),
  };
}

/** A number from `min` to `max`, the ends included. */
function closed(min: number, max: number): OptionRange<number> {
  return {
    expected: `a number from ${min} to ${max}`,
    schema: (message) => v.pipe(v.number(message), v.finite(message), v.minValue(min, message), v.maxValue(max, message)),
  };
}

/** A number strictly between 0 and 1: a target of 1 would need every row asked, 0 means nothing. */
const FRACTION_INSIDE: OptionRange<number> = {
  expected: 'a number between 0 and 1 (both excluded)',
  schema: (message) => v.pipe(v.number(message), v.gtValue(0, message), v.ltValue(1, message)),
};

function autoOr(range: OptionRange<number>): OptionRange<number | 'auto'> {
  return {
    expected: `"auto" or ${range.expected}`,
    schema: (message) => v.union([v.literal('auto'), range.schema(message)], message),
  };
}

export const RANGES = {
  /** Model calls in flight at once. */
  parallel: whole(1, 256),
  /** Rows sent together in one request; "auto": as many as finish soonest under the provider's limits. */
  rowsPerRequest: autoOr(whole(1, 512)),
  /** Billed requests a statement may send, retries included. */
  budget: whole(0, 100_000_000),
  /** The score above which a score used as a condition is true. */
  threshold: closed(0, 1),
  /** Anthropic's Messages API accepts 0 to 1. */
  temperature: closed(0, 1),
  /** Rows per early-LIMIT wave. */
  wave: whole(1, 1_000_000),
  /** A cascade's recall, precision or confidence. */
  cascadeTarget: FRACTION_INSIDE,
  /** A cascade's or a join's sample seed. */
  seed: whole(0, 999_999_999),
  /** `-- @ model: auto(accuracy A, confidence C)`: the agreement bar and how sure of it routing must be. */
  routingTarget: FRACTION_INSIDE,
  /** A semantic join's recall, precision or confidence (docs/semantic-joins.md). */
  joinTarget: FRACTION_INSIDE,
  /** `-- @ approximate: error E`: the half-width every estimate must reach (0.05: ±5 points of a share). */
  approximateError: FRACTION_INSIDE,
  /** `-- @ approximate: …, confidence C`: the intervals' confidence level. */
  approximateConfidence: FRACTION_INSIDE,
} as const;

/**
 * Model tiers (`-- @ model: fast`), cheapest first: the settings map each to a concrete model per
 * provider, and `auto(accuracy A)` routing chooses between the first and the last.
 */
export const MODEL_TIERS = ['fast', 'standard', 'quality'] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

export function isModelTier(name: string): name is ModelTier {
  return (MODEL_TIERS as readonly string[]).includes(name);
}

/** The one message for a value of `name` outside `range`. */
export function rangeMessage(name: string, range: OptionRange<unknown>): string {
  return `${name} must be ${range.expected}`;
}

/** The valibot schema of `name`'s range: its issues all say rangeMessage(name, range). */
export function rangeSchema<T>(name: string, range: OptionRange<T>): v.GenericSchema<unknown, T> {
  return range.schema(rangeMessage(name, range));
}

/** `value` if it is in `range`; otherwise the message that refuses it. */
export function checkRange<T>(name: string, range: OptionRange<T>, value: unknown): { ok: true; value: T } | { ok: false; message: string } {
  const result = v.safeParse(rangeSchema(name, range), value);
  return result.success ? { ok: true, value: result.output } : { ok: false, message: rangeMessage(name, range) };
}
