import { DEPARTMENTS } from '../../src/llm/mock/taxonomy';
import { mulberry32 } from '../../src/llm/mock/random';

/**
 * Issue 24's built join data: product listings, each labelled with the kinds of product it is and
 * their departments, to join with the kinds (about a hundred) or the departments (twelve).
 * - clear listings name their kind as the kinds table does ("Norrland waterproof boots, size 43");
 * - ambiguous ones are two kinds in one ("yoga mat with water bottle"), or, for `otherNames` of
 *   them, name their kind by a name the kinds table does not use ("… wellies": the model knows, a
 *   word-based proxy does not).
 * The department names are the mock taxonomy's (src/llm/mock/taxonomy.ts); the titles are written
 * here, seeded, so every run builds the same table.
 */

export interface Listing {
  id: number;
  title: string;
  /** The kinds it is (their own names), and their departments (by their first names). */
  kinds: string[];
  departments: string[];
  clear: boolean;
}

const BRANDS = [
  'Norrland',
  'Acme',
  'Kestrel',
  'Bluebird',
  'Orla',
  'Tamarack',
  'Vesta',
  'Pico',
  'Halden',
  'Marlow',
  'Quill',
  'Sora',
  'Fenwick',
  'Lumo',
  'Brisa',
];
const ADJECTIVES = [
  'classic',
  'lightweight',
  'premium',
  'compact',
  'waterproof',
  'eco',
  'deluxe',
  'everyday',
  'heavy duty',
  'vintage',
  'slim',
  'large',
  'soft',
  'durable',
];
const SUFFIXES = ['', '', ', blue', ', black', ' (2-pack)', ', size M', ' - new model', ', grey', ' for beginners', ' gift set'];

/** Every kind: its own name, what else it is called, and its department's name. */
export const KINDS: readonly { name: string; others: readonly string[]; department: string }[] = DEPARTMENTS.flatMap((d) =>
  d.kinds.map((names) => ({ name: names[0] as string, others: names.slice(1), department: d.names[0] as string })),
);

/** The departments by their first name, as a categories table lists them. */
export const DEPARTMENT_NAMES: readonly string[] = DEPARTMENTS.map((d) => d.names[0] as string);

/** `kinds`: the kinds the listings are of (every kind by default). */
export function listings(options: { rows: number; seed: number; clearShare?: number; otherNames?: number; kinds?: typeof KINDS }): Listing[] {
  const kinds = options.kinds ?? KINDS;
  const otherNames = options.otherNames ?? 0.1;
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const clearShare = options.clearShare ?? 0.8;
  const out: Listing[] = [];
  for (let id = 1; id <= options.rows; id++) {
    const kind = pick(kinds);
    const lead = `${pick(BRANDS)} ${pick(ADJECTIVES)}`;
    const suffix = pick(SUFFIXES);
    if (random() < clearShare) {
      out.push({ id, title: `${lead} ${kind.name}${suffix}`, kinds: [kind.name], departments: [kind.department], clear: true });
      continue;
    }
    const other = kind.others.length > 0 && random() < otherNames ? pick(kind.others) : undefined;
    if (other !== undefined) {
      out.push({ id, title: `${lead} ${other}${suffix}`, kinds: [kind.name], departments: [kind.department], clear: false });
      continue;
    }
    const second = pick(kinds.filter((k) => k.name !== kind.name));
    out.push({
      id,
      title: `${lead} ${kind.name} with ${second.name}${suffix}`,
      kinds: [kind.name, second.name],
      departments: [...new Set([kind.department, second.department])],
      clear: false,
    });
  }
  return out;
}
