import type { StorageScope } from '../protocol/duckdb-worker-api';

/**
 * The IndexedDB database of a store in a scope: the app's own name, or `name::namespace` for an
 * embedding, so nothing an embedding writes lands in the app's databases (docs/security.md).
 */
export function scopedDatabase(name: string, scope: StorageScope): string {
  return scope.namespace === null ? name : `${name}::${scope.namespace}`;
}
