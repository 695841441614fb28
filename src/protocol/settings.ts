import { DEFAULT_MOCK_CONFIG, type MockConfig } from '../llm/provider';

/**
 * What the engine needs to know to run a query, as set by the user (persisted by the client) and
 * overridden per statement by annotations. The API key is deliberately absent: model workers read it
 * from IndexedDB themselves, so it never crosses a postMessage.
 */
export interface EngineSettings {
  provider: 'mock' | 'anthropic';
  model: string;
  /** Model calls in flight at once, unless `-- @ parallel: N` says otherwise. */
  parallel: number;
  /** Most model calls a query may make, unless `-- @ budget: N` says otherwise. */
  budget: number;
  /** Attempts per distinct input before it becomes a row-level error. */
  maxAttempts: number;
  /** Passes before a query that never settles is stopped. */
  maxPasses: number;
  mock: MockConfig;
}

export const MOCK_MODEL = 'mock-1';

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  provider: 'mock',
  model: MOCK_MODEL,
  parallel: 8,
  budget: 1_000,
  maxAttempts: 4,
  maxPasses: 16,
  mock: DEFAULT_MOCK_CONFIG,
};

/** Settings updates merge one level deep, so `{ mock: { latencyMs: 5 } }` keeps the other mock fields. */
export type SettingsPatch = Partial<Omit<EngineSettings, 'mock'>> & { mock?: Partial<MockConfig> };

export function mergeSettings(base: EngineSettings, patch: SettingsPatch): EngineSettings {
  return { ...base, ...patch, mock: { ...base.mock, ...patch.mock, faults: { ...base.mock.faults, ...patch.mock?.faults } } };
}
