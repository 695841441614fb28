/**
 * DuckDB-WASM fetches its json and parquet extensions from the network the first time a query needs
 * them; offline that fails with an XHR error, or with raw wasm errors for scalar JSON functions
 * (DESIGN.md, "Extensions"). This turns those into a message that says what happened and what works.
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

const NETWORK_OR_TRAP = /XMLHttpRequest|NetworkError|Failed to execute 'send'|extension|signature mismatch|null function|RuntimeError|unreachable|table index is out of bounds/i;

export function explainEngineError(message: string, sql: string): string {
  if (!NETWORK_OR_TRAP.test(message)) return message;
  const needed = neededExtension(sql, message);
  if (!needed) return message;
  return missingExtensionMessage(needed, `DuckDB said: ${message.slice(0, 300)}`);
}

export function missingExtensionMessage(needed: 'json' | 'parquet', detail: string): string {
  const alternative = needed === 'parquet'
    ? 'Load Parquet files with the data panel or db.load(file) instead; that reader is built in and works offline.'
    : 'Load JSON/NDJSON files with the data panel or db.load(file) instead; that reader is built in and works offline. JSON functions such as to_json are not available in this build.';
  return `This query needs DuckDB's ${needed} extension, which DuckDB-WASM downloads from the network on first use, and it could not be loaded (offline or blocked). ${alternative} (${detail})`;
}

export function neededExtension(sql: string, message = ''): 'json' | 'parquet' | null {
  const lower = `${sql}\n${message}`.toLowerCase();
  for (const [fn, ext] of Object.entries(EXTENSION_FUNCTIONS)) {
    if (new RegExp(`\\b${fn}\\s*\\(`).test(lower)) return ext;
  }
  if (/\.parquet\b/.test(lower)) return 'parquet';
  if (/\.(nd)?json\b|\.jsonl\b/.test(lower)) return 'json';
  if (/\bjson\b/.test(lower) && /extension/.test(lower)) return 'json';
  if (/\bparquet\b/.test(lower) && /extension/.test(lower)) return 'parquet';
  return null;
}
