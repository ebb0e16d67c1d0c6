/**
 * The title autocomplete's word index in flat arrays: sorted words, each with the titles holding it
 * (and how often), and each title's number of distinct words. It scores as MiniSearch 7 does for one
 * field (BM25+ k 1.2, b 0.7, d 0.5; prefix matches weighted 0.375·len/(len + 0.3·extra letters),
 * Levenshtein matches 0.45·len/(len + distance); a title's score times the number of query words it
 * matched), which is what the autocomplete was tuned with, but loads from the index generation as a
 * few array views instead of being rebuilt word by word at every start.
 */
import { BinaryReader, BinaryWriter } from '../store/binary-file.js';

export interface TitleSearchOptions {
  /** Does query word i also match the words it begins? */
  prefix(term: string, i: number, terms: string[]): boolean;
  /** Typo tolerance for query word i: a share of its length (0.2) or false. */
  fuzzy?: (term: string, i: number, terms: string[]) => number | false;
  /** At most this many edits, whatever the share. */
  maxFuzzy?: number;
  /** Every query word must match (AND), or any (OR). */
  combineWith: 'AND' | 'OR';
}

const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

interface Match {
  score: number;
  terms: string[];
}

export class TitleIndex {
  private constructor(
    /** Distinct words, sorted. */
    private readonly words: string[],
    /** Titles of word w: docs[offsets[w] .. offsets[w + 1]], ascending, with the count in tfs. */
    private readonly offsets: Uint32Array,
    private readonly docs: Uint32Array,
    private readonly tfs: Uint16Array,
    /** Distinct words per title. */
    private readonly fieldLength: Uint16Array,
    private readonly avgFieldLength: number,
    /** Word ids by length: byLength[lengthStart[len] .. lengthStart[len + 1]]. */
    private readonly byLength: Uint32Array,
    private readonly lengthStart: Uint32Array,
  ) {}

  get size(): number {
    return this.fieldLength.length;
  }

  /** Indexes titles (title i is document i) cut into words by `tokenize`. */
  static build(titles: readonly string[], tokenize: (text: string) => string[]): TitleIndex {
    const postings = new Map<string, Map<number, number>>();
    const fieldLength = new Uint16Array(titles.length);
    let avg = 0;
    titles.forEach((title, d) => {
      const tokens = tokenize(title);
      for (const t of tokens) {
        let docs = postings.get(t);
        if (!docs) postings.set(t, (docs = new Map()));
        docs.set(d, (docs.get(d) ?? 0) + 1);
      }
      const length = new Set(tokens).size;
      fieldLength[d] = Math.min(length, 65535);
      // The running average, computed as MiniSearch does, so that scores match to the last bit.
      avg = (avg * d + length) / (d + 1);
    });
    const words = [...postings.keys()].sort();
    const offsets = new Uint32Array(words.length + 1);
    words.forEach((w, i) => (offsets[i + 1] = offsets[i]! + postings.get(w)!.size));
    const docs = new Uint32Array(offsets[words.length]!);
    const tfs = new Uint16Array(docs.length);
    words.forEach((w, i) => {
      let at = offsets[i]!;
      for (const [d, tf] of postings.get(w)!) {
        docs[at] = d;
        tfs[at++] = Math.min(tf, 65535);
      }
    });
    return TitleIndex.assemble(words, offsets, docs, tfs, fieldLength, avg);
  }

  private static assemble(words: string[], offsets: Uint32Array, docs: Uint32Array, tfs: Uint16Array, fieldLength: Uint16Array, avg: number): TitleIndex {
    const maxLength = words.reduce((m, w) => Math.max(m, w.length), 0);
    const lengthStart = new Uint32Array(maxLength + 2);
    for (const w of words) lengthStart[w.length + 1]!++;
    for (let l = 1; l < lengthStart.length; l++) lengthStart[l]! += lengthStart[l - 1]!;
    const byLength = new Uint32Array(words.length);
    const next = lengthStart.slice();
    words.forEach((w, i) => (byLength[next[w.length]!++] = i));
    return new TitleIndex(words, offsets, docs, tfs, fieldLength, avg, byLength, lengthStart);
  }

  toBuffer(): Buffer {
    return new BinaryWriter()
      .json('meta', { avgFieldLength: this.avgFieldLength })
      .strings('words', this.words)
      .array('offsets', this.offsets)
      .array('docs', this.docs)
      .array('tfs', this.tfs)
      .array('fieldLength', this.fieldLength)
      .toBuffer();
  }

  /** An index saved by toBuffer; throws when it is damaged. */
  static fromBuffer(bytes: Buffer): TitleIndex {
    const file = BinaryReader.from(bytes, 'title index');
    const words = file.strings('words');
    const offsets = file.u32('offsets');
    const docs = file.u32('docs');
    const tfs = file.u16('tfs');
    const fieldLength = file.u16('fieldLength');
    if (offsets.length !== words.length + 1 || offsets[words.length] !== docs.length || tfs.length !== docs.length) throw new Error('title index is damaged');
    for (let i = 0; i < docs.length; i++) if (docs[i]! >= fieldLength.length) throw new Error('title index is damaged');
    return TitleIndex.assemble(words, offsets, docs, tfs, fieldLength, file.json<{ avgFieldLength: number }>('meta').avgFieldLength);
  }

  /** Documents matching `query` (already cut into words), best first, as MiniSearch's search() orders them. */
  search(terms: string[], options: TitleSearchOptions): number[] {
    if (terms.length === 0) return [];
    const perTerm = terms.map((term, i) => this.termMatches(term, options.prefix(term, i, terms), options.fuzzy?.(term, i, terms) ?? false, options.maxFuzzy ?? 6));
    const combined = perTerm.reduce((a, b) => (options.combineWith === 'AND' ? and(a, b) : or(a, b)));
    const scored = [...combined].map(([d, m]) => ({ d, score: m.score * (m.terms.length || 1) }));
    return scored.sort((x, y) => y.score - x.score).map((x) => x.d);
  }

  private termMatches(term: string, prefix: boolean, fuzzy: number | false, maxFuzzy: number): Map<number, Match> {
    const results = new Map<number, Match>();
    const exact = this.find(term);
    if (exact >= 0) this.addResults(term, exact, 1, results);
    const prefixed = new Set<number>();
    if (prefix) {
      for (let w = exact >= 0 ? exact + 1 : this.lowerBound(term); w < this.words.length && this.words[w]!.startsWith(term); w++) {
        const word = this.words[w]!;
        prefixed.add(w);
        this.addResults(term, w, (PREFIX_WEIGHT * word.length) / (word.length + 0.3 * (word.length - term.length)), results);
      }
    }
    if (fuzzy !== false) {
      const maxDistance = fuzzy < 1 ? Math.min(maxFuzzy, Math.round(term.length * fuzzy)) : fuzzy;
      if (maxDistance) {
        const from = this.lengthStart[Math.max(0, term.length - maxDistance)] ?? this.words.length;
        const to = this.lengthStart[Math.min(this.lengthStart.length - 1, term.length + maxDistance + 1)] ?? this.words.length;
        const matches: [number, number][] = [];
        for (let i = from; i < to; i++) {
          const w = this.byLength[i]!;
          if (w === exact || prefixed.has(w)) continue;
          const distance = levenshtein(term, this.words[w]!, maxDistance);
          if (distance <= maxDistance) matches.push([w, distance]);
        }
        matches.sort((a, b) => a[0] - b[0]);
        for (const [w, distance] of matches) {
          const word = this.words[w]!;
          this.addResults(term, w, (FUZZY_WEIGHT * word.length) / (word.length + distance), results);
        }
      }
    }
    return results;
  }

  private addResults(sourceTerm: string, w: number, weight: number, results: Map<number, Match>): void {
    const { k, b, d: delta } = BM25;
    const from = this.offsets[w]!;
    const to = this.offsets[w + 1]!;
    const matching = to - from;
    const total = this.fieldLength.length;
    const idf = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
    for (let i = from; i < to; i++) {
      const d = this.docs[i]!;
      const tf = this.tfs[i]!;
      const raw = idf * (delta + (tf * (k + 1)) / (tf + k * (1 - b + (b * this.fieldLength[d]!) / this.avgFieldLength)));
      const score = weight * raw;
      const existing = results.get(d);
      if (existing) {
        existing.score += score;
        if (!existing.terms.includes(sourceTerm)) existing.terms.push(sourceTerm);
      } else {
        results.set(d, { score, terms: [sourceTerm] });
      }
    }
  }

  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words[mid]! < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private find(term: string): number {
    const at = this.lowerBound(term);
    return this.words[at] === term ? at : -1;
  }
}

function and(a: Map<number, Match>, b: Map<number, Match>): Map<number, Match> {
  const combined = new Map<number, Match>();
  for (const [d, m] of b) {
    const existing = a.get(d);
    if (!existing) continue;
    for (const t of m.terms) if (!existing.terms.includes(t)) existing.terms.push(t);
    combined.set(d, { score: existing.score + m.score, terms: existing.terms });
  }
  return combined;
}

function or(a: Map<number, Match>, b: Map<number, Match>): Map<number, Match> {
  for (const [d, m] of b) {
    const existing = a.get(d);
    if (!existing) a.set(d, m);
    else {
      existing.score += m.score;
      for (const t of m.terms) if (!existing.terms.includes(t)) existing.terms.push(t);
    }
  }
  return a;
}

/** Levenshtein distance of a and b, or max + 1 once it is sure to exceed `max`. */
function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}
