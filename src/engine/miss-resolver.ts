import type { AnswerCache } from '../cache/answer-cache';
import type { ModelRequest } from '../protocol/model';
import type { CallPlan, CallSession } from '../protocol/model-calls';
import type { InflightRegistry, KeyLock } from './inflight-registry';
import type { Miss, QueryRun } from './query-run';

export interface ResolveContext {
  run: QueryRun;
  cache: AnswerCache;
  registry: InflightRegistry;
  session: CallSession;
  signal: AbortSignal;
  request(miss: Miss): ModelRequest;
  /**
   * The plan for the misses about to be called, checked against the budget (it throws
   * BudgetExceededError to refuse): the session sends them as it says.
   */
  plan(toCall: readonly Miss[]): CallPlan;
  /** A request was handed to the session (progress: queued). */
  onSubmit?(): void;
  /**
   * Inputs already in a pending Message Batch (src/llm/batch/batch-keeper.ts), each with a promise that
   * settles once that batch's answers are stored: they are waited for, never asked again.
   */
  heldByBatch?(keys: readonly string[]): Promise<Map<string, Promise<void>>>;
  /** How long to wait for such a batch before the input becomes a row error (Infinity in batch mode). */
  batchWaitMs?: number;
}

/** The pass's calls would exceed the budget: nothing was called for it. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
}

/** Answers read from IndexedDB per batch: one transaction each, small enough to start calls early. */
const CHUNK = 256;

/**
 * The one function that loads misses from the persistent tier: misses another query has answered
 * meanwhile (memory) or that are stored (IndexedDB) are brought into memory. Returns the misses that
 * are still unknown, in their order.
 */
export async function loadKnown(misses: readonly Miss[], ctx: Pick<ResolveContext, 'run' | 'cache'>): Promise<Miss[]> {
  const { run, cache } = ctx;
  if (run.cacheMode !== 'on') return [...misses];
  const unseen = misses.filter((m) => cache.get(m.key) === undefined);
  if (unseen.length === 0) return [];
  const found = await cache.load(unseen.map((m) => ({ key: m.key, prefix: run.prefix(m.operator) })));
  return unseen.filter((m) => !found.has(m.key));
}

/**
 * Early LIMIT: loads known answers in scan order, slice by slice, up to the first slice that is not
 * wholly known (the frontier of earlier work). Returns how many were found: when any were, the
 * executor runs a pass before calling anything, so a rerun after a reload makes no calls for rows an
 * earlier run already answered.
 */
export async function loadKnownPrefix(misses: readonly Miss[], ctx: Pick<ResolveContext, 'run' | 'cache'>): Promise<number> {
  let found = 0;
  for (let i = 0; i < misses.length; i += CHUNK) {
    const slice = misses.slice(i, i + CHUNK);
    const unknown = await loadKnown(slice, ctx);
    found += slice.length - unknown.length;
    if (unknown.length > 0) break;
  }
  return found;
}

/**
 * Resolves misses so that each input is asked once per origin (docs/architecture.md, "Paying once"):
 * answers known in memory or IndexedDB are used; a call under way in this worker is waited for; a
 * call under way in another tab is waited for through its lock and then read from IndexedDB; only the
 * rest is called, as the plan `ctx.plan` made for them says (it throws to refuse them all), and each
 * call keeps its lock until its answer is stored, so a waiting tab finds it.
 */
export async function resolveMisses(misses: readonly Miss[], ctx: ResolveContext): Promise<void> {
  if (ctx.run.cacheMode !== 'on') {
    // cache: off / refresh answer from this query's own calls only.
    const end = ctx.session.follow(ctx.plan(misses));
    const work = misses.map((m) => submit(m, ctx));
    end();
    await Promise.all(work);
    return;
  }
  const { joined, claimed } = claim(await loadKnown(misses, ctx), ctx.registry);
  let plan: CallPlan;
  try {
    // Planned before any lock: a refusal must not first take a lock per input (about 65 µs each,
    // measured in Chromium: seconds for 100k inputs). Inputs another tab turns out to be calling
    // are counted too; the session's request budget still binds if they come back unanswered.
    plan = ctx.plan(claimed.map((c) => c.miss));
  } catch (error) {
    for (const c of claimed) c.done();
    throw error;
  }
  const end = ctx.session.follow(plan);
  const work: Promise<void>[] = [...joined];
  try {
    await callClaimed(claimed, ctx, work);
  } finally {
    end();
  }
  await Promise.all(work);
}

interface Claim {
  miss: Miss;
  done(): void;
}

/** Synchronously, so two queries of this worker cannot both claim one input: the others' calls are joined. */
function claim(unknown: readonly Miss[], registry: InflightRegistry): { joined: Promise<void>[]; claimed: Claim[] } {
  const joined: Promise<void>[] = [];
  const claimed: Claim[] = [];
  for (const miss of unknown) {
    const running = registry.running(miss.key);
    if (running) {
      joined.push(running);
      continue;
    }
    let done!: () => void;
    registry.track(miss.key, new Promise<void>((resolve) => (done = resolve)));
    claimed.push({ miss, done });
  }
  return { joined, claimed };
}

/**
 * Locks are taken a slice at a time, and each slice's calls start at once: the first call does not
 * wait for the last lock. What each claimed input becomes is pushed to `work`.
 */
async function callClaimed(claimed: readonly Claim[], ctx: ResolveContext, work: Promise<void>[]): Promise<void> {
  for (let i = 0; i < claimed.length; i += CHUNK) {
    if (ctx.signal.aborted) {
      for (const c of claimed.slice(i)) c.done();
      return;
    }
    const slice = claimed.slice(i, i + CHUNK);
    const locked = await Promise.all(slice.map(async (c) => ({ ...c, lock: await ctx.registry.tryLock(c.miss.key).catch(() => null) })));
    const mine = locked.filter((l): l is Claim & { lock: KeyLock } => l.lock !== null);
    for (const l of locked) if (l.lock === null) work.push(afterOtherTab(l.miss, ctx).finally(l.done));
    // Read again under the lock: another tab may have stored the answer since our first read, or
    // a batch left by a reload may hold it.
    const still = new Set(
      (
        await loadKnown(
          mine.map((l) => l.miss),
          ctx,
        )
      ).map((m) => m.key),
    );
    const held = await heldByBatch([...still], ctx);
    for (const l of mine) {
      const batch = held.get(l.miss.key);
      if (!still.has(l.miss.key) || batch) {
        l.lock.release();
        if (batch) work.push(afterBatch(l.miss, batch, ctx).finally(l.done));
        else l.done();
        continue;
      }
      work.push(
        submit(l.miss, ctx).finally(() => {
          l.lock.release();
          l.done();
        }),
      );
    }
  }
}

/** Calls one input; with an answer, waits until it is stored so a tab waiting on its lock reads it. */
async function submit(miss: Miss, ctx: ResolveContext): Promise<void> {
  ctx.onSubmit?.();
  const outcome = await ctx.session.submit(ctx.request(miss));
  if (outcome.status === 'ok' && ctx.run.cacheMode !== 'off') await ctx.cache.stored();
}

/** Another tab is calling this input: wait for its lock, then read what it stored; call only if nothing was. */
async function afterOtherTab(miss: Miss, ctx: ResolveContext): Promise<void> {
  let lock: KeyLock;
  try {
    lock = await ctx.registry.lock(miss.key, ctx.signal);
  } catch {
    return; // cancelled while waiting
  }
  let batch: Promise<void> | undefined;
  try {
    if ((await loadKnown([miss], ctx)).length === 0) return;
    batch = (await heldByBatch([miss.key], ctx)).get(miss.key);
    if (!batch) await submit(miss, ctx);
  } finally {
    lock.release();
  }
  if (batch) await afterBatch(miss, batch, ctx);
}

async function heldByBatch(keys: readonly string[], ctx: ResolveContext): Promise<Map<string, Promise<void>>> {
  if (!ctx.heldByBatch || keys.length === 0) return new Map();
  return ctx.heldByBatch(keys).catch(() => new Map<string, Promise<void>>());
}

/**
 * An input a pending batch holds: wait for the batch (as long as the query allows), then read what
 * it stored. A batch that ended without an answer for it leaves it to be asked as usual; one still
 * pending when the wait is over makes it a row error rather than a second payment.
 */
async function afterBatch(miss: Miss, batch: Promise<void>, ctx: ResolveContext): Promise<void> {
  const waitMs = ctx.batchWaitMs ?? Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ended = await Promise.race([
    batch.then(() => true),
    new Promise<boolean>((resolve) => {
      if (Number.isFinite(waitMs)) timer = setTimeout(() => resolve(false), waitMs);
      ctx.signal.addEventListener('abort', () => resolve(false), { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (ctx.signal.aborted) return;
  if (!ended) {
    ctx.run.settle(miss.key, {
      error: 'still pending in a Message Batch; not asked again so it is not paid twice: run the query again once the batch has ended (Pending batches)',
    });
    return;
  }
  if ((await loadKnown([miss], ctx)).length > 0) await afterOtherTab(miss, ctx);
}
