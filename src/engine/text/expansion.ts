// Query-side vocabulary: thesaurus expansion (everyday words to the papers' terms) and the
// low weight of words that carry the asking rather than the topic.
import { THESAURUS } from '../thesaurus.js';
import { phraseStems, stem } from './stem.js';
import { tokenize } from './tokenize.js';

/** Stemmed thesaurus phrase (stems joined by spaces) → stems it brings along. */
const QUERY_SYNONYMS: Map<string, string[]> = new Map();
let longestSynonymKey = 1;
for (const [phrase, targets] of Object.entries(THESAURUS)) {
  const key = phraseStems(phrase);
  if (key.length === 0) continue;
  longestSynonymKey = Math.max(longestSynonymKey, key.length);
  const joined = key.join(' ');
  const list = QUERY_SYNONYMS.get(joined) ?? [];
  for (const t of phraseStems(targets)) if (!list.includes(t) && !key.includes(t)) list.push(t);
  QUERY_SYNONYMS.set(joined, list);
}

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

/** Stems a single stemmed query word brings along from the thesaurus. */
export function querySynonyms(stemmed: string): string[] {
  return (QUERY_SYNONYMS.get(stemmed) ?? []).filter((t) => t !== stemmed);
}

/** Stems the thesaurus adds for a query's stems, matching its phrases ("text generation") as well as single words. */
export function queryExpansions(stems: readonly string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < stems.length; i++) {
    for (let n = 1; n <= longestSynonymKey && i + n <= stems.length; n++) {
      for (const t of QUERY_SYNONYMS.get(stems.slice(i, i + n).join(' ')) ?? []) out.add(t);
    }
  }
  for (const s of stems) out.delete(s);
  return [...out];
}
