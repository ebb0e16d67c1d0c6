// "Similar papers": document-to-document similarity, not a search. A paper (or pasted text) is
// compared with every paper as a whole, in two passes:
//  1. cosine of sublinear TF-IDF vectors over stems and stem bigrams (title words count twice)
//     finds the candidates; each is scored by that cosine fused with the cosine in a latent topic
//     space (LSA, over single terms) seen at several scales (the first fifth, half and all of its
//     dimensions: broad field to narrow topic), which brings together papers on one topic
//     written in different words;
//  2. average neighbourhood expansion: the target is moved toward its best few first-pass
//     neighbours, i.e. a candidate also scores by its mean similarity to them. A paper that is
//     like the target's closest papers is likely on the target's topic even where it shares
//     fewer words with the target itself.
// When a model is loaded, the dense embeddings' cosine joins by weighted score fusion.
// See scripts/eval.ts (and scripts/tune-similar.ts) for the numbers.
import type { Paper } from '../../collection/types.js';
import type { RankedId } from '../fusion.js';
import { LatentSpace, latentScales, multiScaleCosine, type ScaledEmbedding } from './lsa.js';
import { DEFAULT_VECTOR_OPTIONS, DocumentVectors, type SparseVector, type TermSequences, type VectorOptions } from './vectors.js';

export interface SimilarityOptions {
  vectors: VectorOptions;
  /** Share of the latent-space cosine in the lexical score (the rest is TF-IDF cosine); 0 turns LSA off. */
  latentWeight: number;
  /** Dimensions of the latent space (fewer for a small collection). */
  latentDims: number;
  /** The scales the latent space is compared at, as shares of its dimensions (1 = all of them). */
  latentScales: readonly number[];
  /** Neighbourhood expansion: how many first-pass neighbours, and their weight (0 turns it off). */
  expansion: { neighbours: number; weight: number };
  /** Share of the dense model's cosine in the final score, when there is a model. */
  denseWeight: number;
}

export const SIMILARITY_OPTIONS: SimilarityOptions = {
  vectors: { ...DEFAULT_VECTOR_OPTIONS, titleWeight: 2 },
  latentWeight: 0.5,
  latentDims: 100,
  latentScales: [0.2, 0.5, 1],
  expansion: { neighbours: 10, weight: 1 },
  denseWeight: 0.5,
};

/** What to compare with: a paper of the collection, or a text from outside it. */
export type SimilarTarget = { paper: number } | { text: string };

/** The TF-IDF neighbours that the later stages score (their cost does not grow with the collection). */
const CANDIDATES = 200;

interface Parts {
  vectors: DocumentVectors;
  latent: LatentSpace | null;
  scales: number[];
}

export class PaperSimilarity {
  private built: Parts | null = null;
  /** Latent embeddings of papers, made as they are first needed. */
  private readonly embedded = new Map<number, ScaledEmbedding>();

  /** `terms`: the papers (same order) as the lexical index analysed them. */
  constructor(
    private readonly papers: readonly Paper[],
    private readonly terms: TermSequences,
    readonly options: SimilarityOptions = SIMILARITY_OPTIONS,
  ) {}

  /** Built on first use: a bot that never gets a /similar pays nothing. */
  private parts(): Parts {
    if (this.built) return this.built;
    const vectors = new DocumentVectors(this.terms, this.options.vectors);
    const latent =
      this.options.latentWeight > 0
        ? // The space is spanned by single terms (as LSA is classically): pairs add sparse noise to it.
          LatentSpace.fit(vectors.vectors, vectors.termCount, Uint32Array.from(vectors.df, (f, i) => (i < vectors.unigramTerms ? f : 0)), {
            dims: this.options.latentDims,
            maxTerms: Math.min(20_000, vectors.unigramTerms),
            maxDocs: 2_000,
            powerIterations: 1,
          })
        : null;
    this.built = { vectors, latent, scales: latent ? latentScales(latent.dims, this.options.latentScales) : [] };
    return this.built;
  }

  private embedding({ latent, vectors, scales }: Parts, d: number): ScaledEmbedding {
    let e = this.embedded.get(d);
    if (!e) {
      e = latent!.embedScaled(vectors.vectors[d]!, scales);
      this.embedded.set(d, e);
    }
    return e;
  }

  /**
   * First-pass similarity of a vector (with its latent embedding) to `docs`, given their TF-IDF
   * cosines with it: the TF-IDF and latent cosines fused.
   */
  private fused(parts: Parts, cosines: ArrayLike<number>, here: ScaledEmbedding | null, docs: readonly number[]): Float64Array {
    const w = here ? this.options.latentWeight : 0;
    return Float64Array.from(docs, (d, k) => (1 - w) * cosines[k]! + (w > 0 ? w * multiScaleCosine(here!, this.embedding(parts, d), parts.scales) : 0));
  }

  /**
   * Similarity of `target` with every paper (paper order; 0 for papers that are not candidates).
   * `keep` (paper index → wanted) makes sure the candidates include the best papers it accepts;
   * the neighbourhood is drawn from all papers.
   */
  scores(target: SimilarTarget, keep?: (d: number) => boolean): Float64Array {
    const parts = this.parts();
    const { vectors, latent } = parts;
    const self = 'paper' in target ? target.paper : -1;
    const vector: SparseVector = self >= 0 ? vectors.vectors[self]! : vectors.vectorOfText((target as { text: string }).text);
    const all = vectors.cosines(vector);
    const pool = topIndices(all, CANDIDATES, (d) => d !== self);
    const candidates = keep ? [...new Set([...pool, ...topIndices(all, CANDIDATES, (d) => d !== self && keep(d))])] : pool;
    const here = latent ? (self >= 0 ? this.embedding(parts, self) : latent.embedScaled(vector, parts.scales)) : null;
    const first = this.fused(parts, Float64Array.from(candidates, (d) => all[d]!), here, candidates);
    const out = new Float64Array(this.papers.length);
    const { neighbours: k, weight: alpha } = this.options.expansion;
    const inPool = new Set(pool);
    const neighbours = k > 0 && alpha > 0 ? topOf(candidates, first, k, (d) => inPool.has(d)) : [];
    const expanded = new Float64Array(candidates.length);
    for (const j of neighbours) {
      const near = this.fused(parts, vectors.cosinesWith(vectors.vectors[j]!, candidates), latent ? this.embedding(parts, j) : null, candidates);
      for (let i = 0; i < candidates.length; i++) expanded[i]! += near[i]! / neighbours.length;
    }
    const a = neighbours.length ? alpha : 0;
    candidates.forEach((d, i) => (out[d] = (first[i]! + a * expanded[i]!) / (1 + a)));
    return out;
  }

  /**
   * Papers most like `target`, best first: never the paper itself, only those `keep` accepts.
   * `dense` (cosine with the target per paper id, from the loaded model) joins by weighted fusion.
   */
  rank(target: SimilarTarget, limit: number, keep?: (id: string) => boolean, dense?: ReadonlyMap<string, number>): RankedId[] {
    const scores = this.scores(target, keep && ((d) => keep(this.papers[d]!.id)));
    const self = 'paper' in target ? target.paper : -1;
    const w = dense ? this.options.denseWeight : 0;
    const out: RankedId[] = [];
    this.papers.forEach((p, d) => {
      if (d === self || (keep && !keep(p.id))) return;
      const score = (1 - w) * scores[d]! + w * Math.max(0, dense?.get(p.id) ?? 0);
      if (score > 0) out.push({ id: p.id, score });
    });
    out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return out.slice(0, limit);
  }
}

/**
 * Indices of the `n` largest positive values that `accept` allows, in index order (at a tie at
 * the cut, the lower indices). A bounded min-heap: most values fail against its top at once.
 */
function topIndices(values: Float64Array, n: number, accept: (i: number) => boolean): number[] {
  const heap: number[] = [];
  // a is worse than b: lower value, or the same value and a higher index.
  const worse = (a: number, b: number) => values[a]! < values[b]! || (values[a] === values[b] && a > b);
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let m = at;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === at) return;
      [heap[at], heap[m]] = [heap[m]!, heap[at]!];
      at = m;
    }
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > 0) || (heap.length === n && v <= values[heap[0]!]!) || !accept(i)) continue;
    if (heap.length < n) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => a - b);
}

/** The `k` of `items` with the highest `scores` (same order as items) that `accept` allows, best first. */
function topOf(items: readonly number[], scores: Float64Array, k: number, accept: (item: number) => boolean): number[] {
  return items
    .map((item, i) => ({ item, score: scores[i]! }))
    .filter((x) => x.score > 0 && accept(x.item))
    .sort((a, b) => b.score - a.score || a.item - b.item)
    .slice(0, k)
    .map((x) => x.item);
}
