/**
 * The offline mock provider: `mockAnswer` behind a simulated network. Latency and faults are drawn
 * from a generator seeded by (seed, request key, attempt number), so a retry of the same key draws
 * differently while a fresh provider with the same seed replays the exact same sequence: fault
 * injection is reproducible in tests and benchmarks.
 */
import { ProviderError, type Provider } from '../provider';
import type { MockConfig, ModelAnswer, ModelRequest } from '../../protocol/model';
import { mockAnswer } from './answers';
import { hash32, mulberry32 } from './random';

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface MockProviderDeps {
  /** Waits `ms`, rejecting promptly when `signal` aborts. Tests pass a recording fake. */
  sleep?: Sleep;
}

const cancelled = () => new ProviderError({ kind: 'cancelled', message: 'the call was cancelled' });

/** Real timers: the provider runs in pool workers, where setTimeout is what "waiting" means. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelled());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export type MockOutcome = 'ok' | 'rate_limit' | 'server' | 'overloaded' | 'timeout' | 'malformed';

export interface MockDraw {
  latencyMs: number;
  outcome: MockOutcome;
  /** For rate_limit: the retry-after the simulated 429 carries. */
  retryAfterMs: number;
}

/**
 * The draws for one attempt, in a fixed order (latency, fault, detail) from one generator so that
 * adding a draw at the end never shifts earlier ones. Fault bands are cumulative: with probabilities
 * summing to at most 1, each fault occurs at exactly its configured rate.
 */
export function drawAttempt(config: MockConfig, key: string, attempt: number): MockDraw {
  const next = mulberry32(hash32(`${key}\u0000${attempt}`, config.seed));
  const latency = config.latencyMs;
  const u = next();
  const latencyMs = typeof latency === 'number' ? latency : Math.round(latency[0] + u * (latency[1] - latency[0]));
  const f = next();
  const detail = next();
  const { rateLimit, server, timeout, malformed } = config.faults;
  let outcome: MockOutcome = 'ok';
  if (f < rateLimit) outcome = 'rate_limit';
  else if (f < rateLimit + server) outcome = detail < 0.25 ? 'overloaded' : 'server';
  else if (f < rateLimit + server + timeout) outcome = 'timeout';
  else if (f < rateLimit + server + timeout + malformed) outcome = 'malformed';
  return { latencyMs: Math.max(0, latencyMs), outcome, retryAfterMs: 50 + Math.floor(detail * 151) };
}

function failure(draw: MockDraw, request: ModelRequest, timeoutMs: number): ProviderError | undefined {
  const op = request.operator;
  switch (draw.outcome) {
    case 'ok':
      return undefined;
    case 'rate_limit':
      return new ProviderError({ kind: 'rate_limit', status: 429, retryAfterMs: draw.retryAfterMs, message: `mock: rate limited (429) on ${op}` });
    case 'server':
      return new ProviderError({ kind: 'server', status: 500, message: `mock: internal server error (500) on ${op}` });
    case 'overloaded':
      return new ProviderError({ kind: 'overloaded', status: 529, message: `mock: overloaded (529) on ${op}` });
    case 'timeout':
      return new ProviderError({ kind: 'timeout', message: `mock: no answer within ${timeoutMs} ms on ${op}` });
    case 'malformed':
      return new ProviderError({ kind: 'malformed', message: `mock: the answer to ${op} did not fit its schema (${request.returns})` });
  }
}

export function createMockProvider(config: MockConfig, deps: MockProviderDeps = {}): Provider {
  const sleep = deps.sleep ?? realSleep;
  // Attempts per key: the pool retries a key on the same provider, and each retry must draw anew.
  const attempts = new Map<string, number>();

  return {
    async call(request: ModelRequest, signal: AbortSignal): Promise<ModelAnswer> {
      if (signal.aborted) throw cancelled();
      const attempt = attempts.get(request.key) ?? 0;
      attempts.set(request.key, attempt + 1);
      const draw = drawAttempt(config, request.key, attempt);
      const waitMs = draw.outcome === 'timeout' ? config.timeoutMs : draw.latencyMs;
      try {
        await sleep(waitMs, signal);
      } catch (error) {
        if (signal.aborted || (error instanceof ProviderError && error.kind === 'cancelled')) throw cancelled();
        throw error;
      }
      // An injected sleep may ignore the signal; the contract is still "aborted means cancelled".
      if (signal.aborted) throw cancelled();
      const error = failure(draw, request, config.timeoutMs);
      if (error !== undefined) throw error;
      let value: ModelAnswer['value'];
      try {
        value = mockAnswer(request);
      } catch (cause) {
        throw new ProviderError({ kind: 'bad_request', message: `mock: cannot answer ${request.operator}: ${String(cause)}` });
      }
      return {
        value,
        inputTokens: Math.ceil((request.prompt.length + request.instructions.join('\n').length) / 4),
        outputTokens: Math.ceil(String(value).length / 4) + 5,
      };
    },
  };
}
