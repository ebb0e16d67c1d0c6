/** Tuned on test/eval/queries.json and a blind set with scripts/lib/tune-lexical.ts (k1, titleWeight chosen on a plateau good on both). */
export const LEXICAL_PARAMS = {
  k1: 2,
  titleWeight: 6,
  titleB: 0.4,
  abstractB: 0.75,
  /** Weight of the parts of a hyphenated query word ("fine", "tune" in "fine-tuning"); the joined form counts 1. */
  compoundPartWeight: 0.5,
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
