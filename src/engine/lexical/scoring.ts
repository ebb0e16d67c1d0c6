// BM25F over title + abstract: idf, per-term accumulation over the postings, the same score
// counted from a document's term sequence, and the proximity bonus that reorders candidates.
import type { LexicalParams } from './params.js';
import type { QueryTerm } from './query.js';
import type { IndexData, Posting } from './types.js';

export interface Ranked {
  /** Document number. */
  d: number;
  score: number;
}

export class Bm25f {
  private readonly postings: Posting[];
  private readonly sequences: Uint32Array[];
  private readonly titleLengths: Uint16Array;
  private readonly abstractLengths: Uint32Array;
  private readonly docCount: number;
  private readonly avgTitle: number;
  private readonly avgAbstract: number;
  private slots: Int32Array | null = null;

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
  }

  idf(termId: number): number {
    const df = this.postings[termId]!.docs.length;
    const n = this.docCount;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Adds term `q`'s BM25F contribution to `scores` for every document holding it; `touched` lists scored documents once. */
  accumulate(q: QueryTerm, scores: Float64Array, touched: number[], isTouched: Uint8Array): void {
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

  /** BM25F score of doc `d` for weighted terms, counted from its stored term sequence. */
  scoreFromSequence(d: number, weights: Map<number, number>): number {
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

  /** Candidates ordered by BM25F + proximity bonus, best first. */
  rerank(candidates: number[], scores: Float64Array, queryTerms: QueryTerm[]): Ranked[] {
    // The user's own words in query order; slot[termId] = 1 + their index (scratch, reset below).
    const own = queryTerms.filter((q) => q.position >= 0).sort((a, b) => a.position - b.position);
    const slot = this.scratchSlots();
    own.forEach((q, j) => (slot[q.termId] = j + 1));
    const reranked = candidates.map((d) => ({ d, score: scores[d]! + this.proximityBonus(d, own, slot) }));
    for (const q of own) slot[q.termId] = 0;
    return reranked.sort((x, y) => y.score - x.score || x.d - y.d);
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
}

/** The `depth` best documents among `touched`, best first, ties by document order. */
export function topByScore(touched: number[], scores: Float64Array, depth: number, keep?: (d: number) => boolean): number[] {
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
