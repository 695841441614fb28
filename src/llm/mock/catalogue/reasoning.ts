/**
 * The mock's argument analysis: SUPPORTS, STEELMAN, COUNTERARGUMENT, ASSUMES, EVIDENCE_TYPE, FALLACY
 * and WEAKNESSES. Claims are read by their shape (a proposal, a prediction, a judgement, a comparison)
 * and the debates the mock knows (argument-knowledge.ts); fallacies, weak points and kinds of evidence
 * by their cues (reasoning-rules.ts). The prose answers are assembled from the claim's own words, so
 * they stay about the text given.
 */
import { arg, json, type Handler } from '../args';
import { domainsOf, topicsOf, type DebateTopic } from '../argument-knowledge';
import { similarity } from '../judgements';
import { unitHash } from '../random';
import { atLeast, evidenceKind, fallaciesIn, weaknessesIn } from '../reasoning-rules';
import { coverage, criterionTerms, features } from '../text-features';

/** A claim by its shape: `We should X to Y`, `X will Y`, `X is better than Y`, `X is good/bad for Y`. */
interface Claim {
  kind: 'proposal' | 'prediction' | 'comparison' | 'judgement' | 'statement';
  /** The claim as a clause, without end punctuation or a leading "I think". */
  text: string;
  /** The thing acted on or judged ("ban all cars from cities", "lowering interest rates"). */
  subject: string;
  /** What it should achieve or brings about, when stated. */
  outcome: string;
}

const clause = (text: string): string =>
  text
    .trim()
    .replace(/^(?:i think|i believe|in my opinion|honestly|hot take:?)\s*,?\s*/i, '')
    .replace(/[.!?\s]+$/, '');
const lowerFirst = (s: string): string => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function readClaim(argument: string): Claim {
  const text = clause(argument.split(/(?<=[.!?])\s+/)[0] ?? argument);
  const proposal =
    /^(?:we|you|they|society|governments?|cities|companies|people)\s+(?:should|must|need to|ought to)\s+(.+?)(?:\s+(?:to|so that|in order to)\s+(.+))?$/i.exec(
      text,
    );
  if (proposal) return { kind: 'proposal', text, subject: proposal[1] ?? text, outcome: proposal[2] ?? '' };
  const prediction = /^(.+?)\s+will\s+(.+)$/i.exec(text);
  if (prediction) return { kind: 'prediction', text, subject: prediction[1] ?? text, outcome: prediction[2] ?? '' };
  const comparison = /^(.+?)\s+(?:is|are)\s+(?:better|worse|more \w+|less \w+)\s+than\s+(.+)$/i.exec(text);
  if (comparison) return { kind: 'comparison', text, subject: comparison[1] ?? text, outcome: comparison[2] ?? '' };
  const judgement =
    /^(.+?)\s+(?:is|are)\s+(?:bad|good|harmful|dangerous|great|terrible|the future|overrated|underrated|the most \w+ [^,]+)(?:\s+(?:for|to)\s+(.+))?$/i.exec(
      text,
    );
  if (judgement) return { kind: 'judgement', text, subject: judgement[1] ?? text, outcome: judgement[2] ?? '' };
  return { kind: 'statement', text, subject: text, outcome: '' };
}

/** "ban plastic straws" → "banning plastic straws": the action as a subject. */
function gerund(action: string): string {
  const [verb = '', ...rest] = action.split(/\s+/);
  const v = verb.toLowerCase();
  const ing = /e$/.test(v) && !/ee$/.test(v) ? `${v.slice(0, -1)}ing` : /^[^aeiou]*[aeiou][bdgmnprt]$/.test(v) ? `${v}${v.slice(-1)}ing` : `${v}ing`;
  return [ing, ...rest].join(' ');
}

const pickTopic = (text: string): DebateTopic | undefined => topicsOf(text)[0];

function steelman(argument: string, context: string): string {
  const claim = readClaim(argument);
  const topic = pickTopic(`${argument} ${context}`);
  const core = lowerFirst(claim.text);
  const setting = context.trim() === '' ? '' : ` in the context of ${context.trim()}`;
  const scope =
    claim.kind === 'proposal'
      ? `${gerund(claim.subject)} is a proportionate response to a real problem`
      : `${core} holds in the cases that matter most, even if not in every one`;
  const reasons =
    topic !== undefined
      ? `Its best-informed defenders would point out that ${topic.for}.`
      : `Its best-informed defenders would ground it in what people who work closely with ${lowerFirst(claim.subject)} see directly, and in effects that can be checked rather than taken on trust.`;
  const objection =
    topic !== undefined
      ? `They would grant that ${topic.against.split(',')[0]}, and answer that this argues for doing it carefully, not for not doing it.`
      : 'They would grant the obvious objection that it overgeneralises, and answer that read as "usually" rather than "always" the claim still stands.';
  return `Read at its strongest${setting}, the position is that ${scope}. ${reasons} ${objection} Underneath it is a value most people share: that costs borne quietly by many deserve as much weight as benefits enjoyed visibly by some.`;
}

function counterargument(argument: string, style: string): string {
  const claim = readClaim(argument);
  const topic = pickTopic(argument);
  const s = style.trim().toLowerCase();
  const grant =
    topic !== undefined
      ? `There is something to the view that ${lowerFirst(claim.text)}: ${topic.for.split(',')[0]}.`
      : `There is something to the view that ${lowerFirst(claim.text)}, and it deserves a fair hearing.`;
  const core =
    topic !== undefined
      ? `But ${topic.against}.`
      : `But the claim runs ahead of its evidence: it generalises from the cases that support it, and leaves out the costs and the people for whom it does not hold.`;
  const angle =
    s === 'practical'
      ? 'In practice the costs show up in implementation: coordination and communication across a team get harder, collaboration slows, and the people who must carry it out rarely have the time or tools the plan assumes.'
      : s === 'empirical'
        ? 'The record is mixed: where it has been tried, effects were smaller than promised and hard to separate from other changes happening at the same time.'
        : s === 'philosophical'
          ? 'It also trades one value for another without saying so: what is gained in one direction is paid for in freedom, fairness or trust in another.'
          : s === 'academic'
            ? 'The studies usually cited measure associations in particular groups, and the step from those findings to a general conclusion is not established.'
            : 'Its benefits are easy to see and its costs spread thin, which makes it look better than it is.';
  const instead =
    topic !== undefined
      ? `A better course would be ${topic.alternative}.`
      : 'A better course would be to test it where it is most likely to work, measure what happens, and widen it only if the results hold.';
  return `${grant} ${core} ${angle} ${instead}`;
}

function assumes(argument: string, focus: string): string {
  const claim = readClaim(argument);
  const topic = pickTopic(argument);
  const f = focus.trim().toLowerCase();
  const subject = claim.kind === 'proposal' ? upperFirst(gerund(claim.subject)) : upperFirst(claim.subject);
  const out: string[] = [];
  if (claim.kind === 'proposal') {
    out.push(`${subject} would meaningfully ${claim.outcome === '' ? 'solve the problem it targets' : `help ${claim.outcome}`}`);
    out.push(`${claim.outcome === '' ? 'The problem' : upperFirst(claim.outcome)} is worth the costs that ${lowerFirst(gerund(claim.subject))} imposes`);
    out.push(`${subject} can be put into practice and enforced`);
    out.push(`No cheaper or more effective alternative would achieve the same goal`);
  } else if (claim.kind === 'prediction') {
    out.push(`${subject} will actually ${claim.outcome}, rather than merely coinciding with it`);
    out.push('Nothing else (other policies, outside shocks, people adapting) cancels the effect out');
    out.push('The effect comes soon enough and lasts long enough to matter');
  } else if (claim.kind === 'comparison') {
    out.push(`${subject} and ${claim.outcome} can be compared on one measure`);
    out.push('What holds for the people the speaker has in mind holds for most people');
  } else {
    out.push(`The cases the claim is based on are representative of ${lowerFirst(claim.subject)} as a whole`);
    out.push('The standard the claim judges by is shared by its audience');
  }
  if (topic !== undefined) out.unshift(upperFirst(topic.premise));
  if (f === 'technical' || f === 'technology') out.push(`The technical capabilities needed for ${lowerFirst(claim.text)} exist or will exist in time`);
  else if (f === 'economic') out.push('The economic benefits outweigh the costs for those who bear them');
  else if (f === 'ethical') out.push('The outcome is fair to the people who bear its costs');
  else if (f !== '') out.push(`The ${f} conditions the claim needs are in place`);
  return json([...new Set(out)].slice(0, 7));
}

function evidenceType(text: string, claim: string): string {
  const kind = evidenceKind(text);
  const relevant = claim.trim() === '' ? null : related(text, claim) > 0.2;
  return json({
    primary_type: kind.type,
    tier: kind.tier,
    strength: kind.strength,
    description: `${upperFirst(kind.description)}.`,
    limitations: kind.limitations,
    appropriate_for_claim: relevant === null ? null : relevant && kind.tier <= 4,
    confidence: Math.round((kind.type === 'assertion' ? 0.6 : 0.8 + 0.1 * unitHash(text)) * 100) / 100,
  });
}

/** How related two texts are, 0..1: shared terms and concepts, or the same field (health, business, ...). */
function related(a: string, b: string): number {
  const fa = features(a);
  const fb = features(b);
  const words = Math.max(
    coverage(fa, fb, criterionTerms(fb, { dropSentiment: true })),
    coverage(fb, fa, criterionTerms(fa, { dropSentiment: true })),
    similarity(a, b),
  );
  const shared = [...domainsOf(a)].filter((d) => domainsOf(b).has(d)).length;
  return Math.min(1, words + (shared > 0 ? 0.5 : 0));
}

/** Evidence strength by tier: a trial backs a claim more than a trend, a trend more than an anecdote. */
const TIER_STRENGTH = [0, 0.95, 0.8, 0.6, 0.45, 0.3, 0.2];

function supports(evidence: string, claim: string): number {
  const jitter = 0.04 * unitHash(`${evidence}\u0000${claim}`);
  const r = related(evidence, claim);
  if (r < 0.2) return Math.round((0.03 + jitter + 0.25 * r) * 100) / 100;
  // Evidence of no effect is evidence against: "the trial found no difference".
  if (/\b(?:no (?:effect|difference|improvement|evidence)|did not|didn't|failed to|not (?:significant|effective))\b/i.test(evidence))
    return Math.round((0.05 + jitter) * 100) / 100;
  const kind = evidenceKind(evidence);
  // A number about an outcome that names no cause (sales went up) is a correlation with the claim, not support for its cause.
  const causal = /\b(?:because|caused|due to|led to|result(?:ed)? (?:of|in)|showed|shows|found|improvement|reduction)\b/i.test(evidence);
  const strength = kind.type === 'statistical' && !causal ? 0.45 : (TIER_STRENGTH[kind.tier] ?? 0.3);
  // Related at all (the same field counts), the evidence's strength decides.
  return Math.round(Math.min(1, 0.1 + strength * Math.min(1, 0.4 + r) * 0.9 + jitter) * 100) / 100;
}

const fallacyJson = (text: string) =>
  json(fallaciesIn(text).map((f) => ({ fallacy: f.name, explanation: `${upperFirst(f.explanation)}.`, quote: f.quote, severity: f.severity })));

const weaknessesJson = (text: string, severity: string) =>
  json(
    weaknessesIn(text)
      .filter((w) => atLeast(severity, w.severity))
      .map((w) => ({ type: w.name, description: `${upperFirst(w.explanation)}.`, severity: w.severity, quote: w.quote })),
  );

export const REASONING: Readonly<Record<string, Handler>> = {
  supports: (r) => supports(arg(r, 0), arg(r, 1)),
  steelman: (r) => steelman(arg(r, 0), arg(r, 1)),
  counterargument: (r) => counterargument(arg(r, 0), arg(r, 1)),
  assumes: (r) => assumes(arg(r, 0), arg(r, 1)),
  evidence_type: (r) => evidenceType(arg(r, 0), arg(r, 1)),
  fallacy: (r) => fallacyJson(arg(r, 0)),
  weaknesses: (r) => weaknessesJson(arg(r, 0), arg(r, 1) || 'all'),
};
