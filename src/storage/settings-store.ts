import { createStore, get, set, type UseStore } from 'idb-keyval';
import type { EngineSettings, SettingsPatch } from '../protocol/settings';

/**
 * The user's settings as stored, in IndexedDB; memory only where IndexedDB is unavailable. What is
 * stored may be from an older version: the client merges it over its defaults and validates it.
 */
export interface SettingsStore {
  load(): Promise<SettingsPatch | undefined>;
  save(settings: EngineSettings): Promise<void>;
}

export function indexedDbSettingsStore(store: UseStore = createStore('semsql-settings', 'settings')): SettingsStore {
  return {
    load: () => get<SettingsPatch>('engine', store),
    save: (settings) => set('engine', settings, store),
  };
}

export function memorySettingsStore(initial?: SettingsPatch): SettingsStore {
  let current = initial;
  return {
    load: async () => current,
    save: async (settings) => {
      current = settings;
    },
  };
}
