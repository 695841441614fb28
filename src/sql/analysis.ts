// What the analysis of a statement's operator uses (src/sql/analyze.ts) gives the emitter and the
// semantic join finder.
import type { LevelNode, Node, SemNode } from './ast';
import type { CallSite, OperatorDef, OperatorShape, RowsForm } from './types';

/** What one semantic operator use becomes, for the emitter. */
export interface Use {
  def: OperatorDef;
  shape: OperatorShape;
  thresholded: boolean;
  /** Top expression of an ORDER BY item: no parentheses needed. */
  orderTop: boolean;
  addDesc: boolean;
  level?: LevelInfo;
  /** A dimension's labels are proposed over the level's rows after its WHERE (not when it sits in that WHERE). */
  withWhere: boolean;
  /** A table form (`triples_rows`): `def` is the operator whose answer it reads into rows; `level` is the level it is a FROM item of. */
  rows?: RowsForm;
}

export interface LevelInfo {
  node: LevelNode;
  grouped: boolean;
  groupAll: boolean;
  groupKeys: Set<string>;
  /** SELECT item expressions named in GROUP BY by alias or ordinal. */
  keyItems: Node[];
  dimensionKeys: Set<string>;
  /**
   * An ungrouped level whose SELECT list has nothing per row but classify calls, aggregates and
   * constants (`SELECT classify(text, 'a,b') FROM t`): classify answers for the whole input, as LARS's
   * CLASSIFY does.
   */
  collection: boolean;
}

export interface Analysis {
  uses: Map<SemNode, Use>;
  callSites: CallSite[];
}
