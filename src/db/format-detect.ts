import type { DataFormat } from '../protocol/data-source';

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/**
 * Picks a format from the name first, then from the first bytes. Pure: unit-tested in Node.
 * Throws with a message that says what was seen, so the user knows which file and why.
 */
export function detectFormat(name: string, head: Uint8Array): DataFormat {
  const lower = name.toLowerCase().replace(/[?#].*$/, '');
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  if (PARQUET_MAGIC.every((b, i) => head[i] === b)) return 'parquet';
  const text = new TextDecoder().decode(head.subarray(0, 256)).trimStart();
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) return 'ndjson';
  if (text.length > 0) return 'csv';
  throw new Error(`cannot tell the format of "${name}": it is empty or not text; name it .csv, .parquet, .json or .ndjson`);
}

/** Parses JSON (an array of objects, or one object) or NDJSON text into row objects. */
export function parseJsonRows(text: string, format: 'json' | 'ndjson', name: string): Record<string, unknown>[] {
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new Error(`${name}: not valid JSON (${(error as Error).message})`);
    }
    const rows = Array.isArray(parsed) ? parsed : [parsed];
    return rows.map((row, i) => asRow(row, `${name}: element ${i}`));
  }
  const rows: Record<string, unknown>[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(`${name}: line ${i + 1} is not valid JSON (${(error as Error).message})`);
    }
    rows.push(asRow(parsed, `${name}: line ${i + 1}`));
  });
  return rows;
}

function asRow(value: unknown, where: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (value === null || typeof value !== 'object') return { value };
  throw new Error(`${where} is an array; expected an object per row`);
}
