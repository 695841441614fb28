/**
 * The offline mock provider: `mockAnswer` behind a simulated network. Latency and faults are drawn
 * from a generator seeded by (seed, request key, attempt number), so a retry of the same key draws
 * differently while a fresh provider with the same seed replays the exact same sequence: fault
 * injection is reproducible in tests and benchmarks.
 */
import { MOCK_FAST_MODEL, ProviderError, type Provider } from '../provider';
import type { AnswerValue, MockConfig, ModelAnswer, ModelRequest } from '../../protocol/model';
import { estimateTokens, userMessage } from '../prompt';
import { mockAnswer } from './answers';
import { questionsOf, type MockQuestion } from './question';
import { loadNlpCore, loadNlpPart, MissingNlpPart, type Nlp, type NlpPart } from './nlp/load-nlp';
import { createMockBatchApi } from './mock-batch-api';
import { hash32, mulberry32 } from './random';

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface MockProviderDeps {
  /** Waits `ms`, rejecting promptly when `signal` aborts. Tests pass a recording fake. */
  sleep?: Sleep;
  /** Loads the NLP layer the answers use: dynamic imports, so the libraries stay out of page JS. */
  nlp?: NlpLoader;
}

export interface NlpLoader {
  /** The core libraries, loaded when the provider is created. */
  core(): Promise<Nlp>;
  /** An on-demand part, loaded when an answer throws MissingNlpPart for it. */
  part(part: NlpPart): Promise<void>;
}

const DEFAULT_NLP: NlpLoader = { core: loadNlpCore, part: loadNlpPart };

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

function failure(draw: MockDraw, request: Pick<ModelRequest, 'operator' | 'returns'>, timeoutMs: number): ProviderError | undefined {
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

const unloadable = (cause: unknown) => new ProviderError({ kind: 'network', message: `mock: cannot load its language libraries: ${String(cause)}` });

/**
 * mockAnswer, loading on-demand libraries as the answer turns out to need them (at most the two
 * parts, so at most three tries). Each try starts from scratch, so the answer is the one a caller
 * with everything loaded gets.
 */
async function answerWith(request: MockQuestion, nlp: Nlp | undefined, loader: NlpLoader): Promise<AnswerValue> {
  for (let attempt = 0; ; attempt++) {
    try {
      return mockAnswer(request, nlp);
    } catch (cause) {
      if (!(cause instanceof MissingNlpPart) || attempt >= 2) {
        throw new ProviderError({ kind: 'bad_request', message: `mock: cannot answer ${request.operator}: ${String(cause)}` });
      }
      try {
        await loader.part(cause.part);
      } catch (loadError) {
        throw unloadable(loadError);
      }
    }
  }
}

/** The mock, with Message Batches answered by the same mock (src/llm/mock/mock-batch-api.ts). */
export function createMockProvider(config: MockConfig, deps: MockProviderDeps = {}): Provider {
  const { call } = mockCaller(config, deps);
  return { call, batches: createMockBatchApi(config, () => mockCaller({ ...config, latencyMs: 0 }, deps)) };
}

function mockCaller(config: MockConfig, deps: MockProviderDeps): Provider {
  const sleep = deps.sleep ?? realSleep;
  const loader = deps.nlp ?? DEFAULT_NLP;
  const startLoading = () => {
    const loading = loader.core();
    // Awaited by each call: a failure is reported by the calls that need the libraries, not as unhandled.
    loading.catch(() => undefined);
    return loading;
  };
  // Started now, so the chunk's fetch and parse overlap the engine's start and the first calls' latency.
  let nlp: Promise<Nlp> | undefined = startLoading();
  // Attempts per request: the pool retries a request on the same provider, and each retry must draw
  // anew. A request is known by its rows' keys: faults are drawn per request, answers per row.
  const attempts = new Map<string, number>();

  return {
    async call(request: ModelRequest, signal: AbortSignal): Promise<ModelAnswer> {
      if (signal.aborted) throw cancelled();
      const key = request.rows.map((row) => row.key).join('\u0000');
      const attempt = attempts.get(key) ?? 0;
      attempts.set(key, attempt + 1);
      const draw = drawAttempt(config, key, attempt);
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
      let libraries: Nlp;
      try {
        nlp ??= startLoading();
        libraries = await nlp;
      } catch (cause) {
        // Answers without the libraries would differ from the ones with them: fail, and load anew next time.
        nlp = undefined;
        throw unloadable(cause);
      }
      if (signal.aborted) throw cancelled();
      // Each row is answered alone: the same values whatever the rows per request (issue 16).
      const values: AnswerValue[] = [];
      // The fast tier answers from the lexicon alone: a weaker model that still agrees where the
      // lexicon is clear (the routing bench measures where).
      for (const question of questionsOf(request)) values.push(await answerWith(question, question.model === MOCK_FAST_MODEL ? undefined : libraries, loader));
      return {
        rows: values.map((value) => ({ ok: true, value })),
        inputTokens: estimateTokens(userMessage(request)) + estimateTokens(request.instructions.join('\n')),
        outputTokens: values.reduce<number>((n, value) => n + estimateTokens(JSON.stringify(value)) + 5, 0),
      };
    },
  };
}
