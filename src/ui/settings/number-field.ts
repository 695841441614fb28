/** A number field's value, clamped; NaN (an emptied field) keeps the old value. */
export function num(event: Event, min: number, max: number, fallback: number): number {
  const n = Number((event.currentTarget as HTMLInputElement).value);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
