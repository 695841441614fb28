import { createStore, get, set, type UseStore } from 'idb-keyval';
import { DEFAULT_ENGINE_SETTINGS, mergeSettings, type EngineSettings } from '../protocol/settings';

/** The user's settings, persisted in IndexedDB; memory only where IndexedDB is unavailable. */
export interface SettingsStore {
  load(): Promise<EngineSettings>;
  save(settings: EngineSettings): Promise<void>;
}

export function indexedDbSettingsStore(store: UseStore = createStore('semsql-settings', 'settings')): SettingsStore {
  return {
    // Stored settings are merged over the defaults, so a field added in a new version gets its default.
    load: async () => mergeSettings(DEFAULT_ENGINE_SETTINGS, (await get<EngineSettings>('engine', store)) ?? {}),
    save: (settings) => set('engine', settings, store),
  };
}

export function memorySettingsStore(initial: EngineSettings = DEFAULT_ENGINE_SETTINGS): SettingsStore {
  let current = initial;
  return {
    load: async () => current,
    save: async (settings) => {
      current = settings;
    },
  };
}
