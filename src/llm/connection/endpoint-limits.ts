import type { EngineSettings } from '../../protocol/settings';
import type { AssumedLimits } from '../scheduler/provider-limits';

/**
 * What the plan assumes of an Anthropic endpoint's per-minute limits before its first response
 * says (issue 22): the published entry tier (Tier 1), the lowest a paying account has, so a plan
 * made on it never sends more than the account allows; the first response's rate-limit headers
 * replace it, and an endpoint that answers without any (a local server) drops it. The figures are
 * the ones the rate-limited bench models (bench/cases/rate-limited.ts): Haiku-class models 50
 * requests, 50,000 input and 10,000 output tokens a minute; larger models 50, 30,000 and 8,000.
 */
const HAIKU_TIER_1 = { requestsPerMinute: 50, inputTokensPerMinute: 50_000, outputTokensPerMinute: 10_000 };
const LARGER_TIER_1 = { requestsPerMinute: 50, inputTokensPerMinute: 30_000, outputTokensPerMinute: 8_000 };

export function assumedLimitsFor(settings: Pick<EngineSettings, 'provider' | 'model'>): AssumedLimits | undefined {
  if (settings.provider !== 'anthropic') return undefined;
  const haiku = /haiku/i.test(settings.model);
  const tier = haiku ? HAIKU_TIER_1 : LARGER_TIER_1;
  const count = (n: number) => n.toLocaleString('en-US');
  return {
    ...tier,
    basis: `Anthropic's entry tier for ${haiku ? 'Haiku-class' : 'Sonnet- and Opus-class'} models, ${count(tier.requestsPerMinute)} requests, ${count(tier.inputTokensPerMinute)} input and ${count(tier.outputTokensPerMinute)} output tokens a minute`,
  };
}

/**
 * Requests a browser keeps in flight to one endpoint: at most 6 to an `http://` one (Chromium,
 * Firefox and Safari open at most 6 HTTP/1.1 connections per host, and speak HTTP/2 only over TLS,
 * so a local server or a plain-HTTP proxy gets no more, whatever `parallel` says; more would wait in
 * the browser's queue while their timeouts run). An `https://` endpoint (the public API) multiplexes
 * over HTTP/2: no cap.
 */
export const HTTP1_CONNECTIONS_PER_HOST = 6;

export function requestsInFlightFor(settings: Pick<EngineSettings, 'provider' | 'anthropic'>): number {
  if (settings.provider !== 'anthropic') return Infinity;
  return /^http:\/\//i.test(settings.anthropic.baseURL.trim()) ? HTTP1_CONNECTIONS_PER_HOST : Infinity;
}
