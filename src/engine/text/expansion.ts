// Query-side vocabulary: synonym expansion (everyday words to the papers' terms, from the
// vocabulary files) and the low weight of words that carry the asking rather than the topic.
import { Vocabulary } from '../vocab/vocabulary.js';
import { stem } from './stem.js';
import { tokenize } from './tokenize.js';

// Words that carry the asking rather than the topic in a typed query ("which method works
// best for …", "papers about …"). Kept, at a low weight, in case they are the topic after all.
const QUERY_FILLER = new Set(
  tokenize(
    'paper papers work works working best good better new recent recently find show shows approach approaches way ways ' +
    'method methods technique techniques use used using make makes help helps get does do can related about anything something ' +
    'happen happens happening idea ideas look looking want need needs question turn run handle relate deal tell possible try',
  ).map(stem),
);

/** Relative weight of a stemmed query term: filler words count for less. */
export function queryTermWeight(stemmed: string): number {
  return QUERY_FILLER.has(stemmed) ? 0.3 : 1;
}

/**
 * Stems the synonyms add for a query's stems (phrases as well as single words), from `vocabulary`
 * (default: every vocabulary file, for text matched outside an index).
 */
export function queryExpansions(stems: readonly string[], vocabulary: Vocabulary = Vocabulary.all()): string[] {
  return vocabulary.expansions(stems);
}
