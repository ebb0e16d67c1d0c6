// Documents as sparse term vectors for document-to-document similarity: the lexical index's
// terms (stems and abbreviations, so "llm" meets "large language model") and pairs of adjacent
// terms ("kv cache"), weighted by sublinear TF-IDF (as arxiv-sanity does) or BM25, title terms
// optionally counted more, L2-normalised, with an inverted index for cosine against every document.

export type TermWeighting = 'tfidf' | 'bm25';

export interface VectorOptions {
  /** Add pairs of adjacent terms as terms. */
  bigrams: boolean;
  weighting: TermWeighting;
  /** A title term counts this many times. */
  titleWeight: number;
  /** Terms in fewer documents say nothing about what two documents share. */
  minDf: number;
  /** Terms in more than this share of documents are dropped (too common to tell topics apart). */
  maxDfShare: number;
}

export const DEFAULT_VECTOR_OPTIONS: VectorOptions = { bigrams: true, weighting: 'tfidf', titleWeight: 1, minDf: 2, maxDfShare: 0.5 };

export interface SparseVector {
  terms: Uint32Array;
  weights: Float32Array;
}

/** The documents as term ids (from the lexical index), and the same analysis for outside text. */
export interface TermSequences {
  readonly count: number;
  /** Term ids are below this. */
  readonly vocabularySize: number;
  title(d: number): ArrayLike<number>;
  abstract(d: number): ArrayLike<number>;
  /** Term ids of a text (words the collection never uses are left out). */
  analyze(text: string): number[];
}

/** Pairs are hashed into this many slots (no per-pair dictionary at 50k papers). */
const PAIR_SLOTS = 1 << 21;

function pairKey(a: number, b: number, unigrams: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  return unigrams + ((h >>> 0) % PAIR_SLOTS);
}

export class DocumentVectors {
  readonly vectors: SparseVector[];
  /** Per kept term: documents holding it and the term's weight in each. */
  private readonly postings: { docs: Uint32Array; weights: Float32Array }[];
  /** Key (term id, or unigrams + pair slot) → kept term id, -1 when dropped. */
  private readonly keep: Int32Array;
  private readonly idf: Float64Array;
  /** Documents holding each kept term. */
  readonly df: Uint32Array;
  private readonly avgLength: number;
  /** Kept terms below this id are single terms; the rest are pairs. */
  readonly unigramTerms: number;

  constructor(
    private readonly source: TermSequences,
    readonly options: VectorOptions = DEFAULT_VECTOR_OPTIONS,
  ) {
    const n = source.count;
    const keys = source.vocabularySize + (options.bigrams ? PAIR_SLOTS : 0);
    const dfAll = new Uint32Array(keys);
    const lengths = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      const { keys, counts } = this.count(source.title(d), source.abstract(d));
      for (let i = 0; i < keys.length; i++) {
        dfAll[keys[i]!]!++;
        lengths[d]! += counts[i]!;
      }
    }
    const maxDf = Math.max(options.minDf, Math.floor(options.maxDfShare * n));
    this.keep = new Int32Array(keys).fill(-1);
    const idf: number[] = [];
    const kept: number[] = [];
    // Keys are visited in order, so kept single terms get the ids below unigramTerms.
    let unigramTerms = 0;
    for (let k = 0; k < keys; k++) {
      const f = dfAll[k]!;
      if (f < options.minDf || f > maxDf) continue;
      this.keep[k] = idf.length;
      if (k < source.vocabularySize) unigramTerms++;
      kept.push(f);
      idf.push(options.weighting === 'bm25' ? Math.log(1 + (n - f + 0.5) / (f + 0.5)) : Math.log((1 + n) / (1 + f)) + 1);
    }
    this.unigramTerms = unigramTerms;
    this.idf = Float64Array.from(idf);
    this.df = Uint32Array.from(kept);
    this.avgLength = Math.max(1, lengths.reduce((s, x) => s + x, 0) / Math.max(1, n));
    this.vectors = [];
    for (let d = 0; d < n; d++) this.vectors.push(this.vectorOf(this.count(source.title(d), source.abstract(d)), lengths[d]!));
    const sizes = new Uint32Array(idf.length);
    for (const v of this.vectors) for (const t of v.terms) sizes[t]!++;
    this.postings = Array.from(sizes, (size) => ({ docs: new Uint32Array(size), weights: new Float32Array(size) }));
    const filled = new Uint32Array(idf.length);
    this.vectors.forEach((v, d) => {
      for (let i = 0; i < v.terms.length; i++) {
        const t = v.terms[i]!;
        const at = filled[t]!++;
        this.postings[t]!.docs[at] = d;
        this.postings[t]!.weights[at] = v.weights[i]!;
      }
    });
  }

  get termCount(): number {
    return this.idf.length;
  }

  /** The vector of a text that is not in the collection (pasted text). */
  vectorOfText(text: string): SparseVector {
    const counted = this.count([], this.source.analyze(text));
    return this.vectorOf(counted, counted.counts.reduce((s, x) => s + x, 0));
  }

  /** Per-key scratch counts (reset after each document): no Map per document. */
  private scratch: Float64Array | null = null;

  /** The document's keys (terms, and pair slots) and their counts, title terms weighted. */
  private count(title: ArrayLike<number>, abstract: ArrayLike<number>): { keys: number[]; counts: number[] } {
    const unigrams = this.source.vocabularySize;
    const size = unigrams + (this.options.bigrams ? PAIR_SLOTS : 0);
    if (!this.scratch || this.scratch.length < size) this.scratch = new Float64Array(size);
    const acc = this.scratch;
    const keys: number[] = [];
    const add = (key: number, weight: number) => {
      if (acc[key] === 0) keys.push(key);
      acc[key]! += weight;
    };
    for (const [terms, weight] of [[title, this.options.titleWeight], [abstract, 1]] as const) {
      for (let i = 0; i < terms.length; i++) {
        add(terms[i]!, weight);
        if (this.options.bigrams && i + 1 < terms.length) add(pairKey(terms[i]!, terms[i + 1]!, unigrams), weight);
      }
    }
    const counts = keys.map((k) => acc[k]!);
    for (const k of keys) acc[k] = 0;
    return { keys, counts };
  }

  /** Weighted, L2-normalised vector of counted keys (kept terms only, in no particular order). */
  private vectorOf({ keys, counts }: { keys: number[]; counts: number[] }, length: number): SparseVector {
    const terms: number[] = [];
    const weights: number[] = [];
    const k1 = 1.2;
    const b = 0.75;
    const bm25 = this.options.weighting === 'bm25';
    let norm = 0;
    for (let i = 0; i < keys.length; i++) {
      const id = this.keep?.[keys[i]!] ?? -1;
      if (id < 0) continue;
      const tf = counts[i]!;
      const w = bm25 ? (this.idf[id]! * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / this.avgLength)) : (1 + Math.log(tf)) * this.idf[id]!;
      terms.push(id);
      weights.push(w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    const out = new Float32Array(weights.length);
    for (let i = 0; i < weights.length; i++) out[i] = weights[i]! / norm;
    return { terms: Uint32Array.from(terms), weights: out };
  }

  /** Dense scratch over the kept terms for `cosinesWith` (all zeros between calls). */
  private spread: Float32Array | null = null;

  /** Cosine of `vector` with each of `docs` (same order): cheap for a few hundred documents. */
  cosinesWith(vector: SparseVector, docs: readonly number[]): Float64Array {
    if (!this.spread) this.spread = new Float32Array(this.termCount);
    const spread = this.spread;
    for (let i = 0; i < vector.terms.length; i++) spread[vector.terms[i]!] = vector.weights[i]!;
    const out = new Float64Array(docs.length);
    docs.forEach((d, k) => {
      const v = this.vectors[d]!;
      let sum = 0;
      for (let i = 0; i < v.terms.length; i++) sum += v.weights[i]! * spread[v.terms[i]!]!;
      out[k] = sum;
    });
    for (let i = 0; i < vector.terms.length; i++) spread[vector.terms[i]!] = 0;
    return out;
  }

  /** Cosine of `vector` with every document (0 for documents sharing no term). */
  cosines(vector: SparseVector): Float64Array {
    const scores = new Float64Array(this.vectors.length);
    for (let i = 0; i < vector.terms.length; i++) {
      const posting = this.postings[vector.terms[i]!]!;
      const w = vector.weights[i]!;
      for (let j = 0; j < posting.docs.length; j++) scores[posting.docs[j]!]! += w * posting.weights[j]!;
    }
    return scores;
  }
}
