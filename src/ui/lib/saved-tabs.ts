/** The query tabs as they are kept across reloads: each tab's title and text, and which is on show. */
export interface SavedTabs {
  tabs: { id: string; title: string; sql: string }[];
  active: string;
}

const KEY = 'semsql-tabs';
/** Where one editor's draft was kept before there were tabs: it becomes the first tab. */
const OLD_DRAFT_KEY = 'semsql-draft';

/** Storage as far as tabs need it: localStorage, or a Map-backed stand-in in tests. */
export type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * The saved tabs, or null when there are none (a first visit). Anything that does not read back as
 * tabs (a hand edit, an older format) is ignored rather than trusted.
 */
export function readSavedTabs(storage: TabStorage | null): SavedTabs | null {
  if (!storage) return null;
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
    if (isSavedTabs(parsed)) return parsed;
    const draft = storage.getItem(OLD_DRAFT_KEY);
    if (draft && draft.trim() !== '') return { tabs: [{ id: 't1', title: 'Query 1', sql: draft }], active: 't1' };
  } catch {
    // Unreadable storage: start afresh.
  }
  return null;
}

export function writeSavedTabs(storage: TabStorage | null, saved: SavedTabs): void {
  if (!storage) return;
  try {
    storage.setItem(KEY, JSON.stringify(saved));
    storage.removeItem(OLD_DRAFT_KEY);
  } catch {
    // A full or refused storage: the tabs last for the session.
  }
}

function isSavedTabs(value: unknown): value is SavedTabs {
  if (typeof value !== 'object' || value === null) return false;
  const { tabs, active } = value as Partial<SavedTabs>;
  return (
    typeof active === 'string' &&
    Array.isArray(tabs) &&
    tabs.length > 0 &&
    tabs.every(
      (t: unknown) => typeof t === 'object' && t !== null && ['id', 'title', 'sql'].every((k) => typeof (t as Record<string, unknown>)[k] === 'string'),
    ) &&
    tabs.some((t) => t.id === active)
  );
}

/** A title for a new tab: "Query N" with the lowest N not in use. */
export function nextTabTitle(titles: readonly string[]): string {
  const used = new Set(titles);
  let n = 1;
  while (used.has(`Query ${n}`)) n++;
  return `Query ${n}`;
}
