/**
 * The offline mock model: deterministic answers (answers.ts) behind a simulated network
 * (mock-provider.ts), with NLP libraries loaded lazily (nlp/load-nlp.ts). Code that wants the answers
 * the model workers give passes `await loadNlp()` to mockAnswer.
 */
export { mockAnswer, MOCK_STRATEGIES, type MockValue } from './answers';
export {
  createMockProvider,
  drawAttempt,
  realSleep,
  type MockDraw,
  type MockOutcome,
  type MockProviderDeps,
  type NlpLoader,
  type Sleep,
} from './mock-provider';
export { loadNlp, type Nlp } from './nlp/load-nlp';
export { NLP_STRATEGIES, type Strategy } from './strategies';
