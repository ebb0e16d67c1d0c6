// Reading a query against an index's vocabulary: analysed terms with weights, vocabulary
// synonyms, and partial words expanded to the terms they begin.
import { compileAbbreviations, type AbbreviationRules } from '../text/abbreviations.js';
import { analyze, compoundPartStems } from '../text/analyze.js';
import { queryTermWeight } from '../text/expansion.js';
import { Vocabulary } from '../vocab/vocabulary.js';
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
  private readonly vocabulary: Vocabulary;
  /** Synonym keys not expanded here: names in this collection. */
  private readonly blocked: ReadonlySet<string>;
  private sortedTerms: string[] | null = null;

  constructor(
    private readonly data: IndexData,
    private readonly params: LexicalParams,
  ) {
    this.termIds = data.termIds;
    this.vocabulary = Vocabulary.of(data.vocabularies);
    this.abbreviations = compileAbbreviations(data.learned, this.vocabulary.abbreviationRules);
    this.blocked = new Set(data.vocabularyNames);
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
    const inserted: boolean[] = [];
    const analyzed = analyze(query, this.abbreviations, inserted).slice(0, MAX_QUERY_TERMS);
    const raw = tokenize(query).slice(0, MAX_QUERY_TERMS);
    const parts = compoundPartStems(query);
    const counts = new Map<number, number>();
    analyzed.forEach((term, position) => {
      const id = this.termIds.get(term);
      // An abbreviation the rules added stands for words the user typed: it must not count twice.
      const weight = inserted[position]
        ? this.params.abbreviationWeight
        : queryTermWeight(term) * (parts.has(term) ? this.params.compoundPartWeight : 1);
      if (id === undefined) return;
      add(id, weight, position);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    });
    // A word the query repeats matters more, with diminishing returns (BM25's k3 saturation).
    const k3 = this.params.queryTfK3;
    for (const [id, n] of counts) if (n > 1 && k3 > 0) out.get(id)!.weight *= ((k3 + 1) * n) / (k3 + n);
    for (const synonym of this.vocabulary.expansions(analyzed, this.blocked)) {
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

  /** Does the index match this (normalised, lower-case) word: its stem is a term, or it begins one? */
  knows(word: string): boolean {
    return this.termIds.has(stem(word)) || this.termsWithPrefix(word).length > 0;
  }

  /** Term ids of a text analysed as the documents were (unknown words left out). */
  termIdsOf(text: string): number[] {
    const out: number[] = [];
    for (const term of analyze(text, this.abbreviations)) {
      const id = this.termIds.get(term);
      if (id !== undefined) out.push(id);
    }
    return out;
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
