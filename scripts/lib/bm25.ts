// The reference ranker the eval compares against: textbook BM25 over title + abstract as one
// field, k1 = 1.2, b = 0.75, paperbot's tokenizer and stop words, Porter stems unless
// `stemming` is false, a query word counted as often as it occurs (as Lucene and Pyserini do), and
// nothing else.
import { stem } from '../../src/engine/text/stem.js';
import { tokenize } from '../../src/engine/text/tokenize.js';

export class PlainBM25 {
  private readonly docs: Map<string, number>[];
  private readonly lengths: number[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(
    private readonly items: readonly { id: string; title: string; abstract: string }[],
    private readonly stemming = true,
    private readonly k1 = 1.2,
    private readonly b = 0.75,
    /** Count a query word as often as it occurs (Lucene/Pyserini style); else once. */
    private readonly queryTf = true,
  ) {
    this.docs = items.map((doc) => {
      const tf = new Map<string, number>();
      for (const t of this.terms(`${doc.title} ${doc.abstract}`)) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return tf;
    });
    this.lengths = this.docs.map((tf) => [...tf.values()].reduce((s, x) => s + x, 0));
    this.avgLength = this.lengths.reduce((s, x) => s + x, 0) / Math.max(this.lengths.length, 1);
  }

  private terms(text: string): string[] {
    const tokens = tokenize(text);
    return this.stemming ? tokens.map(stem) : tokens;
  }

  search(query: string, k = 10): string[] {
    const terms = this.queryTf ? this.terms(query) : [...new Set(this.terms(query))];
    const n = this.docs.length;
    const scored = this.docs.map((tf, d) => {
      let score = 0;
      for (const t of terms) {
        const f = tf.get(t) ?? 0;
        if (f === 0) continue;
        const df = this.df.get(t)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * this.lengths[d]!) / this.avgLength));
      }
      return { id: this.items[d]!.id, score };
    });
    return scored
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map((s) => s.id);
  }
}
