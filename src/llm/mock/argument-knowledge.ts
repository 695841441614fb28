/**
 * The mock model's knowledge of common debates, for STEELMAN, COUNTERARGUMENT, ASSUMES and SUPPORTS:
 * for a topic, the mechanisms its supporters and critics point to, the premise its arguments lean on,
 * and what is usually proposed instead. Data only, written by hand: no small library knows arguments,
 * and a model answering these operators draws on exactly this kind of background. Topics not listed
 * get the generic structure of an argument (src/llm/mock/catalogue/reasoning.ts).
 */
export interface DebateTopic {
  id: string;
  /** Words that put a text on the topic. */
  triggers: RegExp;
  /** What supporters of a claim against or about it point to (the strongest case). */
  for: string;
  /** What critics point to. */
  against: string;
  /** The premise arguments on the topic lean on. */
  premise: string;
  /** What is usually proposed instead. */
  alternative: string;
}

export const DEBATE_TOPICS: readonly DebateTopic[] = [
  {
    id: 'social_media',
    triggers: /\bsocial media\b|\binstagram\b|\btiktok\b|\bfacebook\b|\bsocial networks?\b/i,
    for: 'heavy use is linked to anxiety, depression and poor sleep, with the mental health of teenagers most exposed, and engagement-driven feeds reward outrage and spread misinformation faster than corrections can follow',
    against:
      'it also keeps distant families in touch, gives isolated people communities and lets movements organise, and the studies behind the harms mostly show small average effects and correlation rather than cause',
    premise: 'the harms measured in heavy users are caused by the platforms rather than by what drives people to use them heavily',
    alternative: 'design rules for feeds and age-appropriate defaults rather than treating the whole medium as the problem',
  },
  {
    id: 'cars_in_cities',
    triggers: /\bcars?\b|\btraffic\b|\bdriving\b|\bvehicles?\b/i,
    for: "cars take most of a city's street space, cause most of its air and noise pollution and traffic deaths, and cities that closed centres to cars saw walking, cycling and local trade grow",
    against:
      'many people (carers, tradespeople, the disabled, those on night shifts or in the suburbs) have no practical alternative, and a ban moves traffic and costs to them instead of removing them',
    premise: 'public transport, cycling and walking can carry the trips cars carry today',
    alternative: 'congestion pricing and better transit that make the car unnecessary for most trips rather than forbidden for all',
  },
  {
    id: 'remote_work',
    triggers: /\bremote work\b|\bwork(?:ing)? from home\b|\bhybrid work\b|\bremote\b.*\boffice\b|\boffice work\b/i,
    for: 'it removes commutes, widens hiring beyond one city and gives focused time that open offices rarely allow, and many teams report the same or better output',
    against:
      'in-person collaboration, team communication, mentoring of junior staff and the informal exchanges that spread knowledge suffer, and they are hard to measure until they are missed',
    premise: 'productivity can be measured well enough for remote work to be judged on it',
    alternative: 'deliberate hybrid arrangements with shared office days for the work that needs people together',
  },
  {
    id: 'basic_income',
    triggers: /\buniversal basic income\b|\bbasic income\b|\bUBI\b/i,
    for: 'it replaces a maze of means-tested benefits with one payment nobody falls through, cushions people against job losses from automation, and pilot studies found better health without large drops in work',
    against:
      'paying everyone enough to live on costs a large share of national income, taxes needed to fund it would fall partly on the people it helps, and pilots were too small and short to show how labour markets respond at scale',
    premise: 'a payment large enough to matter can be funded without taxes or inflation that cancel it out',
    alternative: 'targeted support such as negative income taxes or stronger benefits for the people most at risk',
  },
  {
    id: 'interest_rates',
    triggers: /\binterest rates?\b|\bcentral bank\b|\bmonetary policy\b/i,
    for: 'cheaper credit leads households and businesses to borrow and spend more, raises asset prices and weakens the currency in favour of exporters',
    against:
      'when households are already indebted or firms lack demand, cheap credit is not borrowed for investment, and low rates feed asset bubbles and inflation instead',
    premise: 'households and businesses will borrow more when borrowing gets cheaper',
    alternative: 'fiscal policy aimed directly at demand when monetary policy has little room left',
  },
  {
    id: 'automation',
    triggers:
      /\b(?:ai|artificial intelligence|automation|robots?)\b.*\b(?:jobs?|work|workers|employment)\b|\b(?:jobs?|workers)\b.*\b(?:ai|automation|robots?)\b/i,
    for: 'models now do in seconds a growing share of routine writing, coding, support and analysis tasks, and adoption spreads quickly once a tool is cheap and good enough',
    against:
      'most jobs are bundles of tasks, and past waves of automation changed what people do far more than they removed work, while regulation, costs and trust slow adoption',
    premise: 'the technical capabilities of these systems will keep improving fast enough to do most of the tasks jobs are made of',
    alternative: 'planning for jobs that change rather than disappear, with retraining tied to the tasks actually automated',
  },
  {
    id: 'plastic',
    triggers: /\bplastic\b|\bstraws?\b|\bocean pollution\b|\bsingle-use\b/i,
    for: 'single-use plastics break into microplastics that persist for centuries, harm marine life, and bans are cheap to enforce and shift habits quickly',
    against:
      'straws and similar items are a tiny share of ocean plastic, most of which comes from fishing gear and poorly managed waste in a few regions, so symbolic bans can crowd out measures that would matter',
    premise: 'the banned items are a meaningful share of the plastic reaching the oceans',
    alternative: 'investment in waste collection where most ocean plastic comes from, and rules on fishing gear',
  },
  {
    id: 'databases',
    triggers: /\bsql\b|\bdatabases?\b|\bpostgres\b|\bduckdb\b|\bqueries\b|\bschema\b|\bwindow functions?\b|\bctes?\b/i,
    for: 'relational engines are decades-tested, declarative queries say what is wanted rather than how, and one well-indexed query replaces pages of application code',
    against: 'SQL grows hard to read and test as queries get long, its dialects differ between engines, and not every problem is a set of rows',
    premise: 'the data fits the relational model well enough for its benefits to apply',
    alternative: 'SQL for what it does best, with the rest in code that is easier to test',
  },
];

/** Fields a claim's words can belong to; evidence and claim in the same field are related even without shared words. */
export const DOMAINS: readonly { id: string; words: RegExp }[] = [
  {
    id: 'health',
    words: /\b(?:patients?|treatment|therap\w*|clinical|drug|medic\w*|disease|symptoms?|outcomes?|trial|doctors?|hospital|health\w*|vaccine|dose)\b/i,
  },
  { id: 'business', words: /\b(?:sales|revenue|marketing|campaign|customers?|profit|quarter|brand|rebrand|logo|market share|conversion|growth)\b/i },
  { id: 'economy', words: /\b(?:econom\w*|inflation|interest|gdp|unemployment|wages?|prices?|borrow\w*|spending|recession)\b/i },
  { id: 'technology', words: /\b(?:software|ai|model|data|code|app|servers?|databases?|sql|algorithm|computer|llm)\b/i },
  { id: 'environment', words: /\b(?:climate|emissions?|carbon|pollution|oceans?|plastic|environment\w*|warming|energy)\b/i },
  { id: 'education', words: /\b(?:students?|school|college|universit\w*|teachers?|learning|education)\b/i },
];

/** The debate topics a text touches. */
export function topicsOf(text: string): DebateTopic[] {
  return DEBATE_TOPICS.filter((t) => t.triggers.test(text));
}

/** The fields a text belongs to. */
export function domainsOf(text: string): Set<string> {
  return new Set(DOMAINS.filter((d) => d.words.test(text)).map((d) => d.id));
}
