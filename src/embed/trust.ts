import type { StorageScope } from '../protocol/duckdb-worker-api';

/**
 * What a widget may do, from who embeds it (docs/security.md). Pure: the widget reads its embedding
 * origin and the user's allow-list, and everything else follows from here.
 *
 * - `app`: a page of the app's own origin (its deployment). The user's state and provider.
 * - `allowed`: a host origin the user listed in Settings → Embedding hosts. The user's provider and a
 *   read-only view of the user's operators and cached answers; whatever it writes goes to its own
 *   namespace.
 * - `foreign`: any other host. The mock model and its own namespace: it can neither spend the key
 *   nor read or change the user's state.
 * - `direct`: the widget opened on its own (a link, a navigation of the top window), configured by
 *   its URL hash, which anyone can write. The mock model and a namespace of its own; a paid run only
 *   after the user confirms it in the widget, one run at a time.
 */
export type EmbedTrust = { kind: 'app' } | { kind: 'allowed'; host: string } | { kind: 'foreign'; host: string } | { kind: 'direct' };

export function embedTrust(parentOrigin: string | null, appOrigin: string, allowedHosts: readonly string[]): EmbedTrust {
  if (parentOrigin === null) return { kind: 'direct' };
  if (parentOrigin === appOrigin) return { kind: 'app' };
  if (allowedHosts.includes(parentOrigin)) return { kind: 'allowed', host: parentOrigin };
  return { kind: 'foreign', host: parentOrigin };
}

/** Where the widget's engine keeps what it writes, and whether it may read the app's own. */
export function storageScope(trust: EmbedTrust): StorageScope {
  switch (trust.kind) {
    case 'app':
      return { namespace: null, readsAppState: false };
    case 'allowed':
      return { namespace: trust.host, readsAppState: true };
    case 'foreign':
      return { namespace: trust.host, readsAppState: false };
    case 'direct':
      return { namespace: 'direct', readsAppState: false };
  }
}

/**
 * Which model answers. `confirm`: the mock, until the user confirms a paid run in the widget. The
 * hash's `model=settings` is a request, never a grant: only trust decides.
 */
export function modelAccess(trust: EmbedTrust, requested: 'mock' | 'settings'): 'mock' | 'provider' | 'confirm' {
  if (requested === 'mock') return 'mock';
  switch (trust.kind) {
    case 'app':
    case 'allowed':
      return 'provider';
    case 'foreign':
      return 'mock';
    case 'direct':
      return 'confirm';
  }
}

/** What the widget says about its model, when it is not the one asked for. */
export function trustNotice(trust: EmbedTrust, access: ReturnType<typeof modelAccess>, requested: 'mock' | 'settings'): string | null {
  if (requested === 'mock' || access === 'provider') return null;
  if (trust.kind === 'foreign') {
    return `${trust.host} is not among the hosts allowed to use your model (Settings → Embedding hosts in semsql): answers come from the offline mock model.`;
  }
  return 'This widget was opened from a link: answers come from the offline mock model. Use "Run with my model" to spend your own key on this query, after seeing what it costs.';
}
