/**
 * Paraphrase pairs written for these tests: each pair says one thing in two ways that share no
 * content word (only words like "the", "my", "was"), so a score that ranks them together knows
 * meaning, not spelling. Feature hashing over words cannot.
 */
export const PARAPHRASES: readonly (readonly [string, string])[] = [
  ['our flight was cancelled', 'the plane never took off'],
  ['I bought a new car', 'I purchased an automobile'],
  ['the movie was boring', 'that film put me to sleep'],
  ['she is a doctor', 'her job is treating patients as a physician'],
  ['it is raining heavily outside', 'there is a downpour out there'],
  ['the soup was too salty', 'that broth had far too much sodium'],
  ['my phone battery died', 'the mobile ran out of charge'],
  ['he was fired from his job', 'his employer let him go'],
  ['the kids are playing football', 'the children kick a soccer ball around'],
  ['I am very hungry', 'I could eat a horse right now'],
  ['the shop closes at noon', 'the store shuts at midday'],
  ['we moved to a bigger house', 'our family relocated to a larger home'],
  ['the package arrived late', 'the parcel came after the promised date'],
  ['the laptop will not turn on', 'my notebook computer refuses to boot'],
  ['the hotel room was filthy', 'our accommodation was dirty and unclean'],
  ['she won the race', 'her run finished first and took the gold'],
  ['the price went up', 'it costs more now'],
  ['I forgot my password', 'I cannot remember the login code'],
  ['the baby is sleeping', 'the infant naps quietly'],
  ['the train is delayed', 'the railway service is running behind schedule'],
  ['this coffee is cold', 'the espresso has gone lukewarm'],
  ['the teacher praised the student', 'the instructor complimented her pupil'],
  ['the dog barked all night', 'our puppy kept howling until morning'],
  ['he is learning to cook', 'he takes lessons in the kitchen to make meals'],
];

/** Share of (positive, negative) pairs a score orders right, ties counting half. */
export function auc(positives: readonly number[], negatives: readonly number[]): number {
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}
