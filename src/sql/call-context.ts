import type { CallContext } from './types';

/**
 * The context of a call the SQL front end writes itself (a pipeline stage, ASK_DATA, a stage's own
 * question): the main level's SELECT, reached by nothing that changes its meaning, with `patch` over it.
 */
export function writtenCallContext(patch: Partial<CallContext> = {}): CallContext {
  return {
    clause: 'select',
    depth: 0,
    inCte: false,
    conjunctive: false,
    underNot: false,
    underOr: false,
    underCase: false,
    inAggregate: false,
    thresholded: false,
    negated: false,
    topLevelFilter: false,
    ...patch,
  };
}
