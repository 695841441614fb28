/** The offline mock model: deterministic answers (answers.ts) behind a simulated network (mock-provider.ts). */
export { mockAnswer, MOCK_OPERATORS, type MockValue } from './answers';
export { createMockProvider, drawAttempt, realSleep, type MockDraw, type MockOutcome, type MockProviderDeps, type Sleep } from './mock-provider';
