import * as Comlink from 'comlink';
import { createLlmService } from '../src/llm/llm-service';
import type { LlmWorkerConnect } from '../src/protocol/llm-worker-api';

const service = createLlmService();
self.addEventListener('message', (event: MessageEvent<LlmWorkerConnect>) => {
  if (event.data?.connect instanceof MessagePort) Comlink.expose(service, event.data.connect);
});
