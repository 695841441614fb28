/**
 * Named entities by compromise: the only small library that tells people from places and
 * organisations ("Tim Cook met Angela Merkel in Paris" → people, place). wink-nlp's small model has
 * no person or organisation entities; capitalised runs (extract.ts, properNames) cannot tell them apart.
 */
import type { Nlp } from './load-nlp';

export type EntityKind = 'people' | 'places' | 'organizations';

/** Entities of one kind, in order, without trailing punctuation or possessive 's. */
export function entities(text: string, kind: EntityKind, nlp: Nlp): string[] {
  const doc = nlp.compromise(text);
  const view = kind === 'people' ? doc.people() : kind === 'places' ? doc.places() : doc.organizations();
  const found = (view.out('array') as string[]).map((e) =>
    e
      .replace(/['’]s$/, '')
      .replace(/[\s,;:!?]+$/, '')
      .replace(/^[\s"'“(]+|[\s"'”)]+$/g, ''),
  );
  return [...new Set(found.filter((e) => e.length > 1))];
}
