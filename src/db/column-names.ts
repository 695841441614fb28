/**
 * Column names a table can have: DuckDB's identifiers are case-insensitive, so a file whose keys
 * differ only in case ("id", "ID") would fail to create its table. Later duplicates get `_1`,
 * `_2`, … as DuckDB's readers name them; an empty name becomes `column<i>`.
 */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    const base = raw === '' ? `column${i}` : raw;
    let name = base;
    for (let k = 1; seen.has(name.toLowerCase()); k++) name = `${base}_${k}`;
    seen.add(name.toLowerCase());
    return name;
  });
}
