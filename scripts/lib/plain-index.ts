// The practical floor `npm run bench` compares paperbot with: textbook BM25 (k1 1.2, b 0.75) over
// title + abstract as one field, paperbot's tokenizer and stemmer, an inverted index in typed
// arrays, and a bounded top-k. No synonyms, abbreviations, prefixes, proximity, feedback or snippets.
import { stem } from '../../src/engine/text/stem.js';
import { tokenize } from '../../src/engine/text/tokenize.js';

export class PlainInvertedIndex {
  private readonly termIds = new Map<string, number>();
  private readonly offsets: Uint32Array;
  private readonly docs: Uint32Array;
  private readonly tfs: Uint16Array;
  private readonly norms: Float32Array;
  private readonly scores: Float32Array;

  constructor(items: readonly { title: string; abstract: string }[], private readonly k1 = 1.2, b = 0.75) {
    const lists: { d: number[]; tf: number[] }[] = [];
    const lengths = new Float32Array(items.length);
    items.forEach((item, d) => {
      const counts = new Map<number, number>();
      for (const token of tokenize(`${item.title} ${item.abstract}`)) {
        const term = stem(token);
        let t = this.termIds.get(term);
        if (t === undefined) this.termIds.set(term, (t = lists.push({ d: [], tf: [] }) - 1));
        counts.set(t, (counts.get(t) ?? 0) + 1);
        lengths[d]!++;
      }
      for (const [t, tf] of counts) lists[t]!.d.push(d), lists[t]!.tf.push(tf);
    });
    this.offsets = new Uint32Array(lists.length + 1);
    lists.forEach((l, t) => (this.offsets[t + 1] = this.offsets[t]! + l.d.length));
    this.docs = Uint32Array.from(lists.flatMap((l) => l.d));
    this.tfs = Uint16Array.from(lists.flatMap((l) => l.tf));
    const avg = lengths.reduce((s, x) => s + x, 0) / Math.max(1, items.length);
    this.norms = lengths.map((len) => k1 * (1 - b + (b * len) / avg));
    this.scores = new Float32Array(items.length);
  }

  /** The k best documents (numbers), best first. */
  search(query: string, k = 10): number[] {
    const { offsets, docs, tfs, norms, scores } = this;
    const touched: number[] = [];
    for (const term of new Set(tokenize(query).map(stem))) {
      const t = this.termIds.get(term);
      if (t === undefined) continue;
      const from = offsets[t]!, to = offsets[t + 1]!; // prettier-ignore
      const idf = Math.log(1 + (scores.length - (to - from) + 0.5) / (to - from + 0.5));
      for (let i = from; i < to; i++) {
        const d = docs[i]!;
        if (scores[d] === 0) touched.push(d);
        scores[d]! += (idf * tfs[i]! * (this.k1 + 1)) / (tfs[i]! + norms[d]!);
      }
    }
    const top: number[] = []; // best first, at most k
    for (const d of touched) {
      const s = scores[d]!;
      if (top.length === k && s <= scores[top[k - 1]!]!) continue;
      let i = Math.min(top.length, k - 1);
      for (; i > 0 && scores[top[i - 1]!]! < s; i--) top[i] = top[i - 1]!;
      top[i] = d;
    }
    const out = top.slice(0, k);
    for (const d of touched) scores[d] = 0;
    return out;
  }
}
