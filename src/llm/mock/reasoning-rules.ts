/**
 * The mock's reading of arguments: the cues of named fallacies, of weak reasoning and of kinds of
 * evidence. Each rule is a pattern over the text and what a careful reader would say about it; the
 * quote is the part of the text the pattern matched. Cues, not understanding: an argument that commits a
 * fallacy in words none of these patterns know is not flagged, as a cautious model would rather miss
 * one than invent one.
 */
export type Severity = 'minor' | 'moderate' | 'major';

export interface Finding {
  name: string;
  explanation: string;
  quote: string;
  severity: Severity;
}

interface Rule {
  name: string;
  cue: RegExp;
  explanation: string;
  severity: Severity;
}

const FALLACY_RULES: readonly Rule[] = [
  {
    name: 'ad_hominem',
    cue: /\b(?:can[’']?t|cannot|don[’']?t|shouldn[’']?t) (?:trust|listen to|believe)\b[^.]*|\b(?:he|she|they)(?:'s| is| are) (?:not even|just|only) an?\b[^.,]*|\bwhat (?:does|would) (?:he|she|they) know\b|\b(?:idiot|moron|clown)s?\b/i,
    explanation: 'it attacks the person making the case instead of the case itself',
    severity: 'major',
  },
  {
    name: 'false_dichotomy',
    cue: /\beither\b[^.]*\bor\b[^.]*|\byou(?:'re| are) (?:either )?with us or\b[^.]*|\bonly two (?:options|choices)\b/i,
    explanation: 'it presents two options as the only ones when others exist',
    severity: 'major',
  },
  {
    name: 'appeal_to_tradition',
    cue: /\b(?:always|traditionally) (?:done|been done|did|been)\b[^.]*|\bthe way (?:it'?s|we'?ve) always\b[^.]*|\btradition\b[^.]*/i,
    explanation: 'it takes the fact that something has long been done as proof that it should go on',
    severity: 'moderate',
  },
  {
    name: 'appeal_to_popularity',
    cue: /\b(?:everyone|everybody|millions of people|most people) (?:knows|believes|agrees|uses|loves|does)\b[^.,]*/i,
    explanation: 'it takes how many people believe or do something as evidence that it is right',
    severity: 'moderate',
  },
  {
    name: 'slippery_slope',
    cue: /\b(?:next thing you know|before you know it|where does it end|it'?s a slippery slope)\b[^.]*|\bwill lead to\b[^.]*\band then\b[^.]*/i,
    explanation: 'it assumes one step leads to a chain of worse ones without showing why',
    severity: 'moderate',
  },
  {
    name: 'false_cause',
    cue: /\b(?:after|since|ever since) (?:we|they|i|it|the)\b[^.]*\b(?:proving|proves|which proves|so it|that'?s why|therefore)\b[^.]*/i,
    explanation: 'it treats something happening after a change as proof the change caused it',
    severity: 'major',
  },
  {
    name: 'hasty_generalization',
    cue: /\b(?:everyone i know|all my friends|people i know|my (?:uncle|aunt|friend|neighbou?r|cousin))\b[^.]*/i,
    explanation: 'it draws a general conclusion from a handful of familiar cases',
    severity: 'moderate',
  },
  {
    name: 'appeal_to_authority',
    cue: /\b(?:experts|scientists|doctors|a (?:doctor|scientist|professor)) (?:say|says|said|agree)\b[^.]*|\baccording to (?:experts|a celebrity)\b[^.]*/i,
    explanation: 'it leans on who said something rather than on the evidence they gave',
    severity: 'minor',
  },
  {
    name: 'appeal_to_emotion',
    cue: /\bthink (?:of|about) the children\b[^.]*|\bhow (?:would|could) you live with yourself\b[^.]*/i,
    explanation: 'it asks for a feeling in place of a reason',
    severity: 'moderate',
  },
  {
    name: 'appeal_to_nature',
    cue: /\b(?:it'?s|because it'?s|is) (?:natural|all-natural|chemical-free)\b[^.]*/i,
    explanation: 'it treats natural as good and artificial as bad without further reason',
    severity: 'minor',
  },
  {
    name: 'straw_man',
    cue: /\bso (?:you'?re|you are) saying\b[^.]*|\b(?:they|you) (?:just )?want (?:to )?(?:destroy|ban everything|take away)\b[^.]*/i,
    explanation: "it answers a distorted version of the other side's view",
    severity: 'major',
  },
  {
    name: 'circular_reasoning',
    cue: /\b(?:is|are) (?:true|right|good) because (?:it|they) (?:is|are) (?:true|right|good)\b[^.]*|\bbecause i said so\b/i,
    explanation: 'its conclusion is already assumed in its premise',
    severity: 'major',
  },
];

/** Weaknesses of reasoning that are not named fallacies. */
const WEAKNESS_RULES: readonly Rule[] = [
  {
    name: 'sampling_bias',
    cue: /\b(?:everyone i know|all my friends|people i know|in my experience|my (?:uncle|aunt|friend|neighbou?r|cousin))\b[^.,]*/i,
    explanation: "it generalises from a small, self-selected sample (the speaker's own circle), which need not represent anyone else",
    severity: 'major',
  },
  {
    name: 'correlation_not_causation',
    cue: /\b(?:after|since|ever since|when)\b[^.]*\b(?:proving|proves|so|therefore|because of|that'?s why)\b[^.]*|\b(?:increased|decreased|rose|fell|improved)\b[^.]*\bafter\b[^.]*/i,
    explanation: 'it takes a change that followed another as caused by it, without ruling out other causes (season, market, chance)',
    severity: 'major',
  },
  {
    name: 'overgeneralization',
    cue: /\b(?:all|always|never|every(?:one|body)?|nothing|no one)\b[^.,]*/i,
    explanation: 'it states as universal what at best holds in many cases',
    severity: 'moderate',
  },
  {
    name: 'undefined_criteria',
    cue: /\b(?:the best|the worst|most underrated|best ever|worst ever|better than|the future)\b[^.,]*/i,
    explanation: 'it ranks without saying by what measure, so the claim cannot be checked',
    severity: 'moderate',
  },
  { name: 'false_dichotomy', cue: FALLACY_RULES[1]!.cue, explanation: 'it leaves out options between the two it offers', severity: 'major' },
  { name: 'appeal_to_tradition', cue: FALLACY_RULES[2]!.cue, explanation: 'that something was always done is no reason it works', severity: 'moderate' },
];

function findings(text: string, rules: readonly Rule[]): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    const m = rule.cue.exec(text);
    if (m !== null) out.push({ name: rule.name, explanation: rule.explanation, quote: m[0].trim().replace(/[,;:]+$/, ''), severity: rule.severity });
  }
  return out;
}

export function fallaciesIn(text: string): Finding[] {
  return findings(text, FALLACY_RULES);
}

/** Weak points, worst first; an assertion with no reason or number given is a minor one. */
export function weaknessesIn(text: string): Finding[] {
  const found = findings(text, WEAKNESS_RULES);
  const rank: Record<Severity, number> = { major: 0, moderate: 1, minor: 2 };
  if (!/\d|\bbecause\b|\bsince\b|\bstud(?:y|ies)\b|\bdata\b|\bshowed?\b/i.test(text)) {
    found.push({ name: 'unsupported_claim', explanation: 'it gives no evidence or reason for its claim', quote: text.trim().slice(0, 80), severity: 'minor' });
  }
  return found.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

export function atLeast(severity: string, found: Severity): boolean {
  const rank: Record<string, number> = { minor: 0, moderate: 1, major: 2 };
  const floor = rank[severity.trim().toLowerCase()];
  return floor === undefined || rank[found]! >= floor;
}

export interface EvidenceKind {
  type: string;
  tier: number;
  strength: 'strong' | 'moderate' | 'weak' | 'very_weak' | 'none';
  description: string;
  limitations: string[];
}

const EVIDENCE_RULES: readonly (EvidenceKind & { cue: RegExp })[] = [
  {
    cue: /\bmeta-?analys[ie]s\b|\bsystematic review\b/i,
    type: 'meta_analysis',
    tier: 1,
    strength: 'strong',
    description: 'a synthesis of many studies',
    limitations: ['only as good as the studies it pools', 'publication bias'],
  },
  {
    cue: /\brandomi[sz]ed\b|\bcontrolled trial\b|\bRCT\b|\bplacebo\b|\bdouble-blind\b/i,
    type: 'randomized_controlled_trial',
    tier: 1,
    strength: 'strong',
    description: 'a randomized controlled trial, which separates cause from coincidence',
    limitations: ['may not generalise beyond the trial population', 'effect size and follow-up length matter'],
  },
  {
    cue: /\bexperiment\w*\b|\bA\/B test\b/i,
    type: 'experimental',
    tier: 2,
    strength: 'strong',
    description: 'a controlled experiment',
    limitations: ['conditions may differ from the real world'],
  },
  {
    cue: /\b(?:followed|tracked) \w+ (?:for|over) \d+\b|\blongitudinal\b|\bcohort\b/i,
    type: 'longitudinal',
    tier: 2,
    strength: 'strong',
    description: 'a study following subjects over time',
    limitations: ['observational: confounders may remain'],
  },
  {
    cue: /\bsurvey\w*\b|\bpoll\w*\b|\brespondents\b/i,
    type: 'survey',
    tier: 4,
    strength: 'weak',
    description: 'self-reported answers from respondents',
    limitations: ['self-report bias', 'who chose to answer'],
  },
  {
    cue: /\b(?:experts?|scientists?|doctors?|professors?) (?:say|says|said|agree|believe)\b/i,
    type: 'appeal_to_authority',
    tier: 5,
    strength: 'very_weak',
    description: 'a claim resting on who said it',
    limitations: ['no evidence is given', 'experts can be outside their field'],
  },
  {
    cue: /\bmy (?:uncle|aunt|friend|neighbou?r|cousin|grand\w+|dad|mom|mother|father)\b|\bi know (?:someone|a guy|a woman|a man)\b|\bin my experience\b/i,
    type: 'anecdotal',
    tier: 5,
    strength: 'very_weak',
    description: 'a personal story about one case',
    limitations: ['one case says little about the rule', 'survivorship: the cases that went badly are not told'],
  },
  {
    cue: /\b(?:correlat\w*|associated with|linked to)\b/i,
    type: 'correlational',
    tier: 4,
    strength: 'weak',
    description: 'an observed association',
    limitations: ['correlation does not show causation'],
  },
  {
    cue: /\beveryone knows\b|\bobviously\b|\bcommon sense\b/i,
    type: 'common_sense',
    tier: 5,
    strength: 'very_weak',
    description: 'an appeal to what seems obvious',
    limitations: ['intuition is often wrong about causes'],
  },
  {
    cue: /\bjust like\b|\bis like\b|\bsimilar to what happened\b/i,
    type: 'analogy',
    tier: 5,
    strength: 'very_weak',
    description: 'a comparison with another situation',
    limitations: ['the situations may differ in what matters'],
  },
  {
    cue: /\b(?:might|could|may) (?:eventually|someday|one day)\b|\bi bet\b|\bprobably will\b/i,
    type: 'speculation',
    tier: 6,
    strength: 'none',
    description: 'a guess about what could happen',
    limitations: ['nothing observed supports it'],
  },
  {
    cue: /\d+(?:\.\d+)?\s?%|\b\d[\d,]{2,}\b|\bdata\b|\bstatistic\w*\b|\bstudy\b|\bstudies\b/i,
    type: 'statistical',
    tier: 3,
    strength: 'moderate',
    description: 'figures or data offered in support',
    limitations: ['how the figures were gathered is not stated', 'numbers alone do not show cause'],
  },
];

const ASSERTION: EvidenceKind = {
  type: 'assertion',
  tier: 6,
  strength: 'none',
  description: 'a claim stated without support',
  limitations: ['no evidence is offered'],
};

/** The main kind of evidence a text offers: the strongest kind whose cue it shows. */
export function evidenceKind(text: string): EvidenceKind {
  const found = EVIDENCE_RULES.filter((r) => r.cue.test(text));
  if (found.length === 0) return ASSERTION;
  // Anecdote and authority are what a text rests on when they appear, even beside a number ("lived to
  // 95"); a named method (a survey, a trial) is what its figures come from; bare figures are statistical.
  const named = found.filter((r) => r.type !== 'statistical');
  const best =
    found.find((r) => r.type === 'anecdotal' || r.type === 'appeal_to_authority') ??
    [...(named.length > 0 ? named : found)].sort((a, b) => a.tier - b.tier)[0]!;
  return { type: best.type, tier: best.tier, strength: best.strength, description: best.description, limitations: best.limitations };
}
