/**
 * DuckDB-WASM fetches its json and parquet extensions from the network the first time a query needs
 * them; offline that fails with an XHR error, or with raw wasm errors for scalar JSON functions
 * (docs/design.md, "Extensions"). This turns those into a message that says what happened and what works.
 */
const EXTENSION_FUNCTIONS: Record<string, 'json' | 'parquet'> = {
  read_parquet: 'parquet',
  parquet_scan: 'parquet',
  parquet_metadata: 'parquet',
  parquet_schema: 'parquet',
  read_json: 'json',
  read_json_auto: 'json',
  read_ndjson: 'json',
  read_ndjson_auto: 'json',
  to_json: 'json',
  json_extract: 'json',
  json_extract_string: 'json',
  json_object: 'json',
  json_array: 'json',
  json_valid: 'json',
  json_keys: 'json',
  json_structure: 'json',
  json_transform: 'json',
  json_serialize_sql: 'json',
};

const NETWORK_OR_TRAP =
  /XMLHttpRequest|NetworkError|Failed to execute 'send'|extension|signature mismatch|null function|RuntimeError|unreachable|table index is out of bounds/i;

export function explainEngineError(message: string, sql: string): string {
  if (!NETWORK_OR_TRAP.test(message)) return message;
  const needed = neededExtension(sql, message);
  if (!needed) return message;
  return missingExtensionMessage(needed, `DuckDB said: ${message.slice(0, 300)}`, sql);
}

/**
 * Says plainly that the query needs the extension, and offers what works without it: loading the
 * file as a table (the file the query names, when it names one), which the app's own readers do.
 */
export function missingExtensionMessage(needed: 'json' | 'parquet', detail: string, sql = ''): string {
  const file = fileScanned(sql);
  const kind = needed === 'parquet' ? 'Parquet' : 'JSON/NDJSON';
  const offer = file
    ? `Load ${file} as a table instead (the data panel's URL box, or await semsql.load('${file}', { table: 'data' })) and query the table; that reader is built in and works offline.`
    : `Load ${kind} files as tables with the data panel or semsql.load(file) instead; that reader is built in and works offline.`;
  const functions = needed === 'json' ? ' JSON functions such as to_json are not available in this build.' : '';
  return `This query needs DuckDB's ${needed} extension, which DuckDB-WASM downloads from the network (or from the deployment's own extension repository, docs/hosting.md) on first use, and it could not be loaded (offline or blocked). ${offer}${functions} (${detail})`;
}

/** The file a query reads by name (`FROM 'https://…/x.parquet'`, `read_parquet('x.parquet')`), if any. */
function fileScanned(sql: string): string | null {
  const m =
    /\b(?:from|join)\s+'([^']+\.(?:parquet|ndjson|jsonl|json)(?:\?[^']*)?)'|\b(?:read_parquet|parquet_scan|read_json|read_json_auto|read_ndjson|read_ndjson_auto)\s*\(\s*'([^']+)'/i.exec(
      sql,
    );
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** One pass over the text for every extension function, instead of a regex per function. */
const EXTENSION_CALL = new RegExp(`\\b(${Object.keys(EXTENSION_FUNCTIONS).join('|')})\\s*\\(`, 'i');
/** A file read by name, DuckDB's replacement scan: `FROM 'x.parquet'`. */
const FILE_SCAN = /\b(?:from|join)\s+'[^']*\.(parquet|ndjson|jsonl|json)(?:\?[^']*)?'/i;

/**
 * The extension a statement needs: from its function calls and the files it scans by name. Text
 * that merely mentions a file (a string literal, a comment) does not count.
 */
export function extensionNeededBy(sql: string): 'json' | 'parquet' | null {
  const call = EXTENSION_CALL.exec(sql);
  if (call) return EXTENSION_FUNCTIONS[(call[1] as string).toLowerCase()] ?? null;
  const scan = FILE_SCAN.exec(sql);
  if (scan) return scan[1]?.toLowerCase() === 'parquet' ? 'parquet' : 'json';
  return null;
}

/** For explaining an error after the fact, DuckDB's message counts too. */
function neededExtension(sql: string, message: string): 'json' | 'parquet' | null {
  const direct = extensionNeededBy(sql);
  if (direct) return direct;
  const lower = `${sql}\n${message}`.toLowerCase();
  if (/\.parquet\b/.test(lower) || (/\bparquet\b/.test(lower) && /extension/.test(lower))) return 'parquet';
  if (/\.(nd)?json\b|\.jsonl\b/.test(lower) || (/\bjson\b/.test(lower) && /extension/.test(lower))) return 'json';
  return null;
}
