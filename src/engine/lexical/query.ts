// Reading a query against an index's vocabulary: analysed terms with weights, thesaurus
// synonyms, and partial words expanded to the terms they begin.
import { compileAbbreviations, DEFAULT_ABBREVIATIONS, type AbbreviationRules } from '../text/abbreviations.js';
import { analyze, compoundPartStems } from '../text/analyze.js';
import { queryExpansions, queryTermWeight } from '../text/expansion.js';
import { stem } from '../text/stem.js';
import { tokenize } from '../text/tokenize.js';
import type { LexicalParams } from './params.js';
import type { IndexData } from './types.js';

/** A pasted paragraph is not a query: its start says enough and keeps search fast. */
const MAX_QUERY_CHARS = 1000;
const MAX_QUERY_TERMS = 64;

export interface QueryTerm {
  termId: number;
  weight: number;
  /** Position in the query, for adjacency; -1 for expansions. */
  position: number;
}

export class QueryReader {
  private readonly termIds: Map<string, number>;
  private readonly abbreviations: AbbreviationRules;
  private sortedTerms: string[] | null = null;

  constructor(
    private readonly data: IndexData,
    private readonly params: LexicalParams,
  ) {
    this.termIds = data.termIds;
    this.abbreviations = compileAbbreviations(data.learned, DEFAULT_ABBREVIATIONS);
  }

  /** Analysed query terms with weights (none for an empty or stop-word-only query); unknown partial words expand to the terms they begin. */
  read(text: string): QueryTerm[] {
    const query = text.slice(0, MAX_QUERY_CHARS);
    const out = new Map<number, QueryTerm>();
    const add = (termId: number, weight: number, position: number) => {
      const prev = out.get(termId);
      if (!prev) out.set(termId, { termId, weight, position });
      else prev.weight = Math.max(prev.weight, weight);
    };
    const analyzed = analyze(query, this.abbreviations).slice(0, MAX_QUERY_TERMS);
    const raw = tokenize(query).slice(0, MAX_QUERY_TERMS);
    const parts = compoundPartStems(query);
    analyzed.forEach((term, position) => {
      const id = this.termIds.get(term);
      const weight = queryTermWeight(term) * (parts.has(term) ? this.params.compoundPartWeight : 1);
      if (id !== undefined) add(id, weight, position);
    });
    for (const synonym of queryExpansions(analyzed)) {
      const sid = this.termIds.get(synonym);
      if (sid !== undefined) add(sid, this.params.synonymWeight, -1);
    }
    // A partial word (typically the last one, typed as you go) matches the terms it begins.
    for (const word of raw) {
      if (this.termIds.has(stem(word)) || word.length < this.params.minPrefix) continue;
      for (const term of this.termsWithPrefix(word).slice(0, this.params.maxPrefixExpansions)) {
        add(this.termIds.get(term)!, 0.7, -1);
      }
    }
    return [...out.values()];
  }

  private termsWithPrefix(prefix: string): string[] {
    this.sortedTerms ??= [...this.data.terms].sort();
    const sorted = this.sortedTerms;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
    // Most frequent first, so a short prefix picks the common completions.
    const postings = this.data.postings;
    return out.sort((a, b) => postings[this.termIds.get(b)!]!.docs.length - postings[this.termIds.get(a)!]!.docs.length);
  }
}
