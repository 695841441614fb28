export type SortDirection = 'asc' | 'desc';

export interface SortState {
  column: number;
  direction: SortDirection;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Row order for a sort, as indexes into `rows` (the result itself is never copied). NULLs go last. */
export function sortedOrder(rows: readonly (readonly unknown[])[], sort: SortState | null): Uint32Array | null {
  if (!sort) return null;
  const { column, direction } = sort;
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sign = direction === 'asc' ? 1 : -1;
  order.sort((a, b) => {
    const x = rows[a]?.[column] ?? null;
    const y = rows[b]?.[column] ?? null;
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    return sign * compareValues(x, y) || a - b;
  });
  return order;
}

export function compareValues(x: unknown, y: unknown): number {
  if ((typeof x === 'number' || typeof x === 'bigint') && (typeof y === 'number' || typeof y === 'bigint')) {
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  return collator.compare(String(x), String(y));
}

/** Header clicks cycle ascending → descending → unsorted. */
export function nextSort(current: SortState | null, column: number): SortState | null {
  if (!current || current.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}
