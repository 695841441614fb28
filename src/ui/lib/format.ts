/** How values look in the grid, in copies and in the run view. Text only: nothing here is HTML. */

export function isNumericType(type: string): boolean {
  return /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|DOUBLE|FLOAT|REAL|DECIMAL.*)$/i.test(type);
}

/** The full value as text, for copying and the cell viewer. SQL NULL is empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The value as the grid shows it: long fractions shortened; the rest as cellText. */
export function cellDisplay(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)) {
    return Math.abs(value) >= 1e-4 && Math.abs(value) < 1e15 ? String(Number(value.toFixed(4))) : value.toPrecision(4);
  }
  // One line in the grid (line breaks shown as ↵); the viewer shows the rest.
  const text = cellText(value).slice(0, 501).replace(/\r?\n/g, ' ↵ ');
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function relativeTime(at: number, now: number = Date.now()): string {
  const s = Math.round((now - at) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(at).toLocaleDateString();
}

/** A load's progress for the data panel: ` (45 MB of 188 MB, 1,200,000 rows)`; empty before any is known. */
export function loadProgressText(p: { bytesRead: number; bytesTotal: number | null; rows: number; rowsTotal: number | null } | undefined): string {
  if (!p) return '';
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
  const bytes = p.bytesTotal ? `${mb(p.bytesRead)} of ${mb(p.bytesTotal)}` : mb(p.bytesRead);
  const rows = p.rowsTotal ? `${formatCount(p.rows)} of ${formatCount(p.rowsTotal)} rows` : `${formatCount(p.rows)} rows`;
  return ` (${bytes}, ${rows})`;
}
