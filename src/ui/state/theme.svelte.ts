export type ThemeChoice = 'light' | 'dark';

const STORAGE_KEY = 'semsql-theme';

/** Light or dark: the system's preference until the user picks one, then their pick (localStorage). */
export class Theme {
  #choice = $state<ThemeChoice | null>(null);
  #systemDark = $state(false);

  current = $derived<ThemeChoice>(this.#choice ?? (this.#systemDark ? 'dark' : 'light'));

  constructor() {
    const stored = readStored();
    this.#choice = stored;
    const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
    this.#systemDark = media?.matches ?? false;
    media?.addEventListener('change', (e) => (this.#systemDark = e.matches));
  }

  toggle(): void {
    this.set(this.current === 'dark' ? 'light' : 'dark');
  }

  set(choice: ThemeChoice): void {
    this.#choice = choice;
    try {
      localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Private modes may refuse storage; the choice lasts for the session.
    }
  }

  /** Puts the current theme on `root` (call it in an $effect to keep it in step). */
  apply(root: HTMLElement): void {
    applyTheme(root, this.current);
  }
}

/** `<html data-theme>` and the color scheme the browser's own controls follow. */
export function applyTheme(root: HTMLElement, theme: ThemeChoice): void {
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
}

function readStored(): ThemeChoice | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
}
