/**
 * Loads the mock's NLP libraries, once per thread, as three chunks: the core (sentiment, dates,
 * phones, names, addresses, units, money, phonetics) and two heavy ones loaded only on demand,
 * compromise for named entities and eld for languages. The page never imports this folder: all of it
 * is about 560 KB gzipped, and only the model workers answer as the mock.
 *
 * Answers must not depend on what happens to be loaded. So the on-demand parts are getters that throw
 * MissingNlpPart until their chunk is in; the mock provider catches it, loads the part and answers
 * again (nothing the answer computed before the throw has effects). Node code (tests, benchmarks)
 * simply awaits loadNlp(), which loads all three, and gets the answers the workers give.
 *
 * Why these libraries (measured on the UCI labelled sentences and UDHR snippets; see
 * tests/unit/llm/mock/quality.test.ts and bench/cases/mock-quality.ts): VADER + wink-sentiment
 * averaged per sentence agree with gold sentiment labels 83.7% of the time against 76.5% for the
 * mock's own lexicon; eld calls 99% of English review sentences English where franc calls a sixth of
 * them Scots; chrono, libphonenumber-js, parse-full-name, parse-address, js-quantities and
 * currency-codes each do one parsing job better than a hand-written pattern; compromise is the only
 * small library that tells people from places and organisations.
 */
import type { CoreLibraries } from './core-libraries';
import type { ENTITY_LIBRARY } from './entity-library';
import type { LANGUAGE_LIBRARY } from './language-library';

type EntityLibrary = typeof ENTITY_LIBRARY;
type LanguageLibrary = typeof LANGUAGE_LIBRARY;

/** The loaded libraries. Job modules in this folder take it as a parameter and stay pure. */
export type Nlp = CoreLibraries & Readonly<EntityLibrary & LanguageLibrary>;

export type NlpPart = 'entities' | 'language';

/** Thrown by an on-demand library that is not loaded yet: load `part` and answer again. */
export class MissingNlpPart extends Error {
  readonly part: NlpPart;
  constructor(part: NlpPart) {
    super(`the mock's ${part} library is not loaded yet`);
    this.name = 'MissingNlpPart';
    this.part = part;
  }
}

const loaded: { entities?: EntityLibrary; language?: LanguageLibrary } = {};
const loadingParts = new Map<NlpPart, Promise<void>>();
let core: Promise<Nlp> | undefined;

/** Retries after a failed chunk fetch (offline before the first visit finished) may succeed. */
function once<T>(start: () => Promise<T>, forget: () => void): Promise<T> {
  return start().catch((error: unknown) => {
    forget();
    throw error;
  });
}

export function loadNlpPart(part: NlpPart): Promise<void> {
  let loading = loadingParts.get(part);
  if (loading === undefined) {
    const start =
      part === 'entities'
        ? () =>
            import('./entity-library').then((m) => {
              loaded.entities = m.ENTITY_LIBRARY;
            })
        : () =>
            import('./language-library').then((m) => {
              loaded.language = m.LANGUAGE_LIBRARY;
            });
    loading = once(start, () => loadingParts.delete(part));
    loadingParts.set(part, loading);
  }
  return loading;
}

/** The core chunk; the on-demand parts throw MissingNlpPart until loadNlpPart has loaded them. */
export function loadNlpCore(): Promise<Nlp> {
  core ??= once(
    () =>
      import('./core-libraries').then((m): Nlp => ({
        ...m.CORE_LIBRARIES,
        get compromise() {
          if (loaded.entities === undefined) throw new MissingNlpPart('entities');
          return loaded.entities.compromise;
        },
        get eld() {
          if (loaded.language === undefined) throw new MissingNlpPart('language');
          return loaded.language.eld;
        },
      })),
    () => {
      core = undefined;
    },
  );
  return core;
}

/** Everything, for callers that cannot retry on MissingNlpPart (Node tests, benchmarks). */
export async function loadNlp(): Promise<Nlp> {
  const [nlp] = await Promise.all([loadNlpCore(), loadNlpPart('entities'), loadNlpPart('language')]);
  return nlp;
}
