import { jsonText, optional, text, TEXT, UNIT, type OperatorSpec } from './define';

/**
 * Argument analysis (LARS v2.4): how well evidence backs a claim, the strongest case for and against a
 * position, what it takes for granted, what kind of evidence it rests on, and where its reasoning is weak.
 * The JSON answers are arrays or objects written as text (no JSON extension is needed to read them).
 */
export const REASONING: readonly OperatorSpec[] = [
  {
    name: 'supports',
    infix: ['SUPPORTS'],
    lars: ['semantic_supports', 'SUPPORTS'],
    args: [text('evidence'), text('claim')],
    returns: 'DOUBLE',
    range: [0, 1],
    shape: 'scalar',
    prompt:
      "How much should {{evidence}} raise a careful reader's confidence in {{claim}}? Answer from 0 (irrelevant, or against it) through 0.5 (related but weak: a correlation, one data point) to 1 (direct, strong evidence such as a controlled trial).",
    outputSchema: UNIT,
    mock: 'supports',
    description:
      'how strongly the evidence backs the claim, 0 to 1 (unlike IMPLIES, a degree of support rather than entailment); alone in a condition it means > threshold',
    score: true,
    examples: [
      "SELECT supports('A randomized trial showed 40% improvement in patient outcomes', 'The treatment is effective') AS strong, 'The sky is blue' SUPPORTS 'Dogs make good pets' AS unrelated",
      "SELECT id, text FROM tweets WHERE id <= 40 AND text SUPPORTS 'SQL is useful for AI work' ORDER BY id LIMIT 3",
    ],
  },
  {
    name: 'steelman',
    postfix: ['STEELMAN'],
    lars: ['semantic_steelman', 'STEELMAN'],
    args: [text('argument'), optional('context', "''")],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt:
      'Restate the position {{argument}} in its strongest, most charitable form (in the setting {{context}}, when given): what its best-informed supporter would say, with the reasons and evidence that back it, its scope made reasonable and the obvious objections answered. Write one paragraph of plain text, without a label.',
    outputSchema: TEXT,
    mock: 'steelman',
    description: 'the strongest, most charitable version of a position (plain text)',
    examples: ["SELECT steelman('Social media is bad for society') AS strongest_case", 'SELECT text STEELMAN AS strongest FROM tweets WHERE id = 28'],
  },
  {
    name: 'counterargument',
    postfix: ['COUNTERARGUMENT'],
    aliases: ['rebut'],
    lars: ['semantic_counterargument', 'COUNTERARGUMENT', 'REBUT'],
    args: [text('argument'), optional('style', "''")],
    returns: 'VARCHAR',
    shape: 'scalar',
    prompt:
      'Write the strongest honest objection to {{argument}} (in the style {{style}} when given: academic, practical, philosophical or empirical): grant what it gets right, then give the main point against it with reasons or evidence, and what would work better. One paragraph of plain text, without a label.',
    outputSchema: TEXT,
    mock: 'counterargument',
    description: 'the strongest counterargument to a position (plain text)',
    examples: [
      "SELECT counterargument('Remote work is better than office work', 'practical') AS objection",
      "SELECT rebut('We should implement universal basic income') AS objection",
    ],
  },
  {
    name: 'assumes',
    postfix: ['ASSUMES'],
    lars: ['semantic_assumes', 'ASSUMES'],
    args: [text('argument'), optional('focus', "''")],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'scalar',
    prompt:
      'List the unstated premises {{argument}} needs to hold (about {{focus}} when given): causal links, facts, values, scope, feasibility and comparisons it takes for granted, each one that would undermine it if false. Answer with a JSON array of 3 to 7 short sentences.',
    outputSchema: jsonText('an array of assumptions'),
    mock: 'assumes',
    description: 'the hidden assumptions an argument rests on (JSON array)',
    examples: [
      "SELECT assumes('We should ban plastic straws to save the oceans') AS premises",
      "SELECT assumes('AI will replace most jobs within 10 years', 'technical') AS premises",
    ],
  },
  {
    name: 'evidence_type',
    postfix: ['EVIDENCE_TYPE'],
    lars: ['semantic_evidence_type', 'EVIDENCE_TYPE'],
    args: [text(), optional('claim', "''")],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'scalar',
    prompt:
      'What kind of evidence does {{text}} offer (for the claim {{claim}}, when given)? Name its main type (meta_analysis, randomized_controlled_trial, experimental, longitudinal, statistical, survey, expert_opinion, case_study, correlational, anecdotal, testimonial, appeal_to_authority, common_sense, analogy, speculation, assertion, ...), its tier from 1 (strongest) to 6 (not evidence) and strength. Answer with a JSON object: {primary_type, tier, strength, description, limitations, appropriate_for_claim, confidence}.',
    outputSchema: jsonText('{primary_type, tier, strength, description, limitations, appropriate_for_claim, confidence}'),
    mock: 'evidence_type',
    description: 'the type, tier and strength of the evidence in a text (JSON)',
    examples: [
      "SELECT evidence_type('My uncle smoked his whole life and lived to 95') AS weak, evidence_type('A randomized controlled trial of 10,000 participants showed a 23% reduction') AS strong",
    ],
  },
  {
    name: 'fallacy',
    postfix: ['FALLACY'],
    aliases: ['fallacies'],
    lars: ['semantic_fallacy', 'FALLACY', 'FALLACIES'],
    args: [text('argument')],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'scalar',
    prompt:
      'Which named logical fallacies does {{argument}} commit (ad_hominem, straw_man, false_dichotomy, slippery_slope, hasty_generalization, false_cause, appeal_to_tradition, appeal_to_popularity, appeal_to_authority, appeal_to_emotion, circular_reasoning, ...)? Flag only clear ones. Answer with a JSON array of {fallacy, explanation, quote, severity} (severity minor, moderate or major), or [] when there are none.',
    outputSchema: jsonText('an array of {fallacy, explanation, quote, severity}'),
    mock: 'fallacy',
    description: 'the logical fallacies in an argument (JSON array; [] when none)',
    examples: [
      "SELECT fallacy('Either you support this bill or you hate children') AS found",
      'SELECT id, text FALLACY AS fallacies FROM tweets WHERE id IN (28, 40) ORDER BY id',
    ],
  },
  {
    name: 'weaknesses',
    postfix: ['WEAKNESSES'],
    lars: ['semantic_weaknesses', 'WEAKNESSES'],
    args: [text('argument'), optional('severity', "'all'")],
    returns: 'VARCHAR',
    sqlType: 'JSON',
    shape: 'scalar',
    prompt:
      'Where is the reasoning of {{argument}} weak: fallacies, claims without evidence, unrepresentative samples, correlation taken for causation, overgeneralisation, undefined terms, alternatives not considered? List those of severity {{severity}} or worse (all: every one). Answer with a JSON array of {type, description, severity, quote}.',
    outputSchema: jsonText('an array of {type, description, severity, quote}'),
    mock: 'weaknesses',
    description: 'the weak points of an argument (JSON array), optionally only those at or above a severity',
    examples: [
      "SELECT weaknesses('Sales increased after we changed the logo, proving the rebrand worked') AS weak_points",
      "SELECT weaknesses('Everyone I know loves this restaurant, so it must be the best in the city', 'major') AS major_only",
    ],
  },
];
