/**
 * The mock's product taxonomy (issue 24): departments and the kinds of product in each, with the
 * other names a kind goes by. It answers what a join of products with categories or kinds asks: a
 * shoe belongs to footwear and not to the kitchen, "trainers" are sneakers, running shoes are not
 * running shorts. Data only, plus the phrase matching that finds kinds in a text. The mock
 * embeddings do not know it: like a real embedding model and a real LLM, the proxy and the model
 * disagree about texts that share no word.
 */
import { STOPWORDS } from './word-lists';
import { tokenize } from './text-features';

export interface Department {
  id: string;
  /** Names a criterion may give the department by. */
  names: readonly string[];
  /** Kinds of product: the first name is the kind's own, the rest what else it is called. */
  kinds: readonly (readonly string[])[];
}

export const DEPARTMENTS: readonly Department[] = [
  {
    id: 'footwear',
    names: ['footwear', 'shoes', 'shoe'],
    kinds: [
      ['boots', 'wellies', 'wellingtons'],
      ['sneakers', 'trainers', 'running shoes'],
      ['sandals'],
      ['slippers'],
      ['loafers'],
      ['high heels', 'heels', 'stilettos'],
      ['clogs'],
      ['flip flops', 'thongs'],
      ['moccasins'],
      ['espadrilles'],
    ],
  },
  {
    id: 'clothing',
    names: ['clothing', 'clothes', 'apparel', 'fashion'],
    kinds: [
      ['jeans', 'denim trousers'],
      ['hoodie', 'hooded sweatshirt'],
      ['t-shirt', 'tee'],
      ['raincoat', 'rain jacket'],
      ['socks'],
      ['scarf'],
      ['sweater', 'jumper', 'pullover'],
      ['shorts'],
      ['dress'],
      ['leggings'],
      ['gloves', 'mittens'],
      ['beanie', 'knit hat'],
    ],
  },
  {
    id: 'kitchen',
    names: ['kitchen', 'kitchenware', 'cookware', 'kitchen supplies'],
    kinds: [
      ['frying pan', 'skillet'],
      ['saucepan'],
      ['kettle'],
      ['blender', 'smoothie maker'],
      ['toaster'],
      ['chef knife', 'kitchen knife'],
      ['cutting board', 'chopping board'],
      ['colander'],
      ['whisk'],
      ['mixing bowl'],
      ['coffee grinder'],
      ['air fryer'],
    ],
  },
  {
    id: 'electronics',
    names: ['electronics', 'gadgets', 'consumer electronics'],
    kinds: [
      ['headphones', 'headset'],
      ['earbuds', 'earphones'],
      ['bluetooth speaker', 'wireless speaker'],
      ['laptop', 'notebook computer'],
      ['monitor', 'computer screen'],
      ['keyboard'],
      ['computer mouse'],
      ['router', 'wifi router'],
      ['webcam'],
      ['phone charger', 'usb charger'],
      ['smartwatch'],
      ['tablet'],
    ],
  },
  {
    id: 'furniture',
    names: ['furniture', 'home furnishings'],
    kinds: [
      ['sofa', 'couch', 'settee'],
      ['armchair', 'recliner'],
      ['bookshelf', 'bookcase'],
      ['desk'],
      ['dining table'],
      ['bed frame'],
      ['wardrobe'],
      ['stool'],
      ['ottoman', 'footstool'],
      ['nightstand', 'bedside table'],
    ],
  },
  {
    id: 'garden',
    names: ['garden', 'gardening', 'garden supplies'],
    kinds: [
      ['lawn mower'],
      ['garden hose'],
      ['pruning shears', 'secateurs'],
      ['rake'],
      ['wheelbarrow'],
      ['planter', 'flower pot'],
      ['watering can'],
      ['leaf blower'],
    ],
  },
  {
    id: 'fitness',
    names: ['fitness', 'sports equipment', 'sporting goods', 'exercise'],
    kinds: [
      ['yoga mat'],
      ['dumbbells', 'free weights'],
      ['tennis racket'],
      ['football'],
      ['bike helmet', 'cycling helmet'],
      ['kettlebell'],
      ['skipping rope', 'jump rope'],
      ['golf clubs'],
      ['ski goggles'],
    ],
  },
  {
    id: 'toys',
    names: ['toys', 'toy', 'toys and games'],
    kinds: [
      ['jigsaw puzzle'],
      ['building blocks', 'construction bricks'],
      ['doll'],
      ['teddy bear', 'plush bear'],
      ['kite'],
      ['toy car'],
      ['board game'],
      ['action figure'],
    ],
  },
  {
    id: 'beauty',
    names: ['beauty', 'cosmetics', 'personal care'],
    kinds: [
      ['shampoo'],
      ['lipstick'],
      ['moisturizer', 'face cream'],
      ['sunscreen', 'sunblock'],
      ['perfume', 'fragrance'],
      ['hair dryer', 'hairdryer'],
      ['nail polish'],
      ['face mask'],
    ],
  },
  {
    id: 'office',
    names: ['office', 'office supplies', 'stationery'],
    kinds: [['stapler'], ['notebook', 'notepad'], ['fountain pen'], ['desk lamp'], ['ring binder'], ['printer paper'], ['label maker'], ['whiteboard']],
  },
  {
    id: 'pets',
    names: ['pet supplies', 'pets', 'pet'],
    kinds: [['dog bed'], ['cat litter'], ['dog leash'], ['aquarium', 'fish tank'], ['bird cage'], ['scratching post'], ['pet carrier'], ['chew toy']],
  },
  {
    id: 'camping',
    names: ['camping', 'outdoor gear', 'outdoors'],
    kinds: [
      ['tent'],
      ['sleeping bag'],
      ['camping stove'],
      ['headlamp', 'head torch'],
      ['hiking backpack', 'rucksack'],
      ['water bottle'],
      ['cooler', 'cool box'],
      ['hammock'],
    ],
  },
];

/** A kind of product: its id (its own name) and its department. */
export interface Kind {
  id: string;
  department: string;
}

interface Index {
  /** Stemmed phrase → the kind it names. */
  kinds: Map<string, Kind>;
  /** Stemmed phrase → the department it names. */
  departments: Map<string, string>;
  maxWords: number;
}

const stems = (phrase: string) => tokenize(phrase).map((t) => t.stem);

function buildIndex(): Index {
  const index: Index = { kinds: new Map(), departments: new Map(), maxWords: 1 };
  for (const d of DEPARTMENTS) {
    for (const name of d.names) index.departments.set(stems(name).join(' '), d.id);
    for (const names of d.kinds) {
      const kind = { id: names[0] as string, department: d.id };
      for (const name of names) {
        const s = stems(name);
        index.maxWords = Math.max(index.maxWords, s.length);
        index.kinds.set(s.join(' '), kind);
      }
    }
  }
  return index;
}

const INDEX = buildIndex();

export interface Named {
  kinds: Kind[];
  departments: string[];
  /** Stems of the words that are neither stopwords nor part of a kind's or department's name. */
  rest: string[];
}

/** The kinds and departments a text names, longest phrase first, and the stems left over. */
export function namedIn(text: string): Named {
  const words = tokenize(text);
  const tokens = words.map((t) => t.stem);
  const out: Named = { kinds: [], departments: [], rest: [] };
  for (let i = 0; i < tokens.length;) {
    let matched = 0;
    for (let len = Math.min(INDEX.maxWords, tokens.length - i); len >= 1 && matched === 0; len--) {
      const phrase = tokens.slice(i, i + len).join(' ');
      const kind = INDEX.kinds.get(phrase);
      const department = INDEX.departments.get(phrase);
      if (kind !== undefined && !out.kinds.includes(kind)) out.kinds.push(kind);
      if (department !== undefined && !out.departments.includes(department)) out.departments.push(department);
      if (kind !== undefined || department !== undefined) matched = len;
    }
    if (matched === 0 && !STOPWORDS.has(words[i]?.word ?? '')) out.rest.push(tokens[i] as string);
    i += Math.max(1, matched);
  }
  return out;
}

/** Words of a membership question that say nothing about what belongs where ("a product in the category …"). */
const QUESTION_WORDS = new Set(
  [
    'product',
    'item',
    'category',
    'kind',
    'type',
    'sort',
    'class',
    'department',
    'section',
    'belong',
    'belongs',
    'good',
    'goods',
    'thing',
    'piece',
    'something',
    'sold',
    'under',
  ].map((w) => stems(w)[0] ?? w),
);

/**
 * How well `text` fits a criterion that is nothing but a kind of product or a department ("boots",
 * "a product in the category footwear"), when the text names a kind: high when that kind is the
 * criterion's or in its department, low when it is another. Undefined when the criterion asks more
 * than membership or the text names no kind: the usual relevance decides.
 */
export function taxonomyFit(text: string, criterion: string): 'fits' | 'does-not-fit' | undefined {
  const c = namedIn(criterion);
  if (c.kinds.length + c.departments.length === 0 || c.rest.some((s) => !QUESTION_WORDS.has(s))) return undefined;
  const t = namedIn(text);
  if (t.kinds.length === 0) return undefined;
  const fits = t.kinds.some((k) => c.kinds.some((w) => w.id === k.id) || c.departments.includes(k.department));
  return fits ? 'fits' : 'does-not-fit';
}
