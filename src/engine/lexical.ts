// BM25F ranker over title + abstract with an inverted index, then a re-ranking pass on the
// best candidates that rewards query words appearing close together, plus light pseudo-relevance feedback.
import { compileAbbreviations, DEFAULT_ABBREVIATIONS, learnAbbreviations, type AbbreviationRules } from './text/abbreviations.js';
import { analyze, compoundPartStems } from './text/analyze.js';
import { queryExpansions, queryTermWeight } from './text/expansion.js';
import { stem } from './text/stem.js';
import { tokenize } from './text/tokenize.js';

export interface LexicalDoc {
  id: string;
  title: string;
  abstract: string;
}

export interface LexicalHit {
  id: string;
  score: number;
}

export interface LexicalSearchOptions {
  k?: number;
  filter?: (id: string) => boolean;
}

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

/** A pasted paragraph is not a query: its start says enough and keeps search fast. */
const MAX_QUERY_CHARS = 1000;
const MAX_QUERY_TERMS = 64;

interface Posting {
  docs: Uint32Array;
  titleTf: Uint16Array;
  abstractTf: Uint16Array;
}

interface QueryTerm {
  termId: number;
  weight: number;
  /** Position in the query, for adjacency; -1 for expansions. */
  position: number;
}

/**
 * Persisted form. Numeric arrays are little-endian typed arrays in base64, which loads an
 * order of magnitude faster than JSON number arrays at 50k papers.
 */
export interface LexicalIndexJSON {
  version: 3;
  ids: string[];
  terms: string[];
  /** Acronyms learned from the collection: (phrase, acronym). */
  learnedAbbreviations: [string, string][];
  titleLengths: string;
  abstractLengths: string;
  /** Postings of term i are entries postingOffsets[i] .. postingOffsets[i + 1]. */
  postingOffsets: string;
  postingDocs: string;
  postingTitleTf: string;
  postingAbstractTf: string;
  /** Term ids of doc d in reading order (title then abstract): sequenceOffsets[d] .. [d + 1]. */
  sequenceOffsets: string;
  sequenceTerms: string;
}

export class LexicalIndex {
  private sortedTerms: string[] | null = null;

  private constructor(
    private readonly ids: string[],
    private readonly termIds: Map<string, number>,
    private readonly terms: string[],
    private readonly postings: Posting[],
    private readonly titleLengths: Uint16Array,
    private readonly abstractLengths: Uint32Array,
    private readonly sequences: Uint32Array[],
    private readonly avgTitle: number,
    private readonly avgAbstract: number,
    private readonly learned: [string, string][],
    private readonly abbreviations: AbbreviationRules,
    readonly params: LexicalParams,
  ) {}

  static build(docs: readonly LexicalDoc[], params: Partial<LexicalParams> = {}): LexicalIndex {
    // Acronyms the abstracts define ("… Masked Image Modeling (MIM) …") join the hand-made table.
    const learned = learnAbbreviations(docs.map((d) => `${d.title}. ${d.abstract}`));
    const abbreviations = compileAbbreviations(learned, DEFAULT_ABBREVIATIONS);
    const termIds = new Map<string, number>();
    const terms: string[] = [];
    const lists: { docs: number[]; title: number[]; abstract: number[] }[] = [];
    const titleLengths = new Uint16Array(docs.length);
    const abstractLengths = new Uint32Array(docs.length);
    const sequences: Uint32Array[] = [];
    // Per-document term counts in reusable arrays indexed by term id (no per-doc Map).
    let titleCounts: Uint32Array = new Uint32Array(1024);
    let abstractCounts: Uint32Array = new Uint32Array(1024);
    const idOf = (term: string): number => {
      let id = termIds.get(term);
      if (id === undefined) {
        id = terms.length;
        termIds.set(term, id);
        terms.push(term);
        lists.push({ docs: [], title: [], abstract: [] });
        if (id >= titleCounts.length) {
          titleCounts = grow(titleCounts);
          abstractCounts = grow(abstractCounts);
        }
      }
      return id;
    };
    docs.forEach((doc, d) => {
      const title = analyze(doc.title, abbreviations);
      const abstract = analyze(doc.abstract, abbreviations);
      const seq = new Uint32Array(title.length + abstract.length);
      const touched: number[] = [];
      title.forEach((term, i) => {
        const t = idOf(term);
        seq[i] = t;
        if (titleCounts[t]! + abstractCounts[t]! === 0) touched.push(t);
        titleCounts[t]!++;
      });
      abstract.forEach((term, i) => {
        const t = idOf(term);
        seq[title.length + i] = t;
        if (titleCounts[t]! + abstractCounts[t]! === 0) touched.push(t);
        abstractCounts[t]!++;
      });
      for (const t of touched) {
        const list = lists[t]!;
        list.docs.push(d);
        list.title.push(Math.min(titleCounts[t]!, 65535));
        list.abstract.push(Math.min(abstractCounts[t]!, 65535));
        titleCounts[t] = 0;
        abstractCounts[t] = 0;
      }
      titleLengths[d] = Math.min(title.length, 65535);
      abstractLengths[d] = abstract.length;
      sequences.push(seq);
    });
    const postings = lists.map((l) => ({
      docs: Uint32Array.from(l.docs),
      titleTf: Uint16Array.from(l.title),
      abstractTf: Uint16Array.from(l.abstract),
    }));
    return LexicalIndex.assemble(
      docs.map((d) => d.id),
      termIds,
      terms,
      postings,
      titleLengths,
      abstractLengths,
      sequences,
      learned,
      params,
    );
  }

  private static assemble(
    ids: string[],
    termIds: Map<string, number>,
    terms: string[],
    postings: Posting[],
    titleLengths: Uint16Array,
    abstractLengths: Uint32Array,
    sequences: Uint32Array[],
    learned: [string, string][],
    params: Partial<LexicalParams>,
  ): LexicalIndex {
    const n = Math.max(ids.length, 1);
    const avgTitle = Math.max(titleLengths.reduce((s, x) => s + x, 0) / n, 1);
    const avgAbstract = Math.max(abstractLengths.reduce((s, x) => s + x, 0) / n, 1);
    const abbreviations = compileAbbreviations(learned, DEFAULT_ABBREVIATIONS);
    return new LexicalIndex(ids, termIds, terms, postings, titleLengths, abstractLengths, sequences, avgTitle, avgAbstract, learned, abbreviations, {
      ...LEXICAL_PARAMS,
      ...params,
    });
  }

  get size(): number {
    return this.ids.length;
  }

  /** Best-first hits; an empty or stop-word-only query gives []. */
  search(query: string, opts: LexicalSearchOptions = {}): LexicalHit[] {
    const k = opts.k ?? 10;
    if (k <= 0 || this.ids.length === 0) return [];
    const queryTerms = this.queryTerms(query.slice(0, MAX_QUERY_CHARS));
    if (queryTerms.length === 0) return [];

    const scores = new Float64Array(this.ids.length);
    const touched: number[] = [];
    const isTouched = new Uint8Array(this.ids.length);
    for (const q of queryTerms) this.accumulate(q, scores, touched, isTouched);

    const keep = opts.filter ? (d: number) => opts.filter!(this.ids[d]!) : undefined;
    const depth = Math.max(this.params.rerankDepth, k);
    const candidates = topByScore(touched, scores, depth, keep);
    let ranked = this.rerankAll(candidates, scores, queryTerms);
    if (this.params.feedbackWeight > 0 && this.params.feedbackDocs > 0 && ranked.length > 0) {
      const expansion = this.feedbackTerms(ranked.slice(0, this.params.feedbackDocs).map((r) => r.d), queryTerms);
      // Expansion re-scores the candidates only (not the whole collection): it reorders what
      // the query found, at a cost independent of collection size.
      if (expansion.size > 0) {
        for (const d of candidates) scores[d]! += this.scoreFromSequence(d, expansion);
        ranked = this.rerankAll(candidates, scores, queryTerms);
      }
    }
    return ranked.slice(0, k).map(({ d, score }) => ({ id: this.ids[d]!, score }));
  }

  /** Candidates ordered by BM25F + proximity bonus, best first. */
  private rerankAll(candidates: number[], scores: Float64Array, queryTerms: QueryTerm[]): { d: number; score: number }[] {
    // The user's own words in query order; slot[termId] = 1 + their index (scratch, reset below).
    const own = queryTerms.filter((q) => q.position >= 0).sort((a, b) => a.position - b.position);
    const slot = this.scratchSlots();
    own.forEach((q, j) => (slot[q.termId] = j + 1));
    const reranked = candidates.map((d) => ({ d, score: scores[d]! + this.proximityBonus(d, own, slot) }));
    for (const q of own) slot[q.termId] = 0;
    return reranked.sort((x, y) => y.score - x.score || x.d - y.d);
  }

  private slots: Int32Array | null = null;

  private scratchSlots(): Int32Array {
    if (!this.slots || this.slots.length < this.terms.length) this.slots = new Int32Array(this.terms.length);
    return this.slots;
  }

  /** Bonus for adjacent query words that occur within `proximityWindow` positions of each other. */
  private proximityBonus(d: number, own: QueryTerm[], slot: Int32Array): number {
    const n = own.length;
    if (n < 2) return 0;
    const { proximityWeight, proximityWindow } = this.params;
    const seq = this.sequences[d]!;
    const last = new Float64Array(n).fill(-1e9);
    const hit = new Uint8Array(n - 1);
    for (let p = 0; p < seq.length; p++) {
      const j = slot[seq[p]!]! - 1;
      if (j < 0) continue;
      last[j] = p;
      if (j > 0 && p - last[j - 1]! <= proximityWindow) hit[j - 1] = 1;
      if (j < n - 1 && p - last[j + 1]! <= proximityWindow) hit[j] = 1;
    }
    let bonus = 0;
    for (let j = 0; j < n - 1; j++) {
      if (hit[j]) bonus += proximityWeight * Math.min(this.idf(own[j]!.termId), this.idf(own[j + 1]!.termId));
    }
    return bonus;
  }

  /** RM3-style expansion: terms frequent in the top documents and rare in the collection, with weights. */
  private feedbackTerms(topDocs: number[], queryTerms: QueryTerm[]): Map<number, number> {
    const inQuery = new Set(queryTerms.map((q) => q.termId));
    const weights = new Map<number, number>();
    for (const d of topDocs) {
      const seq = this.sequences[d]!;
      for (const t of seq) weights.set(t, (weights.get(t) ?? 0) + 1 / seq.length);
    }
    const n = this.ids.length;
    const scored: [number, number][] = [];
    for (const [t, w] of weights) {
      const df = this.postings[t]!.docs.length;
      // Terms in most documents, or in only one, say little about the topic.
      if (inQuery.has(t) || df < 2 || df > n * 0.2) continue;
      scored.push([t, w * this.idf(t)]);
    }
    scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const top = scored.slice(0, this.params.feedbackTerms);
    const total = top.reduce((s, [, w]) => s + w, 0);
    return new Map(top.map(([termId, w]) => [termId, (this.params.feedbackWeight * w) / total]));
  }

  /** BM25F score of doc `d` for weighted terms, counted from its stored term sequence. */
  private scoreFromSequence(d: number, weights: Map<number, number>): number {
    const { k1, titleWeight, titleB, abstractB } = this.params;
    const seq = this.sequences[d]!;
    const titleLength = this.titleLengths[d]!;
    const counts = new Map<number, [number, number]>();
    for (let p = 0; p < seq.length; p++) {
      const t = seq[p]!;
      if (!weights.has(t)) continue;
      const c = counts.get(t) ?? counts.set(t, [0, 0]).get(t)!;
      c[p < titleLength ? 0 : 1]++;
    }
    const titleNorm = 1 - titleB + (titleB * titleLength) / this.avgTitle;
    const abstractNorm = 1 - abstractB + (abstractB * this.abstractLengths[d]!) / this.avgAbstract;
    let score = 0;
    for (const [t, [inTitle, inAbstract]] of counts) {
      const tf = (titleWeight * inTitle) / titleNorm + inAbstract / abstractNorm;
      score += (this.idf(t) * weights.get(t)! * tf) / (k1 + tf);
    }
    return score;
  }

  private idf(termId: number): number {
    const df = this.postings[termId]!.docs.length;
    const n = this.ids.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private accumulate(q: QueryTerm, scores: Float64Array, touched: number[], isTouched: Uint8Array): void {
    if (q.weight <= 0) return;
    const { k1, titleWeight, titleB, abstractB } = this.params;
    const posting = this.postings[q.termId]!;
    const idf = this.idf(q.termId) * q.weight;
    for (let i = 0; i < posting.docs.length; i++) {
      const d = posting.docs[i]!;
      const tf =
        (titleWeight * posting.titleTf[i]!) / (1 - titleB + (titleB * this.titleLengths[d]!) / this.avgTitle) +
        posting.abstractTf[i]! / (1 - abstractB + (abstractB * this.abstractLengths[d]!) / this.avgAbstract);
      if (!isTouched[d]) {
        isTouched[d] = 1;
        touched.push(d);
      }
      scores[d]! += (idf * tf) / (k1 + tf);
    }
  }

  /** Analysed query terms with weights; unknown partial words expand to the terms they begin. */
  private queryTerms(query: string): QueryTerm[] {
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
    this.sortedTerms ??= [...this.terms].sort();
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
    return out.sort((a, b) => this.postings[this.termIds.get(b)!]!.docs.length - this.postings[this.termIds.get(a)!]!.docs.length);
  }

  toJSON(): LexicalIndexJSON {
    const postingOffsets = offsetsOf(this.postings.map((p) => p.docs.length));
    const sequenceOffsets = offsetsOf(this.sequences.map((q) => q.length));
    return {
      version: 3,
      ids: this.ids,
      terms: this.terms,
      learnedAbbreviations: this.learned,
      titleLengths: toBase64(this.titleLengths),
      abstractLengths: toBase64(this.abstractLengths),
      postingOffsets: toBase64(postingOffsets),
      postingDocs: toBase64(concat(Uint32Array, this.postings.map((p) => p.docs))),
      postingTitleTf: toBase64(concat(Uint16Array, this.postings.map((p) => p.titleTf))),
      postingAbstractTf: toBase64(concat(Uint16Array, this.postings.map((p) => p.abstractTf))),
      sequenceOffsets: toBase64(sequenceOffsets),
      sequenceTerms: toBase64(concat(Uint32Array, this.sequences)),
    };
  }

  static fromJSON(json: LexicalIndexJSON, params: Partial<LexicalParams> = {}): LexicalIndex {
    if (json?.version !== 3) throw new Error(`unsupported lexical index version ${String(json?.version)}; rebuild the index`);
    const postingOffsets = fromBase64(json.postingOffsets, Uint32Array);
    const docs = fromBase64(json.postingDocs, Uint32Array);
    const titleTf = fromBase64(json.postingTitleTf, Uint16Array);
    const abstractTf = fromBase64(json.postingAbstractTf, Uint16Array);
    const postings = json.terms.map((_, i) => {
      const from = postingOffsets[i]!;
      const to = postingOffsets[i + 1]!;
      return { docs: docs.subarray(from, to), titleTf: titleTf.subarray(from, to), abstractTf: abstractTf.subarray(from, to) };
    });
    const sequenceOffsets = fromBase64(json.sequenceOffsets, Uint32Array);
    const sequenceTerms = fromBase64(json.sequenceTerms, Uint32Array);
    const sequences = json.ids.map((_, d) => sequenceTerms.subarray(sequenceOffsets[d]!, sequenceOffsets[d + 1]!));
    return LexicalIndex.assemble(
      json.ids,
      new Map(json.terms.map((t, i) => [t, i] as const)),
      json.terms,
      postings,
      fromBase64(json.titleLengths, Uint16Array),
      fromBase64(json.abstractLengths, Uint32Array),
      sequences,
      json.learnedAbbreviations,
      params,
    );
  }
}

type TypedArrayOf<T> = { new (length: number): T; new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

function offsetsOf(lengths: number[]): Uint32Array {
  const offsets = new Uint32Array(lengths.length + 1);
  lengths.forEach((n, i) => (offsets[i + 1] = offsets[i]! + n));
  return offsets;
}

function concat<T extends Uint16Array | Uint32Array>(Type: TypedArrayOf<T>, parts: T[]): T {
  const out = new Type(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function toBase64(array: Uint16Array | Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T extends Uint16Array | Uint32Array>(text: string, Type: TypedArrayOf<T>): T {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Type.BYTES_PER_ELEMENT !== 0) throw new Error('corrupt lexical index: bad array length');
  // Copy into a fresh, aligned buffer (a Buffer may sit at any offset of a shared pool).
  const aligned = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(aligned).set(bytes);
  return new Type(aligned);
}

function grow(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** The `depth` best documents among `touched`, best first, ties by document order. */
function topByScore(touched: number[], scores: Float64Array, depth: number, keep?: (d: number) => boolean): number[] {
  const pool = keep ? touched.filter(keep) : touched;
  if (pool.length <= depth) return pool.sort((a, b) => scores[b]! - scores[a]! || a - b);
  // Sorting bare scores in a typed array is far cheaper than sorting ids through a lookup.
  const sorted = Float64Array.from(pool, (d) => scores[d]!).sort();
  const threshold = sorted[sorted.length - depth]!;
  return pool
    .filter((d) => scores[d]! >= threshold)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, depth);
}
