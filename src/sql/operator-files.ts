import { parse as parseYaml } from 'yaml';
import type { OperatorExample, SqlReturnType, UserOperatorDef } from './types';

/**
 * User operators as files: semsql's own JSON (export, import) and LARS operator files, whose
 * `sql_function` part (name, args, returns, shape, operators, test_cases) and first cell's
 * instructions become a user operator. Each imported definition is run as the CREATE statement
 * `createFunctionSql` writes, so it is checked exactly like one the user typed.
 */
export const OPERATOR_FILE_FORMAT = 'semsql-operators';

export interface OperatorFile {
  format: typeof OPERATOR_FILE_FORMAT;
  version: 1;
  operators: UserOperatorDef[];
}

export function exportOperators(defs: readonly UserOperatorDef[]): string {
  const file: OperatorFile = { format: OPERATOR_FILE_FORMAT, version: 1, operators: defs.map((d) => ({ ...d })) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Why a file cannot be imported, in words a user can act on. */
export class OperatorFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorFileError';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function returnsOf(type: unknown): SqlReturnType {
  const t = String(type ?? 'VARCHAR').toUpperCase();
  if (t === 'BOOLEAN' || t === 'BOOL') return 'BOOLEAN';
  if (/^(?:DOUBLE|FLOAT|REAL|INTEGER|INT|BIGINT|DECIMAL|NUMERIC)/.test(t)) return 'DOUBLE';
  return 'VARCHAR';
}

function definition(raw: unknown, where: string): UserOperatorDef {
  if (!isRecord(raw)) throw new OperatorFileError(`${where}: an operator must be an object`);
  const { name, args, returns, prompt } = raw;
  if (typeof name !== 'string' || typeof prompt !== 'string' || !Array.isArray(args))
    throw new OperatorFileError(`${where}: an operator needs name, args and prompt`);
  const def: UserOperatorDef = {
    name,
    args: args.map((a, i) => {
      if (!isRecord(a) || typeof a['name'] !== 'string') throw new OperatorFileError(`${where}: argument ${i + 1} needs a name`);
      return { name: a['name'], type: typeof a['type'] === 'string' ? a['type'] : 'VARCHAR' };
    }),
    returns: returnsOf(returns),
    prompt,
  };
  for (const key of ['infix', 'postfix', 'description'] as const) if (typeof raw[key] === 'string') def[key] = raw[key];
  if (raw['shape'] === 'aggregate') def.shape = 'aggregate';
  if (Array.isArray(raw['examples']))
    def.examples = raw['examples'].filter((e): e is OperatorExample => isRecord(e) && typeof e['sql'] === 'string').map((e) => ({ sql: e.sql }));
  return def;
}

/** `{{ input.text }}` and `{{ text }}` → `{{text}}`; other template logic ({% ... %}) dropped. */
function promptOf(instructions: string): string {
  return instructions
    .replace(/\{%[\s\S]*?%\}/g, '')
    .replace(/\{\{\s*(?:input\.)?([A-Za-z_][A-Za-z0-9_]*)[^}]*\}\}/g, '{{$1}}')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A LARS operator pattern's keywords: `{{ a }} SOUNDS_LIKE {{ b }}` → infix, `{{ v }} CANONICAL` → postfix. */
function patternKeywords(pattern: string): { infix?: string; postfix?: string } {
  const m = /^\s*\{\{[^}]*\}\}\s+([A-Z_][A-Z_ ]*?)\s*(\{\{[^}]*\}\}|'\{\{[^}]*\}\}')?\s*$/.exec(pattern);
  if (m?.[1] === undefined) return {};
  return m[2] === undefined ? { postfix: m[1] } : { infix: m[1] };
}

/** A LARS operator file (its `sql_function` part and first cell's instructions) as a user operator. */
export function larsOperator(yamlText: string): UserOperatorDef {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (error) {
    throw new OperatorFileError(`not YAML: ${(error as Error).message}`);
  }
  const fn = isRecord(doc) ? doc['sql_function'] : undefined;
  if (!isRecord(fn) || typeof fn['name'] !== 'string') throw new OperatorFileError('a LARS operator file needs a sql_function with a name');
  const shape = String(fn['shape'] ?? 'SCALAR').toUpperCase();
  if (shape !== 'SCALAR' && shape !== 'AGGREGATE')
    throw new OperatorFileError(`${fn['name']}: LARS ${shape.toLowerCase()} operators cannot be imported; scalar and aggregate ones can`);
  const args = (Array.isArray(fn['args']) ? fn['args'] : [])
    .filter(isRecord)
    .filter((a) => typeof a['name'] === 'string' && !String(a['name']).startsWith('_'));
  const cells = isRecord(doc) && Array.isArray(doc['cells']) ? doc['cells'].filter(isRecord) : [];
  const instructions = cells.map((c) => c['instructions']).find((i): i is string => typeof i === 'string');
  const names = args.map((a) => String(a['name']));
  const description = typeof fn['description'] === 'string' ? fn['description'] : '';
  const prompt = instructions !== undefined ? promptOf(instructions) : `${description || fn['name']}: ${names.map((n) => `{{${n}}}`).join(', ')}`;
  const def: UserOperatorDef = {
    name: String(fn['name']).replace(/^semantic_/, ''),
    args: args.map((a) => ({ name: String(a['name']), type: String(a['type'] ?? 'VARCHAR').toUpperCase() })),
    returns: returnsOf(fn['returns']),
    prompt,
  };
  if (description !== '') def.description = description;
  if (shape === 'AGGREGATE') def.shape = 'aggregate';
  for (const pattern of Array.isArray(fn['operators']) ? fn['operators'].map(String) : []) {
    const keywords = patternKeywords(pattern);
    if (keywords.infix !== undefined && def.infix === undefined && def.args.length === 2) def.infix = keywords.infix;
    if (keywords.postfix !== undefined && def.postfix === undefined && def.args.length === 1) def.postfix = keywords.postfix;
  }
  const tests = Array.isArray(fn['test_cases']) ? fn['test_cases'].filter(isRecord) : [];
  const examples = tests
    .map((t) => t['sql'])
    .filter((sql): sql is string => typeof sql === 'string')
    .slice(0, 3);
  if (examples.length > 0) def.examples = examples.map((sql) => ({ sql }));
  return def;
}

/** Operators from a file: semsql's JSON (a file, one definition, or a list) or a LARS operator YAML. */
export function importOperators(text: string): UserOperatorDef[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return [larsOperator(text)];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    throw new OperatorFileError(`not JSON: ${(error as Error).message}`);
  }
  if (isRecord(parsed) && parsed['format'] === OPERATOR_FILE_FORMAT) {
    const list = parsed['operators'];
    if (!Array.isArray(list)) throw new OperatorFileError('the file has no operators list');
    return list.map((d, i) => definition(d, `operator ${i + 1}`));
  }
  if (Array.isArray(parsed)) return parsed.map((d, i) => definition(d, `operator ${i + 1}`));
  return [definition(parsed, 'the operator')];
}

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The CREATE statement that defines `def`: what an import runs, so it is checked as typed SQL would be. */
export function createFunctionSql(def: UserOperatorDef, orReplace = true): string {
  const args = def.args.map((a) => `${a.name} ${a.type}`).join(', ');
  const kind = def.shape === 'aggregate' ? 'SEMANTIC AGGREGATE FUNCTION' : 'SEMANTIC FUNCTION';
  const spelling = def.infix !== undefined ? ` INFIX ${quoted(def.infix)}` : def.postfix !== undefined ? ` POSTFIX ${quoted(def.postfix)}` : '';
  return `CREATE ${orReplace ? 'OR REPLACE ' : ''}${kind} ${def.name}(${args}) RETURNS ${def.returns} AS ${quoted(def.prompt)}${spelling}`;
}
