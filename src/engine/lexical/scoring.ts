// BM25F over title + abstract: idf, per-term accumulation over the postings, the same score
// counted from a document's term sequence, and the proximity bonus that reorders candidates.
import { sortedHas } from '../sorted.js';
import type { LexicalParams } from './params.js';
import type { QueryTerm } from './query.js';
import type { IndexData, Posting } from './types.js';

export interface Ranked {
  /** Document number. */
  d: number;
  score: number;
}

/** At most this many cached posting tfs (8 bytes each: 32 MB). */
const MAX_CACHED_TFS = 4_000_000;

export class Bm25f {
  private readonly postings: Posting[];
  private readonly sequences: Uint32Array[];
  private readonly titleLengths: Uint16Array;
  private readonly abstractLengths: Uint32Array;
  private readonly docCount: number;
  private readonly avgTitle: number;
  private readonly avgAbstract: number;
  /** Per document: the BM25F length normalisation of its title and of its abstract (the same expressions, computed once). */
  private readonly titleNorm: Float64Array;
  private readonly abstractNorm: Float64Array;
  private slots: Int32Array | null = null;
  /** Scratch for scoreExpansion: per expansion term, its count in the title and in the abstract. */
  private readonly expansionCounts: Float64Array;
  private readonly expansionOrder: number[] = [];
  /** Scratch for proximityBonus (a query has at most MAX_QUERY_TERMS own words). */
  private lastSeen = new Float64Array(0);
  private pairHit = new Uint8Array(0);

  constructor(
    data: IndexData,
    private readonly params: LexicalParams,
  ) {
    this.postings = data.postings;
    this.sequences = data.sequences;
    this.titleLengths = data.titleLengths;
    this.abstractLengths = data.abstractLengths;
    this.docCount = data.ids.length;
    const n = Math.max(data.ids.length, 1);
    this.avgTitle = Math.max(data.titleLengths.reduce((s, x) => s + x, 0) / n, 1);
    this.avgAbstract = Math.max(data.abstractLengths.reduce((s, x) => s + x, 0) / n, 1);
    const { titleB, abstractB } = params;
    this.titleNorm = Float64Array.from(data.titleLengths, (len) => 1 - titleB + (titleB * len) / this.avgTitle);
    this.abstractNorm = Float64Array.from(data.abstractLengths, (len) => 1 - abstractB + (abstractB * len) / this.avgAbstract);
    this.expansionCounts = new Float64Array(2 * Math.max(1, params.feedbackTerms));
  }

  idf(termId: number): number {
    const df = this.postings[termId]!.docs.length;
    const n = this.docCount;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Adds term `q`'s BM25F contribution to `scores` for every document holding it; `touched` lists scored documents once. */
  accumulate(q: QueryTerm, scores: Float64Array, touched: number[]): void {
    if (q.weight <= 0) return;
    const { k1 } = this.params;
    const { docs } = this.postings[q.termId]!;
    const tfs = this.combinedTf(q.termId);
    const idf = this.idf(q.termId) * q.weight;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      const tf = tfs[i]!;
      // Every contribution is positive (idf > 0, weight > 0, tf > 0): a score of 0 means not seen yet.
      if (scores[d] === 0) touched.push(d);
      scores[d]! += (idf * tf) / (k1 + tf);
    }
  }

  /** Per term searched: each posting's BM25F tf (title weighted, both length-normalised), computed on first use. */
  private readonly tfCache = new Map<number, Float64Array>();
  private tfCached = 0;

  private combinedTf(termId: number): Float64Array {
    let tfs = this.tfCache.get(termId);
    if (tfs) return tfs;
    const { titleWeight } = this.params;
    const { docs, titleTf, abstractTf } = this.postings[termId]!;
    const { titleNorm, abstractNorm } = this;
    tfs = new Float64Array(docs.length);
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i]!;
      tfs[i] = (titleWeight * titleTf[i]!) / titleNorm[d]! + abstractTf[i]! / abstractNorm[d]!;
    }
    // Bounded (the words people search for are a small part of a vocabulary): start over past the limit.
    if (this.tfCached + tfs.length > MAX_CACHED_TFS) {
      this.tfCache.clear();
      this.tfCached = 0;
    }
    this.tfCache.set(termId, tfs);
    this.tfCached += tfs.length;
    return tfs;
  }

  /**
   * Adds to `scores[d]`, for each candidate d, its BM25F score for the weighted expansion terms (term
   * id → weight, at most params.feedbackTerms of them), counted from the document's term sequence.
   * Terms are summed in the order they first occur in the document.
   */
  scoreExpansion(candidates: readonly number[], weights: ReadonlyMap<number, number>, scores: Float64Array): void {
    const { k1, titleWeight } = this.params;
    const slot = this.scratchSlots();
    const terms = [...weights.keys()];
    const termWeights = [...weights.values()];
    const idfs = terms.map((t) => this.idf(t));
    terms.forEach((t, j) => (slot[t] = j + 1));
    const counts = this.expansionCounts.length >= 2 * terms.length ? this.expansionCounts : new Float64Array(2 * terms.length);
    const order = this.expansionOrder;
    try {
      for (const d of candidates) {
        const seq = this.sequences[d]!;
        const titleLength = this.titleLengths[d]!;
        order.length = 0;
        for (let p = 0; p < seq.length; p++) {
          const j = slot[seq[p]!]! - 1;
          if (j < 0) continue;
          if (counts[2 * j]! + counts[2 * j + 1]! === 0) order.push(j);
          counts[2 * j + (p < titleLength ? 0 : 1)]!++;
        }
        const titleNorm = this.titleNorm[d]!;
        const abstractNorm = this.abstractNorm[d]!;
        let score = 0;
        for (const j of order) {
          const tf = (titleWeight * counts[2 * j]!) / titleNorm + counts[2 * j + 1]! / abstractNorm;
          score += (idfs[j]! * termWeights[j]! * tf) / (k1 + tf);
          counts[2 * j] = 0;
          counts[2 * j + 1] = 0;
        }
        scores[d]! += score;
      }
    } finally {
      for (const t of terms) slot[t] = 0;
    }
  }

  /** Candidates ordered by BM25F + proximity bonus (`bonuses[i]` for candidates[i]), best first. */
  rerank(candidates: number[], scores: Float64Array, bonuses: Float64Array): Ranked[] {
    const reranked = candidates.map((d, i) => ({ d, score: scores[d]! + bonuses[i]! }));
    return reranked.sort((x, y) => y.score - x.score || x.d - y.d);
  }

  /** The proximity bonus of each candidate (it depends on the query and the document only, so it is computed once per search). */
  proximityBonuses(candidates: number[], queryTerms: QueryTerm[]): Float64Array {
    // The user's own words in query order; slot[termId] = 1 + their index (scratch, reset below).
    const own = queryTerms.filter((q) => q.position >= 0).sort((a, b) => a.position - b.position);
    if (own.length < 2) return new Float64Array(candidates.length);
    const slot = this.scratchSlots();
    own.forEach((q, j) => (slot[q.termId] = j + 1));
    // A bonus needs two neighbouring query words in the document: whether it has them is looked up in
    // their postings (sorted), so a document without such a pair is not scanned at all.
    const bonuses = Float64Array.from(candidates, (d) => (this.hasNeighbouringWords(d, own, slot) ? this.proximityBonus(d, own, slot) : 0));
    for (const q of own) slot[q.termId] = 0;
    return bonuses;
  }

  /** Whether document d has query words j and j + 1 for some j, numbered as the scan in proximityBonus numbers them. */
  private hasNeighbouringWords(d: number, own: QueryTerm[], slot: Int32Array): boolean {
    let previous = false;
    for (let j = 0; j < own.length; j++) {
      const termId = own[j]!.termId;
      // A word repeated in the query is numbered by its last place, as in the scan: earlier places never count.
      const here = slot[termId] === j + 1 && sortedHas(this.postings[termId]!.docs, d);
      if (here && previous) return true;
      previous = here;
    }
    return false;
  }

  private scratchSlots(): Int32Array {
    if (!this.slots || this.slots.length < this.postings.length) this.slots = new Int32Array(this.postings.length);
    return this.slots;
  }

  /** Bonus for adjacent query words that occur within `proximityWindow` positions of each other. */
  private proximityBonus(d: number, own: QueryTerm[], slot: Int32Array): number {
    const n = own.length;
    if (n < 2) return 0;
    const { proximityWeight, proximityWindow } = this.params;
    const seq = this.sequences[d]!;
    if (this.lastSeen.length < n) {
      this.lastSeen = new Float64Array(n);
      this.pairHit = new Uint8Array(n);
    }
    const last = this.lastSeen.fill(-1e9, 0, n);
    const hit = this.pairHit.fill(0, 0, n - 1);
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
}

/** The `depth` best documents among `touched`, best first, ties by document order. */
export function topByScore(touched: number[], scores: Float64Array, depth: number, keep?: (d: number) => boolean): number[] {
  const pool = keep ? touched.filter(keep) : touched;
  if (pool.length <= depth) return pool.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const threshold = kthLargest(pool, scores, depth);
  return pool
    .filter((d) => scores[d]! >= threshold)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, depth);
}

/**
 * The k-th largest of scores[d] over `pool` (duplicates counted), with a min-heap of the k largest
 * seen so far: one pass, no sort of every matching document (k ≤ pool.length).
 */
function kthLargest(pool: readonly number[], scores: Float64Array, k: number): number {
  const heap = new Float64Array(k);
  for (let i = 0; i < k; i++) heap[i] = scores[pool[i]!]!;
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(heap, i, k);
  for (let i = k; i < pool.length; i++) {
    const s = scores[pool[i]!]!;
    if (s > heap[0]!) {
      heap[0] = s;
      siftDown(heap, 0, k);
    }
  }
  return heap[0]!;
}

function siftDown(heap: Float64Array, at: number, size: number): void {
  let i = at;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let smallest = i;
    if (l < size && heap[l]! < heap[smallest]!) smallest = l;
    if (r < size && heap[r]! < heap[smallest]!) smallest = r;
    if (smallest === i) return;
    const tmp = heap[i]!;
    heap[i] = heap[smallest]!;
    heap[smallest] = tmp;
    i = smallest;
  }
}
