// Binding strength, weakest first, as in PostgreSQL's gram.y (DuckDB parses with libpg_query).
// Semantic infix operators bind like comparisons (CMP), per docs/semantic-sql.md, "Rules".
export const P_LAMBDA = 0;
export const P_OR = 1;
export const P_AND = 2;
export const P_IS = 4;
export const P_CMP = 5;
export const P_LIKE = 6;
export const P_OTHER = 7;
const P_ADD = 8;
const P_MUL = 9;
const P_POW = 10;
export const P_UNARY = 11;

const COMPARISON = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=']);
const ADDITIVE = new Set(['+', '-']);
const MULTIPLICATIVE = new Set(['*', '/', '//', '%']);
const POWER = new Set(['^', '**']);

/** Binding strength of a binary operator token; any operator DuckDB has beyond these is OTHER. */
export function operatorPrecedence(op: string): number {
  if (op === '->' || op === ':=' || op === '=>') return P_LAMBDA;
  if (COMPARISON.has(op)) return P_CMP;
  if (ADDITIVE.has(op)) return P_ADD;
  if (MULTIPLICATIVE.has(op)) return P_MUL;
  if (POWER.has(op)) return P_POW;
  return P_OTHER;
}
