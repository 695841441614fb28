#!/usr/bin/env node
// Writes public/data/tweets.csv: 3,000 made-up tweets for demos and tests, reproducible from SEED.
// Plain Node, no dependencies: `node scripts/make-sample-data.mjs`.
//
// The vocabulary is written against the mock model's lexicon (src/llm/mock/lexicon.ts): complaint
// words (broken, refund, slow, crash, worst, ...) appear only in complaint tweets, and exactly one
// tweet in each block of ten ids is a complaint, so `text MEANS 'complaint'` finds ~10% of rows,
// spread evenly through the table (tests and the LIMIT demo rely on that).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEED = 20250101;
const ROWS = 3000;
const AUTHORS = 150;

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = mulberry32(SEED);
const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = (items) => items[Math.floor(rng() * items.length)];
const chance = (p) => rng() < p;

// ---- slots -------------------------------------------------------------------------------------

const SLOTS = {
  product: [
    'Notely',
    'PixelCam X2',
    'Streamly',
    'the Acme app',
    'CloudBox',
    'FitBand 3',
    'the Lumen laptop',
    'QuickCart',
    'BudgetBee',
    'Tempo headphones',
    'HomeHub mini',
  ],
  brand: ['@acme_support', '@streamly', '@cloudbox_help', '@quickcart', '@pixelcam', '@fitband', '@lumen_tech', '@budgetbee'],
  item: ['blender', 'keyboard', 'standing desk', 'phone case', 'coffee grinder', 'monitor', 'backpack', 'router', 'air fryer'],
  db: ['DuckDB', 'DuckDB', 'SQLite', 'ClickHouse', 'Postgres'],
  dbServer: ['Postgres', 'MySQL', 'SQL Server', 'Oracle'],
  model: ['GPT-4o', 'Claude', 'Gemini', 'Llama 3', 'Mistral', 'Claude'],
  dish: ['ramen', 'lasagna', 'shakshuka', 'tacos', 'green curry', 'banana bread', 'paella', 'dumplings', 'pho', 'risotto'],
  team: ['Arsenal', 'the Lakers', 'Real Madrid', 'the Warriors', 'Bayern', 'Boca Juniors', 'the Yankees', 'Celtic'],
  city: ['Lisbon', 'Tokyo', 'Mexico City', 'Berlin', 'Montreal', 'Seoul', 'Cape Town', 'Reykjavik', 'Austin', 'Barcelona', 'Nairobi'],
  lang: ['Rust', 'Go', 'Python', 'SQL', 'TypeScript', 'Zig'],
  friend: ['@mara_codes', '@tobi_dev', '@lena_k', '@sam_bakes', '@dataduck', '@ravi_runs'],
  url: [
    'https://example.com/blog/duckdb-tips',
    'https://blog.example.org/posts/sql-for-ai',
    'https://docs.example.dev/guide',
    'https://example.net/recipes/ramen',
    'https://example.com/status',
    'https://example.org/r/4821',
  ],
  email: ['hello@example.com', 'support@quickcart.example', 'team@notely.example', 'press@example.org'],
  n: () => String(int(2, 48)),
  big: () => String(int(3, 90)),
  price: () => `$${int(19, 399)}${chance(0.4) ? '.99' : ''}`,
  order: () => String(int(1000, 99999)),
  temp: () => String(int(-8, 38)),
};

function fill(template) {
  return template.replace(/\{(\w+)\}/g, (_m, name) => {
    const slot = SLOTS[name];
    if (slot === undefined) throw new Error(`unknown slot {${name}}`);
    return typeof slot === 'function' ? slot() : pick(slot);
  });
}

// ---- templates per category --------------------------------------------------------------------

const COMPLAINTS = [
  '{brand} my order #{order} arrived broken. I want a refund, not another apology.',
  'Worst customer service ever. Three weeks and still waiting for a reply from {brand}.',
  '{product} crashes every time I open settings. Uninstalling. 😡',
  'Paid {price} for {product} and it died after two days. Total waste of money #fail',
  'Second damaged package this month, {brand}. Unacceptable.',
  'The new {product} update is so slow it is unusable. Please roll it back.',
  'Charged twice for my {product} subscription and support keeps closing my ticket. Unacceptable.',
  '{brand} support: 45 minutes on hold, then the call dropped. Awful.',
  'Ordered a {item}, received a broken one. Still waiting on my refund, {brand}',
  'I hate how {product} logs me out every hour. Who designed this?',
  '{product} froze and then crashed mid-export. An hour of work gone 😡',
  'Worst purchase of the year: {product}. Cheap plastic, defective battery.',
  'Dear {brand}, my parcel never arrived and your chatbot just loops. Refund please.',
  'Three support tickets, no response. Done with {brand}.',
  'Overcharged, late, and the box was damaged. Thanks for nothing, {brand}.',
  '{product} v{n}.0 is so buggy I cannot even log in. Frustrating.',
  'Still waiting for my refund from {brand}. It has been {n} days.',
  'Your app is garbage since the last update, {brand}. Fix it.',
  'Disappointed with {product}. Battery dies after {n} hours and support says that is normal??',
  'Customer service at {brand} is a joke. Terrible experience from start to finish.',
  'The {item} I ordered came with a cracked screen and a missing cable. Awful packaging.',
  'Why is {product} so slow today? Every page takes ages to load. #outage',
  'Horrible experience with {brand}: wrong item, broken seal, no refund.',
  'My {item} from {brand} broke after one week. Never again.',
  'Commande #{order} arrivée cassée, je veux un remboursement. Service client nul. {brand}',
  'Mi pedido llegó roto y nadie responde. Quiero un reembolso, {brand}.',
  'Paket kaputt angekommen, und der Support antwortet seit Tagen nicht. Schrecklich.',
  '"We value your feedback," says {brand}, after ignoring my complaint for a month.',
];

const PRAISE = [
  'Loving the new {product} release, great work {brand}! 🎉',
  'Shoutout to {brand} support, sorted out my account in 5 minutes. Impressed.',
  '{product} just keeps getting better. Kudos to the team 👏',
  'Best {item} I have bought in years. Worth every cent.',
  'The new dashboard in {product} is so smooth. Thank you!',
  'My {item} arrived a day early and works perfectly. 10/10 {brand}',
  'Honestly {product} is the best app on my phone right now ❤️',
  'Huge thanks to {friend} for the {db} tips, our reports are twice as fast now.',
  'Amazing customer experience at {brand} today, they replaced my {item} on the spot.',
  '{product} nailed this update. Clean, fast, delightful.',
];

const SQL = [
  'Just rewrote our nightly ETL as a single {db} query. 40 lines instead of 400.',
  'TIL {db} can query parquet files on S3 directly. Mind blown #dataengineering',
  'Window functions are the most underrated feature in SQL. Fight me.',
  'Spent the afternoon tuning indexes on a {big}M-row table in {dbServer}. Query time: 12s to 80ms.',
  'Hot take: every data team needs one person who really knows SQL joins.',
  'CTEs over nested subqueries, every time. Readability matters. #SQL',
  'GROUP BY ALL in {db} is such a quality of life improvement.',
  'Reading the {db} source code on a Sunday, as one does.',
  'Our warehouse bill dropped {big}% after moving dashboards to {db}.',
  'Normalized the schema, wrote the migrations, the DBA smiled. Good day. #databases',
  'Pro tip: EXPLAIN ANALYZE before you add another index to {dbServer}.',
  'Pandas for exploration, {db} for anything over a gigabyte. My workflow in one line.',
  'Wrote a recursive CTE to walk our org chart. SQL can do anything if you believe.',
  'Loaded {big} million rows into {db} on my laptop in under a minute. Databases are magic.',
  'The query planner in {dbServer} is smarter than me and I have accepted it.',
  'New post: "Ten SQL patterns I use every week" {url}',
  'Columnar storage, vectorized execution, zero servers. {db} is a joy for analytics.',
];

const AI = [
  'Tried {model} for code review today. It caught two real issues and invented one.',
  'RAG pipeline finally in production. Embeddings in {db}, {model} on top. #LLM',
  'Everyone is building agents. Few are evaluating them.',
  'Fine-tuned a small model on our FAQ pages. Surprisingly good results. #MachineLearning',
  'Prompt engineering is just writing clear specs, change my mind.',
  '{model} wrote my unit tests and they all pass. Suspicious 🤔',
  'The gap between {model} and {model} on reasoning benchmarks keeps shrinking.',
  'Machine learning papers this week: {n} new benchmarks, {n} new leaderboards.',
  'Hallucinations are a feature when you are brainstorming and a bug when you are doing taxes.',
  'Asked {model} to plan my week. It scheduled lunch at 3am. Close enough. #AI',
  'Running a 7B model locally on my laptop. The fans are screaming but it works.',
  'LLM evals are the new unit tests. If you do not measure it, you did not ship it.',
  'Our support chatbot now runs on {model} and answers half the questions on its own.',
  'The best AI feature is the one users do not notice.',
];

const SQL_FOR_AI_PRO = [
  'SQL is the best interface between LLMs and data. Declarative, inspectable, decades of tooling.',
  'Giving an AI agent a SQL prompt beats any custom API. {db} + {model} is a great combo.',
  'Text-to-SQL is finally good. {model} writes better joins than half my team 😅',
  "Semantic operators in SQL are the future: WHERE text MEANS 'urgent'. AI inside the query engine.",
  'If your AI can write SQL, it can answer most business questions. SQL is good for AI, and AI is good for SQL.',
  'LLMs + SQL: the model proposes the query, the database keeps it honest. Great pairing.',
  'Strongly agree that SQL is the right language for AI agents. It is verifiable and everyone knows it.',
  'Hot take: the most useful AI skill in 2025 is still SQL. #SQL #AI',
  'Every good AI data product I have seen has SQL underneath. Love that the old language wins again.',
  'Put {model} in front of {db} and the whole team can query the warehouse. SQL for AI is amazing.',
];

const SQL_FOR_AI_CON = [
  'Unpopular opinion: SQL is a poor fit for AI agents. Too much hidden schema knowledge.',
  'SQL is dead, AI agents will just call APIs directly.',
  'Text-to-SQL demos look great, real schemas are another story. Overrated.',
  'Natural language will replace SQL within five years. AI makes query languages obsolete.',
  'LLM-generated SQL is a security review nightmare. Keep models away from the database.',
];

const QUESTIONS = [
  'Anyone know a good way to dedupe {big}k customer names? Fuzzy matching in SQL?',
  'What is the best {item} for a small apartment? Budget around {price}.',
  'How do you all handle schema migrations in {dbServer}?',
  'Which {city} neighborhood should I stay in? First time visiting.',
  'Is it worth learning {lang} in 2025?',
  'Any recommendations for a sourdough starter guide?',
  'Which is better for local analytics, {db} or {db}? Asking for a friend.',
  'What are you all using for LLM evals these days?',
  'Does anyone actually read the terms of service?',
  'Best way to get from the airport to downtown {city}?',
  'How long should I rest dough before baking? Mine keeps turning out dense.',
];

const JOKES = [
  'My code does not work and I have no idea why. My code works and I have no idea why.',
  'I explained normalization to my cat. She knocked the third normal form off the table.',
  'Great, another meeting that could have been an email. /s',
  'There are two hard problems in computer science: cache invalidation, naming things, and off-by-one errors.',
  'Plot twist: the AI was a SQL query all along lol',
  'Me: I will go to bed early. Also me at 2am: reading about B-trees 😂',
  'Why do programmers prefer dark mode? Because light attracts bugs.',
  'A SQL query walks into a bar, walks up to two tables and asks: "Can I join you?"',
  'My plants are thriving and my side projects are not. Priorities, apparently. haha',
  'Roses are red, violets are blue, "undefined is not a function", and neither am I.',
  'Nothing says Monday like coffee number three at 9:04. lol',
];

const COOKING = [
  'Made {dish} from scratch tonight. The kitchen smells amazing.',
  'Day {n} of the sourdough journey: the starter finally doubled 🍞',
  'Pineapple on pizza is fine and I will not be taking questions.',
  'Meal prep Sunday: {dish}, rice, roasted veggies. #mealprep',
  "Grandma's {dish} recipe, still the best thing I know how to cook.",
  'Tried a new {dish} recipe: lots of garlic, zero regrets. #foodie',
  'Baking cookies for the office tomorrow. Chocolate chip, obviously.',
  'Homemade {dish} for dinner, leftovers for lunch. Efficient.',
  'New recipe on the blog: 20-minute {dish} {url}',
  'Finally nailed a crispy crust on my pizza. The oven trick works.',
];

const SPORTS = [
  'What a match! {team} came back from two goals down 🔥',
  '{team} fans, how are we feeling about this season?',
  'Ran my first half marathon today. Legs are gone, heart is full.',
  'The referee in that game was... something.',
  'Gym at 6am, coffee at 7, standup at 9. #workout',
  'Playoffs start tonight. {team} in six, you heard it here first.',
  '{n} km bike ride along the coast this morning. Perfect conditions. #cycling',
  'Watching {team} with {friend} tonight, loser buys the pizza.',
  'Tennis lessons, week {n}: I can now return a serve about half the time.',
];

const TRAVEL = [
  'Landed in {city}! First stop: coffee, second stop: everything else ✈️',
  'Flight delayed 3 hours but the airport ramen was excellent.',
  'Booked a last-minute trip to {city}. Any food recommendations?',
  'Hotel view in {city} this morning 😍',
  'Passport renewed, bags packed, out of office on. #travel',
  'Road trip playlist is ready. {city}, here we come.',
  'Two weeks backpacking through {city} and I already want to go back.',
  'Pro travel tip: always pack a spare charger and a snack.',
];

const WEATHER = [
  '{temp} degrees and sunny in {city}. Spring is here ☀️',
  'Rain again in {city}. Umbrella count this week: 3.',
  'Heatwave day {n}. The AC and I are in a committed relationship.',
  'Snow day! Working from the couch with hot chocolate.',
  'Forecast said light drizzle. It is a full-on storm out there.',
  'Windy enough in {city} today to fly a kite from the balcony.',
  'Foggy morning, cozy sweater, second coffee. #weather',
];

const FOREIGN = [
  'Enfin le week-end ! Direction la plage avec les amis ☀️',
  'Je suis très content de la nouvelle version de {product}, merci !',
  "Quelqu'un connaît un bon tuto sur les requêtes SQL ?",
  'Il pleut encore à Paris, évidemment.',
  'Hoy hace mucho calor en {city}. ¡Vamos a la playa!',
  'Me encanta {db}, es rapidísimo para análisis de datos.',
  '¿Alguien tiene una buena receta de paella?',
  'Heute regnet es schon wieder in Berlin.',
  'Das neue Update von {product} ist echt toll!',
  'Wer kommt heute Abend zum Fußball?',
];

const SPAM = [
  '🚀 Free followers! Click here: {url} #giveaway',
  'DM me for a promo code, limited offer 💰 {url}',
  'Earn money from home with crypto, link in bio!!!',
];

const MISC = [
  'Coffee #3 and it is only 10am.',
  'New blog post: how we cut our cloud bill in half {url}',
  'For partnership inquiries, write to {email}.',
  'Weekend plans: nothing. Perfect.',
  'We are hiring data engineers! Send your CV to {email} #hiring',
  'Finished a 600-page novel in two days. Sleep is overrated anyway.',
  'Conference talk accepted! See you in {city}, {friend}.',
  "Status page for today's maintenance window: {url}",
  'Quiet Sunday, long walk, good book.',
];

const SHORT = ['lol', 'same', 'this.', 'big mood', '👀', 'ok but why', '+1', 'wow', 'gm', 'nice', 'agreed', 'so true', '🔥🔥🔥', 'ha!'];

// Category weights for the nine tweets in every block of ten that are not the complaint.
const CATEGORIES = [
  { name: 'sql', weight: 14, templates: SQL, tags: ['#SQL', '#DuckDB', '#dataengineering', '#databases'] },
  { name: 'ai', weight: 12, templates: AI, tags: ['#AI', '#LLM', '#MachineLearning', '#GenAI'] },
  { name: 'sql_ai_pro', weight: 7, templates: SQL_FOR_AI_PRO, tags: ['#SQL', '#AI', '#LLM'] },
  { name: 'sql_ai_con', weight: 3, templates: SQL_FOR_AI_CON, tags: ['#AI', '#hottake'] },
  { name: 'praise', weight: 9, templates: PRAISE, tags: ['#happycustomer', '#shoutout'] },
  { name: 'question', weight: 8, templates: QUESTIONS, tags: ['#help', '#askingforafriend'] },
  { name: 'joke', weight: 7, templates: JOKES, tags: ['#devhumor', '#mondaymood'] },
  { name: 'cooking', weight: 8, templates: COOKING, tags: ['#foodie', '#sourdough', '#homecooking'] },
  { name: 'sports', weight: 7, templates: SPORTS, tags: ['#matchday', '#running', '#fitness'] },
  { name: 'travel', weight: 6, templates: TRAVEL, tags: ['#travel', '#wanderlust'] },
  { name: 'weather', weight: 5, templates: WEATHER, tags: ['#weather', '#spring'] },
  { name: 'foreign', weight: 5, templates: FOREIGN, tags: [] },
  { name: 'misc', weight: 5, templates: MISC, tags: ['#life'] },
  { name: 'short', weight: 3, templates: SHORT, tags: [] },
  { name: 'spam', weight: 1, templates: SPAM, tags: [] },
];
const TOTAL_WEIGHT = CATEGORIES.reduce((sum, c) => sum + c.weight, 0);

function pickCategory(favorites) {
  if (favorites.length > 0 && chance(0.45)) return pick(favorites);
  let u = rng() * TOTAL_WEIGHT;
  for (const c of CATEGORIES) {
    u -= c.weight;
    if (u < 0) return c;
  }
  return CATEGORIES[0];
}

const EMOJI = ['🙌', '✨', '😊', '🤔', '👀', '💯', '🚀'];
// Openers and closers multiply the templates into more distinct texts; none carries a complaint word.
const OPENERS = ['Honestly, ', 'Ok so ', 'PSA: ', 'Update: ', 'Not gonna lie, ', 'Random thought: ', 'Friendly reminder: ', 'Today: '];
const CLOSERS = [' Thoughts?', ' (again)', ' 🙃', ' Just saying.', ' Anyway.', ' More soon.', ' That is all.'];

const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** Decoration that makes tweets look like tweets: an opener, a hashtag, an emoji, a mention. */
function decorate(text, category) {
  if (category.name === 'short' || category.name === 'spam') return text;
  let out = capitalize(text);
  if (chance(0.12) && !out.startsWith('@')) {
    // Keep acronyms ("SQL is ...") intact when the opener pushes the first word mid-sentence.
    const first = /^[A-Z][a-z]/.test(out) ? out.charAt(0).toLowerCase() + out.slice(1) : out;
    out = OPENERS[Math.floor(rng() * OPENERS.length)] + first;
  }
  if (chance(0.1) && /[.!]$/.test(out)) out += pick(CLOSERS);
  if (category.tags.length > 0 && !out.includes('#') && chance(0.3)) out += ` ${pick(category.tags)}`;
  if (chance(0.12) && !/\p{Extended_Pictographic}/u.test(out)) out += ` ${pick(EMOJI)}`;
  if (chance(0.06) && !out.startsWith('@')) out = `${pick(SLOTS.friend)} ${out}`;
  // Some people never press shift.
  if (chance(0.07)) out = out.toLowerCase();
  return out;
}

// ---- authors -----------------------------------------------------------------------------------

const FIRST = [
  'ana',
  'ben',
  'chloe',
  'dev',
  'elif',
  'femi',
  'gus',
  'hana',
  'ivan',
  'jules',
  'kai',
  'lena',
  'mo',
  'nina',
  'omar',
  'pia',
  'quinn',
  'rosa',
  'sami',
  'theo',
  'uma',
  'vic',
  'wren',
  'yuki',
  'zoe',
];
const LAST = ['k', 'lee', 'moreau', 'garcia', 'schmidt', 'okafor', 'tanaka', 'silva', 'novak', 'park', 'rossi', 'ng'];
const WORDS = ['query', 'data', 'duck', 'byte', 'sourdough', 'pixel', 'trail', 'coffee', 'cloud', 'stack', 'vector', 'pasta', 'goal', 'rain', 'nomad'];
const WORDS2 = ['cat', 'nerd', 'ninja', 'chef', 'runner', 'fan', 'lab', 'dad', 'mom', 'wizard', 'life', 'diaries'];

function makeAuthors() {
  const handles = new Set();
  while (handles.size < AUTHORS) {
    const style = rng();
    let h;
    if (style < 0.45) h = `${pick(FIRST)}_${pick(LAST)}`;
    else if (style < 0.7) h = `${pick(FIRST)}${int(1, 99)}`;
    else h = `${pick(WORDS)}${chance(0.5) ? '_' : ''}${pick(WORDS2)}`;
    handles.add(h);
  }
  // Some people tweet a lot: Zipf-like weights, and two favourite topics each.
  return [...handles].map((handle, i) => ({
    handle,
    weight: 1 / Math.pow(i + 1, 0.7),
    favorites: [pickCategory([]), pickCategory([])].filter((c) => c.name !== 'spam' && c.name !== 'short'),
  }));
}

function pickAuthor(authors, total) {
  let u = rng() * total;
  for (const a of authors) {
    u -= a.weight;
    if (u < 0) return a;
  }
  return authors[0];
}

// ---- rows --------------------------------------------------------------------------------------

function timestamps(count) {
  const start = Date.UTC(2025, 0, 1) / 1000;
  const end = Date.UTC(2026, 0, 1) / 1000 - 1;
  const times = Array.from({ length: count }, () => start + Math.floor(rng() * (end - start)));
  times.sort((a, b) => a - b);
  return times.map((t) => new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' '));
}

/** Heavy-tailed: most tweets get a handful of likes, a few get thousands. */
function likes(category) {
  const boost = category === 'joke' || category === 'sql_ai_pro' || category === 'sql_ai_con' ? 3 : 1;
  return Math.min(48_000, Math.floor(boost * 2 * (Math.pow(rng(), -1.15) - 1)));
}

function csvField(value) {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function main() {
  const authors = makeAuthors();
  const totalWeight = authors.reduce((sum, a) => sum + a.weight, 0);
  const times = timestamps(ROWS);
  const complaintsCategory = { name: 'complaint', tags: ['#fail', '#customerservice'] };
  const lines = ['id,author,text,created_at,likes'];
  let complaintSlot = 0;
  const counts = {};
  for (let id = 1; id <= ROWS; id++) {
    // One complaint at a random position in every block of ten ids.
    if ((id - 1) % 10 === 0) complaintSlot = id + int(0, 9);
    const author = pickAuthor(authors, totalWeight);
    const category = id === complaintSlot ? complaintsCategory : pickCategory(author.favorites);
    const templates = category.name === 'complaint' ? COMPLAINTS : category.templates;
    const text = decorate(fill(pick(templates)), category);
    counts[category.name] = (counts[category.name] ?? 0) + 1;
    lines.push([id, author.handle, text, times[id - 1], likes(category.name)].map(csvField).join(','));
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const out = join(here, '..', 'public', 'data', 'tweets.csv');
  mkdirSync(dirname(out), { recursive: true });
  const csv = `${lines.join('\n')}\n`;
  writeFileSync(out, csv);
  console.log(`wrote ${out}: ${ROWS} rows, ${(Buffer.byteLength(csv) / 1024).toFixed(0)} KB`);
  console.log(
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
}

main();
