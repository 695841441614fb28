// LARS's block spellings of operators, parsed into the function call they stand for (one model call):
//   SEMANTIC_CASE x WHEN [SEMANTIC] 'cond' THEN 'result' ... [ELSE 'fallback'] END
//   SEMANTIC_SWITCH ON x MATCH 'pattern' YIELD 'value' ... [FALLBACK 'value'] END_SWITCH
//   cascade('path/name.cascade.yaml', json_object('arg', value, ...))
import type { AtomNode, CallNode, Node, SemNode } from './ast';
import { errorAtToken } from './errors';
import type { Grammar } from './grammar';
import { stringValue, type Token } from './lexer';
import type { OperatorDef } from './types';

/** A value semsql writes in place of a span of the source (a JSON array of the block's literals). */
function written(sql: string, start: number, end: number): AtomNode {
  return { kind: 'atom', start, end, children: [], sql };
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function semNode(def: OperatorDef, opToken: Token, spelling: string, args: Node[], end: number): SemNode {
  return {
    kind: 'sem',
    def,
    form: 'function',
    spelling,
    infix: '',
    negated: false,
    args,
    opToken,
    distinct: false,
    start: opToken.start,
    end,
    children: [...args].sort((a, b) => a.start - b.start),
  };
}

/** The string literal at the cursor, read and stepped over; an error naming `what` otherwise. */
function literal(g: Grammar, what: string): Token {
  const c = g.cursor;
  const t = c.tok();
  if (t?.kind !== 'string') throw c.error(c.pos, `${what} as a string literal`);
  c.pos++;
  return t;
}

function keyword(g: Grammar, word: string, message?: string): void {
  const c = g.cursor;
  if (c.word() !== word) throw c.error(c.pos, word, message);
  c.pos++;
}

interface Block {
  /** The operator's name in the catalogue. */
  operator: string;
  /** Before the subject ('ON'), if any. */
  lead?: string;
  when: string[];
  then: string;
  otherwise: string;
  end: string;
}

const BLOCKS: Record<string, Block> = {
  SEMANTIC_CASE: { operator: 'semantic_case', when: ['WHEN', 'SEMANTIC'], then: 'THEN', otherwise: 'ELSE', end: 'END' },
  SEMANTIC_SWITCH: { operator: 'semantic_switch', lead: 'ON', when: ['MATCH'], then: 'YIELD', otherwise: 'FALLBACK', end: 'END_SWITCH' },
};

/** Words that open a block form: the rewriter's fast path must not pass a statement holding one through. */
export const BLOCK_WORDS: ReadonlySet<string> = new Set(Object.keys(BLOCKS));

/** Whether the word at the cursor opens a block form (not the function spelling `semantic_case(`). */
export function isBlockStart(g: Grammar): boolean {
  const c = g.cursor;
  return BLOCKS[c.word()] !== undefined && !c.punct(c.pos + 1, '(');
}

export function parseBlock(g: Grammar): SemNode {
  const c = g.cursor;
  const open = c.tok() as Token;
  const block = BLOCKS[open.upper] as Block;
  const def = c.registry.get(block.operator);
  if (def === undefined) throw c.error(c.pos, 'a known operator', `${block.operator} is not available`);
  c.pos++;
  if (block.lead !== undefined) keyword(g, block.lead);
  const subject = g.operand(0, open.upper);
  const conditions: Token[] = [];
  const results: Token[] = [];
  while (c.word() === block.when[0]) {
    c.pos++;
    // WHEN SEMANTIC 'x': SEMANTIC may be left out.
    if (block.when[1] !== undefined && c.word() === block.when[1]) c.pos++;
    conditions.push(literal(g, 'a condition'));
    keyword(g, block.then);
    results.push(literal(g, 'a result'));
  }
  if (conditions.length === 0) throw c.error(c.pos, block.when.join(' '), `${open.upper} needs at least one ${block.when.join(' ')} '...' ${block.then} '...'`);
  let fallback: Token | undefined;
  if (c.word() === block.otherwise) {
    c.pos++;
    fallback = literal(g, 'a fallback');
  }
  keyword(g, block.end, `${block.end} to close the ${open.upper} at line ${open.line}`);
  const span = (ts: Token[]) => [(ts[0] as Token).start, (ts[ts.length - 1] as Token).end] as const;
  const array = (ts: Token[]) => written(quote(JSON.stringify(ts.map(stringValue))), ...span(ts));
  const args: Node[] = [subject, array(conditions), array(results)];
  if (fallback !== undefined) args.push({ kind: 'atom', start: fallback.start, end: fallback.end, children: [] });
  return semNode(def, open, open.upper, args, c.endOfPrev());
}

/** `cascade('dir/name.cascade.yaml', inputs)`: the user operator named by the file, its arguments by name. */
export function parseCascade(g: Grammar, name: Token): SemNode {
  const c = g.cursor;
  const at = c.pos;
  const call = g.call(name);
  const [pathNode, inputs] = call.args;
  const pathToken = c.tokens.find((t) => t.start === pathNode?.start);
  if (call.args.length !== 2 || pathToken?.kind !== 'string' || pathToken.end !== pathNode?.end) {
    throw c.error(
      at,
      "cascade('path', inputs)",
      "cascade() takes the cascade file's path as a string and its inputs: cascade('cascades/name.cascade.yaml', json_object('arg', value))",
    );
  }
  const file = stringValue(pathToken).split(/[\\/]/).pop() ?? '';
  const opName = file.replace(/\.cascade\.ya?ml$|\.ya?ml$|\.json$/i, '').toLowerCase();
  const def = c.registry.get(opName);
  if (def === undefined || def.builtin) {
    const known = c.registry.operators.filter((o) => !o.builtin).map((o) => o.name);
    throw errorAtToken(
      pathToken,
      undefined,
      'the path of an imported operator file',
      `no user operator named ${opName}: import the cascade file in the Operators panel (or CREATE SEMANTIC FUNCTION ${opName}) first${known.length > 0 ? `; user operators: ${known.join(', ')}` : ''}`,
    );
  }
  const named = inputsByName(g, inputs as Node, pathToken);
  const args: Node[] = [];
  for (const a of def.args.filter((x) => x.implicit === undefined)) {
    const value = named.get(a.name.toLowerCase());
    if (value === undefined) {
      if (a.optional === true) break;
      throw errorAtToken(
        pathToken,
        undefined,
        `an input named ${a.name}`,
        `${opName} takes ${def.args.map((x) => x.name).join(', ')}; the inputs have no ${a.name}`,
      );
    }
    named.delete(a.name.toLowerCase());
    args.push(value);
  }
  if (named.size > 0)
    throw errorAtToken(
      pathToken,
      undefined,
      `inputs named ${def.args.map((x) => x.name).join(', ')}`,
      `${opName} has no argument ${[...named.keys()].join(', ')}`,
    );
  const node = semNode(def, name, `cascade(${opName})`, args, call.end);
  return node;
}

/**
 * The inputs by name: `json_object('k', v, ...)`, a struct `{'k': v, ...}` (both with literal keys),
 * or a JSON object written as a string literal. Anything else cannot be matched to arguments before
 * the statement runs.
 */
function inputsByName(g: Grammar, node: Node, at: Token): Map<string, Node> {
  const c = g.cursor;
  const out = new Map<string, Node>();
  const keyOf = (n: Node | undefined): string | undefined => {
    const t = c.tokens.find((tok) => tok.start === n?.start);
    return t?.kind === 'string' && t.end === n?.end ? stringValue(t).toLowerCase() : undefined;
  };
  const pairs = (items: readonly Node[]) => {
    for (let i = 0; i + 1 < items.length; i += 2) {
      const key = keyOf(items[i]);
      if (key === undefined) throw errorAtToken(at, undefined, 'literal input names', "cascade()'s input names must be string literals");
      out.set(key, items[i + 1] as Node);
    }
  };
  if (node.kind === 'call' && (node as CallNode).name === 'json_object' && node.children.length % 2 === 0) pairs((node as CallNode).args);
  else if (node.kind === 'group' && node.open === '{') pairs(node.children);
  else {
    const t = c.tokens.find((tok) => tok.start === node.start);
    let parsed: unknown;
    try {
      parsed = t?.kind === 'string' && t.end === node.end ? JSON.parse(stringValue(t)) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw errorAtToken(
        at,
        undefined,
        "json_object('arg', value, ...)",
        "cascade()'s inputs must be json_object('arg', value, ...), a struct {'arg': value} or a JSON object string, so they can be matched to the operator's arguments",
      );
    }
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>))
      out.set(k.toLowerCase(), written(quote(typeof v === 'string' ? v : JSON.stringify(v)), node.start, node.end));
  }
  return out;
}
