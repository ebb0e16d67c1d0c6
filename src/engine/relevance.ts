/**
 * How close an outside paper is to the papers of the collection, for ranking feed arrivals and
 * for the nearest papers of a paper not (yet) in the collection.
 *
 * Lexical: TF-IDF cosine over the collection's own vocabulary, with the engine's analyser (the
 * same stems, compounds and abbreviations the lexical index uses), sublinear tf (1 + ln tf) and
 * smoothed idf, vectors L2-normalised; scored through an inverted index, so only papers sharing
 * a term are touched. Dense (when a model is loaded) is done by the engine with its vectors.
 * Nothing here knows what the collection is about: the vocabulary and weights come from it.
 */
import { analyze } from './text/analyze.js';

export interface RelevanceDoc {
  id: string;
  title: string;
  abstract: string;
}

export interface Neighbour {
  id: string;
  /** Cosine similarity in [0, 1]. */
  similarity: number;
}

/** The text a paper is compared by: the title counts twice, like the ranker's title boost in spirit. */
function termsOf(doc: Pick<RelevanceDoc, 'title' | 'abstract'>): string[] {
  return analyze(`${doc.title}. ${doc.title}. ${doc.abstract}`);
}

function sublinearCounts(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const [t, n] of counts) counts.set(t, 1 + Math.log(n));
  return counts;
}

export class TfIdfSpace {
  private readonly idf = new Map<string, number>();
  /** term → (doc index, normalised weight) postings. */
  private readonly postings = new Map<string, { doc: number; weight: number }[]>();
  private readonly ids: string[];

  private constructor(docs: readonly RelevanceDoc[]) {
    this.ids = docs.map((d) => d.id);
    const tfs = docs.map((d) => sublinearCounts(termsOf(d)));
    const df = new Map<string, number>();
    for (const tf of tfs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const n = docs.length;
    for (const [t, d] of df) this.idf.set(t, Math.log((n + 1) / (d + 1)) + 1);
    tfs.forEach((tf, doc) => {
      const weights = [...tf].map(([t, w]) => [t, w * this.idf.get(t)!] as const);
      const norm = Math.sqrt(weights.reduce((s, [, w]) => s + w * w, 0)) || 1;
      for (const [t, w] of weights) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push({ doc, weight: w / norm });
      }
    });
  }

  static build(docs: readonly RelevanceDoc[]): TfIdfSpace {
    return new TfIdfSpace(docs);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The `k` collection papers most similar to `doc`, best first (terms the collection never uses count for nothing). */
  nearest(doc: Pick<RelevanceDoc, 'title' | 'abstract'>, k: number, exclude?: (id: string) => boolean): Neighbour[] {
    const tf = sublinearCounts(termsOf(doc));
    const query: [string, number][] = [];
    for (const [t, w] of tf) {
      const idf = this.idf.get(t);
      if (idf !== undefined) query.push([t, w * idf]);
    }
    // Normalised over the whole document, unknown terms included: a paper that is mostly about
    // things the collection never mentions is far from it, however well its few shared words match.
    let norm = 0;
    for (const [t, w] of tf) {
      const idf = this.idf.get(t) ?? Math.log(this.ids.length + 1) + 1;
      norm += (w * idf) ** 2;
    }
    norm = Math.sqrt(norm) || 1;
    const scores = new Float64Array(this.ids.length);
    for (const [t, w] of query) for (const p of this.postings.get(t)!) scores[p.doc] = scores[p.doc]! + (w / norm) * p.weight;
    const order: number[] = [];
    for (let i = 0; i < scores.length; i++) if (scores[i]! > 0 && !(exclude && exclude(this.ids[i]!))) order.push(i);
    order.sort((a, b) => scores[b]! - scores[a]!);
    return order.slice(0, k).map((i) => ({ id: this.ids[i]!, similarity: Math.min(1, scores[i]!) }));
  }
}
