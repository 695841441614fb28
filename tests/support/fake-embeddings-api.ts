import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CORS_HEADERS } from './fake-wire';

/**
 * A fake OpenAI-compatible embeddings endpoint on 127.0.0.1: `POST /v1/embeddings` with
 * `{model, input: [...]}` answers one vector per input (a deterministic function of the text), and
 * checks the key when one is required. Requests are kept for assertions.
 */
export interface FakeEmbeddingsRequest {
  authorization: string | undefined;
  model: unknown;
  input: string[];
}

export interface FakeEmbeddingsApi {
  url: string;
  readonly requests: readonly FakeEmbeddingsRequest[];
  close(): Promise<void>;
}

export async function startFakeEmbeddingsApi(options: { key?: string; vector(text: string): number[] }): Promise<FakeEmbeddingsApi> {
  const requests: FakeEmbeddingsRequest[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { ...CORS_HEADERS, 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') return reply(404, { error: { message: `no ${req.method} ${req.url}` } });
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model?: unknown; input?: unknown };
    const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input)];
    const authorization = req.headers['authorization'];
    requests.push({ authorization, model: body.model, input });
    if (options.key !== undefined && authorization !== `Bearer ${options.key}`) return reply(401, { error: { message: 'invalid api key' } });
    reply(200, {
      object: 'list',
      model: body.model,
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: options.vector(text) })),
      usage: { prompt_tokens: input.reduce((n, t) => n + Math.ceil(t.length / 4), 0), total_tokens: 0 },
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
