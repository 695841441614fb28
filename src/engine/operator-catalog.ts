import type { OperatorInfo } from '../protocol/duckdb-worker-api';
import { createRegistry, syntaxOf, type OperatorDef, type Registry, type UserOperatorDef } from '../sql';
import type { OperatorStore } from '../storage/operator-store';

/** Registers an operator with DuckDB: its bridge UDF, or for an embedding operator its hook (src/engine/embedding-hooks.ts). */
export type DefineUdf = (op: OperatorDef) => Promise<void>;

/**
 * The operators a session knows: the built-ins and the user's, kept in the registry the parser reads,
 * in the store that survives reloads, and as UDFs in DuckDB.
 */
export class OperatorCatalog {
  #registry: Registry = createRegistry();
  readonly #store: OperatorStore;
  readonly #define: DefineUdf;

  constructor(store: OperatorStore, define: DefineUdf) {
    this.#store = store;
    this.#define = define;
  }

  get registry(): Registry {
    return this.#registry;
  }

  /** Loads the saved operators; each one that no longer validates is skipped with a warning. */
  async load(warn: (message: string) => void): Promise<void> {
    const defs = await this.#store.list().catch(() => []);
    for (const def of defs) {
      try {
        this.#registry = this.#registry.with(def);
      } catch (error) {
        warn(`saved semantic function ${def.name} was not loaded: ${(error as Error).message}`);
      }
    }
    // An operator written as SQL (src/sql/sql-operators.ts) has no UDF of its own to define.
    for (const op of this.#registry.operators) if (op.execution !== 'sql') await this.#define(op);
  }

  /** Adopts a registry that holds `def` (from the dispatcher), saves `def` and registers its UDF. */
  async define(def: UserOperatorDef, registry: Registry, warn: (message: string) => void): Promise<void> {
    this.#registry = registry;
    await this.#define(registry.get(def.name) as OperatorDef);
    await this.#store.save(def).catch((error: unknown) => warn(`semantic function ${def.name} is defined for this session only: ${String(error)}`));
  }

  async drop(name: string, registry: Registry): Promise<void> {
    this.#registry = registry;
    await this.#store.remove(name).catch(() => {});
  }

  infos(): OperatorInfo[] {
    return operatorInfos(this.#registry);
  }
}

/** What the editor, the Operators panel and SHOW SEMANTIC FUNCTIONS show: the catalogue entries. */
export function operatorInfos(registry: Registry): OperatorInfo[] {
  return registry.list().map((op) => {
    const info: OperatorInfo = {
      name: op.name,
      spellings: {
        infix: op.spellings.infix.map((words) => [...words]),
        postfix: op.spellings.postfix.map((words) => [...words]),
        functions: [...op.spellings.functions],
      },
      args: op.args
        .filter((a) => a.implicit === undefined)
        .map((a) => ({ name: a.name, type: a.type, optional: a.optional === true, ...(a.description !== undefined ? { description: a.description } : {}) })),
      returns: op.returns,
      shape: op.dimension !== undefined ? 'dimension' : op.table === true ? 'table' : op.shape,
      answeredBy: op.execution ?? 'model',
      builtin: op.builtin,
      example: op.example,
      examples: op.examples.map((e) => ({ ...e })),
      syntax: syntaxOf(op),
      description: op.description,
      prompt: op.prompt,
    };
    if (op.sqlType !== undefined) info.sqlType = op.sqlType;
    if (op.lars !== undefined) info.lars = [...op.lars];
    return info;
  });
}

/** An operator's spellings in words, for listings: `ALIGNS WITH, x CANONICAL, aligns(...)`. */
export function spellingText(op: Pick<OperatorInfo, 'spellings'>): string {
  return [
    ...op.spellings.infix.map((w) => w.join(' ')),
    ...(op.spellings.postfix ?? []).map((w) => `x ${w.join(' ')}`),
    ...op.spellings.functions.map((f) => `${f}(...)`),
  ].join(', ');
}
