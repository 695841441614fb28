import type { ResolvedOptions } from '../protocol/resolved-options';
import { loadKnownPrefix } from './miss-resolver';
import type { PassResolver } from './pass-resolver';
import { runPass, type Database } from './pass-runner';
import type { Miss, QueryRun } from './query-run';
import type { RunProgress } from './run-progress';
import { WavePlanner } from './wave-planner';

/**
 * New inputs a pass may record before it is checked against the budget (at least this many, so a
 * warm start with 100k answers in IndexedDB never stops early; measured: 200k misses are recorded
 * in well under a second, and their cache check takes one range read).
 */
const PROBE_FLOOR = 200_000;

export interface FixpointDeps<R> {
  db: Database<R>;
  run: QueryRun;
  resolver: PassResolver;
  progress: RunProgress;
  options: ResolvedOptions;
  signal: AbortSignal;
  queryId: string;
  /** The statement's operator call sites: each can add a dependency level, so a pass. */
  callSites: number;
  /** For statements eligible for early LIMIT answers (src/sql/early-limit.ts); null otherwise. */
  early: { limit: number } | null;
  /** What stops the run: a cancel, or the session's fatal error. */
  stopped(): Error | null;
}

/**
 * The fixpoint (docs/architecture.md, "The path of a query"): run a pass; if the bridge recorded
 * misses, throw the pass's result away, resolve every distinct miss, and run again, until a pass
 * records no miss (or, early LIMIT, returns its k rows). That pass's result was computed with
 * every semantic value known. Returns it and the passes it took.
 */
export async function settlePasses<R>(deps: FixpointDeps<R>, sql: string, mode: 'read' | 'write', firstPass: number): Promise<{ result: R; passes: number }> {
  const { run, progress, options, resolver } = deps;
  const early = mode === 'read' ? deps.early : null;
  const waves = early ? new WavePlanner({ limit: early.limit, ...(options.wave !== null ? { wave: options.wave } : {}) }, options.parallel) : null;
  // A dependency level costs a pass: each operator call site (written, or inside a view or macro)
  // can add at most one, so the cap grows with them; maxPasses is the floor.
  const depth = deps.callSites + deps.db.hiddenOperatorCalls();
  const cap = Math.max(options.maxPasses, depth + 2);
  const levels = { expected: null as Set<string> | null, unstable: 0, depthPasses: 0, waveCalled: false };
  run.limitMisses(Math.max(PROBE_FLOOR, options.budget + 1));
  for (let pass = firstPass + 1; ; pass++) {
    throwIfStopped(deps);
    if (levels.depthPasses >= cap) throw notSettled(pass - 1, levels.unstable > 0, depth);
    progress.phase('pass', pass);
    const result = await scan(deps, sql, mode, levels.expected);
    const misses = run.misses;
    if (run.stoppedAtMissLimit) {
      await resolver.probe(misses, pass);
      continue;
    }
    const rows = deps.db.rowCount(result as R);
    // Early LIMIT: unknown conditions filtered their rows out, so k rows back are k correct rows.
    if (misses.length === 0 || (early && rows >= early.limit)) {
      progress.phase('done');
      return { result: result as R, passes: pass - firstPass };
    }
    // A pass that asked for none of the answers just resolved, but for new inputs, is reading
    // different data each time (a volatile source), not going one dependency level deeper.
    levels.unstable = levels.expected !== null && run.rehits === 0 ? levels.unstable + 1 : 0;
    progress.phase('resolving');
    let resolve: Miss[] = misses;
    if (waves) {
      const found = await loadKnownPrefix(misses, resolver.context);
      if (found > 0) {
        // Stored answers first: the next pass may already have its k rows, for no call.
        waves.found(found);
        levels.expected = new Set(misses.slice(0, found).map((m) => m.key));
        continue;
      }
      resolve = waves.next(misses, rows, !levels.waveCalled);
      levels.waveCalled = true;
    } else {
      levels.depthPasses++;
    }
    await resolver.resolve(resolve, pass);
    throwIfStopped(deps);
    levels.expected = new Set(resolve.map((m) => m.key));
  }
}

/** One pass over `sql`; a pass stopped at its miss limit has no result. */
async function scan<R>(deps: FixpointDeps<R>, sql: string, mode: 'read' | 'write', expected: Set<string> | null): Promise<R | undefined> {
  deps.run.beginPass(expected);
  try {
    return await runPass(deps.db, sql, deps.run, mode, deps.signal, deps.queryId);
  } catch (error) {
    if (!deps.run.stoppedAtMissLimit) throw error;
    return undefined;
  }
}

/** One pass, run once: a write inside the user's transaction, or COPY's write of its settled source. */
export async function singlePass<R>(
  deps: Pick<FixpointDeps<R>, 'db' | 'run' | 'progress' | 'signal' | 'queryId'>,
  sql: string,
  mode: 'read' | 'write-in-transaction',
  pass: number,
): Promise<R> {
  deps.progress.phase('pass', pass);
  deps.run.beginPass();
  return runPass(deps.db, sql, deps.run, mode, deps.signal, deps.queryId);
}

function throwIfStopped(deps: Pick<FixpointDeps<unknown>, 'stopped'>): void {
  const stop = deps.stopped();
  if (stop) throw stop;
}

function notSettled(pass: number, volatile: boolean, depth: number): Error {
  if (volatile) {
    return new Error(
      `the query did not settle after ${pass} passes: each pass asked about inputs the previous one did not, and none it had just answered ` +
        '(a volatile source such as random() without setseed, now(), or a table changing while it runs). Make the input stable and run it again.',
    );
  }
  return new Error(
    `the query did not settle after ${pass} passes, more than its ${depth} semantic operator call${depth === 1 ? '' : 's'} can explain as dependency levels ` +
      '(part of the input changes from pass to pass, or a recursive query keeps asking). Make the input stable, or raise maxPasses in settings.',
  );
}
