// "Similar papers": document-to-document similarity, not a search. A paper (or pasted text) is
// compared with every paper as a whole: cosine of sublinear TF-IDF vectors over stems and stem
// bigrams (title words count twice), fused with cosine in a latent topic space (LSA, over single terms) that
// brings together papers on one topic written in different words, and, when a model is loaded,
// with the dense embeddings' cosine. Weighted score fusion; see scripts/eval.ts for the numbers.
import type { Paper } from '../../collection/types.js';
import type { RankedId } from '../fusion.js';
import { LatentSpace, latentDims } from './lsa.js';
import { DEFAULT_VECTOR_OPTIONS, DocumentVectors, type SparseVector, type TermSequences, type VectorOptions } from './vectors.js';

export interface SimilarityOptions {
  vectors: VectorOptions;
  /** Share of the latent-space cosine in the lexical score (the rest is TF-IDF cosine); 0 turns LSA off. */
  latentWeight: number;
  /** Share of the dense model's cosine in the final score, when there is a model. */
  denseWeight: number;
}

export const SIMILARITY_OPTIONS: SimilarityOptions = {
  vectors: { ...DEFAULT_VECTOR_OPTIONS, titleWeight: 2 },
  latentWeight: 0.5,
  denseWeight: 0.5,
};

/** What to compare with: a paper of the collection, or a text from outside it. */
export type SimilarTarget = { paper: number } | { text: string };

/** The TF-IDF neighbours that the latent space re-scores (its cost does not grow with the collection). */
const LATENT_CANDIDATES = 200;

export class PaperSimilarity {
  private built: { vectors: DocumentVectors; latent: LatentSpace | null } | null = null;
  /** Latent embeddings of papers, made as they are first needed. */
  private readonly embedded = new Map<number, Float32Array>();

  /** `terms`: the papers (same order) as the lexical index analysed them. */
  constructor(
    private readonly papers: readonly Paper[],
    private readonly terms: TermSequences,
    readonly options: SimilarityOptions = SIMILARITY_OPTIONS,
  ) {}

  /** Built on first use: a bot that never gets a /similar pays nothing. */
  private parts() {
    if (this.built) return this.built;
    const vectors = new DocumentVectors(this.terms, this.options.vectors);
    const latent =
      this.options.latentWeight > 0
        ? // The space is spanned by single terms (as LSA is classically): pairs add sparse noise to it.
          LatentSpace.fit(vectors.vectors, vectors.termCount, Uint32Array.from(vectors.df, (f, i) => (i < vectors.unigramTerms ? f : 0)), {
            dims: latentDims(this.papers.length),
            maxTerms: Math.min(20_000, vectors.unigramTerms),
            maxDocs: 2_000,
            powerIterations: 1,
          })
        : null;
    this.built = { vectors, latent };
    return this.built;
  }

  private embedding(latent: LatentSpace, vectors: DocumentVectors, d: number): Float32Array {
    let e = this.embedded.get(d);
    if (!e) {
      e = latent.embed(vectors.vectors[d]!);
      this.embedded.set(d, e);
    }
    return e;
  }

  /**
   * Similarity of `target` with every paper (paper order): TF-IDF cosine, and for its best
   * LATENT_CANDIDATES papers the fused TF-IDF and latent-space cosine.
   */
  scores(target: SimilarTarget): Float64Array {
    const { vectors, latent } = this.parts();
    const vector: SparseVector = 'paper' in target ? vectors.vectors[target.paper]! : vectors.vectorOfText(target.text);
    const scores = vectors.cosines(vector);
    if (!latent) return scores;
    const here = 'paper' in target ? this.embedding(latent, vectors, target.paper) : latent.embed(vector);
    const w = this.options.latentWeight;
    const candidates = topIndices(scores, LATENT_CANDIDATES);
    const fused = new Float64Array(scores.length);
    for (const d of candidates) {
      const e = this.embedding(latent, vectors, d);
      let cos = 0;
      for (let k = 0; k < here.length; k++) cos += here[k]! * e[k]!;
      fused[d] = (1 - w) * scores[d]! + w * Math.max(0, cos);
    }
    return fused;
  }
  /**
   * Papers most like `target`, best first: never the paper itself, only those `keep` accepts.
   * `dense` (cosine with the target per paper id, from the loaded model) joins by weighted fusion.
   */
  rank(target: SimilarTarget, limit: number, keep?: (id: string) => boolean, dense?: ReadonlyMap<string, number>): RankedId[] {
    const scores = this.scores(target);
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

/** Indices of the `n` largest positive values. */
function topIndices(values: Float64Array, n: number): number[] {
  const positive: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i]! > 0) positive.push(i);
  if (positive.length <= n) return positive;
  const sorted = Float64Array.from(positive, (i) => values[i]!).sort();
  const threshold = sorted[sorted.length - n]!;
  return positive.filter((i) => values[i]! >= threshold);
}
