export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

/** Short notices (copied, loaded, saved); they leave by themselves. */
export class Toasts {
  items = $state.raw<Toast[]>([]);
  #next = 0;

  show(text: string, kind: Toast['kind'] = 'info', ms = kind === 'error' ? 7000 : 2800): void {
    const id = ++this.#next;
    this.items = [...this.items, { id, kind, text }].slice(-4);
    setTimeout(() => this.dismiss(id), ms);
  }

  /** Copies text to the clipboard and says whether it worked. */
  async copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.show(`Copied ${what}`, 'success');
    } catch {
      this.show('The clipboard is not available here', 'error');
    }
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}
