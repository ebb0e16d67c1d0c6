/**
 * Tuned with scripts/lib/tune-lexical.ts on test/eval/queries.json and tuning set B, checked on two
 * public collections from other fields (MED, CISI: `npm run eval`): titleWeight 4 with b 0.75 is a
 * plateau that holds on short keyword queries and on long questions alike (6 with b 0.4 was 0.005
 * better on the ML sets but lost to plain BM25 on CISI).
 */
export const LEXICAL_PARAMS = {
  k1: 2,
  titleWeight: 4,
  titleB: 0.75,
  abstractB: 0.75,
  /** Weight of the parts of a hyphenated query word ("fine", "tune" in "fine-tuning"); the joined form counts 1. */
  compoundPartWeight: 0.5,
  /**
   * How a query word that occurs n times counts: (k3 + 1)·n / (k3 + n) times a single occurrence
   * (BM25's query-term saturation); 0 counts it once.
   */
  queryTfK3: 10,
  /** Weight of an abbreviation added to a query for a phrase it spells out ("llm" for "large language model"). */
  abbreviationWeight: 0.4,
  /** Weight of a query-side synonym relative to the user's own word. */
  synonymWeight: 0.4,
  /** Bonus per adjacent query-term pair found within `proximityWindow` positions, × min idf. */
  proximityWeight: 0.3,
  proximityWindow: 3,
  /** Pseudo-relevance feedback: expansion terms taken from the top `feedbackDocs` results. */
  feedbackDocs: 3,
  feedbackTerms: 8,
  /** Weight of all expansion terms together, relative to one query term. */
  // Small: it helps paraphrased queries (+0.01 nDCG@10 on tune) and is neutral on the rest.
  feedbackWeight: 0.3,
  /** How many BM25F candidates get the proximity and feedback pass. */
  rerankDepth: 100,
  /** Shortest partial word that is expanded to the known terms it begins. */
  minPrefix: 3,
  maxPrefixExpansions: 12,
};

export type LexicalParams = typeof LEXICAL_PARAMS;
