// Pseudo-relevance feedback (RM3-style): terms frequent in the top results and rare in the
// collection, added to the query with a small total weight.
import type { LexicalParams } from './params.js';
import type { QueryTerm } from './query.js';
import type { IndexData } from './types.js';

/** Expansion terms (term id → weight, summing to `feedbackWeight`) from the documents `topDocs`. */
export function feedbackTerms(
  data: IndexData,
  scorer: { idf(termId: number): number },
  params: LexicalParams,
  topDocs: number[],
  queryTerms: QueryTerm[],
): Map<number, number> {
  const inQuery = new Set(queryTerms.map((q) => q.termId));
  // Each term's share of the top documents, summed in a scratch array indexed by term (reset below).
  const weights = scratchFor(data.terms.length);
  const seen: number[] = [];
  for (const d of topDocs) {
    const seq = data.sequences[d]!;
    for (const t of seq) {
      if (weights[t] === 0) seen.push(t);
      weights[t]! += 1 / seq.length;
    }
  }
  const n = data.ids.length;
  const scored: [number, number][] = [];
  for (const t of seen) {
    const w = weights[t]!;
    weights[t] = 0;
    const df = data.postings[t]!.docs.length;
    // Terms in most documents, or in only one, say little about the topic.
    if (inQuery.has(t) || df < 2 || df > n * 0.2) continue;
    scored.push([t, w * scorer.idf(t)]);
  }
  scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const top = scored.slice(0, params.feedbackTerms);
  const total = top.reduce((s, [, w]) => s + w, 0);
  return new Map(top.map(([termId, w]) => [termId, (params.feedbackWeight * w) / total]));
}

let scratch = new Float64Array(0);

function scratchFor(terms: number): Float64Array {
  if (scratch.length < terms) scratch = new Float64Array(terms);
  return scratch;
}
