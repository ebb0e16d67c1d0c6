/**
 * The title autocomplete's word index in flat arrays: sorted words, each with the titles holding it
 * (and how often), and each title's number of distinct words. It scores as MiniSearch 7 does for one
 * field (BM25+ k 1.2, b 0.7, d 0.5; prefix matches weighted 0.375·len/(len + 0.3·extra letters),
 * Levenshtein matches 0.45·len/(len + distance); a title's score times the number of query words it
 * matched), which is what the autocomplete was tuned with, but loads from the index generation as a
 * few array views instead of being rebuilt word by word at every start.
 */
import { BinaryReader, BinaryWriter } from '../store/binary-file.js';
import { lowerBound } from './sorted.js';

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

export class TitleIndex {
  private constructor(
    /** The documents' ids, by document number. */
    readonly ids: string[],
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

  /** Indexes titles (document i is docs[i]) cut into words by `tokenize`. */
  static build(docs: readonly { id: string; title: string }[], tokenize: (text: string) => string[]): TitleIndex {
    const postings = new Map<string, Map<number, number>>();
    const fieldLength = new Uint16Array(docs.length);
    let avg = 0;
    docs.forEach(({ title }, d) => {
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
    const postingDocs = new Uint32Array(offsets[words.length]!);
    const tfs = new Uint16Array(postingDocs.length);
    words.forEach((w, i) => {
      let at = offsets[i]!;
      for (const [d, tf] of postings.get(w)!) {
        postingDocs[at] = d;
        tfs[at++] = Math.min(tf, 65535);
      }
    });
    return TitleIndex.assemble(docs.map((d) => d.id), words, offsets, postingDocs, tfs, fieldLength, avg);
  }

  private static assemble(ids: string[], words: string[], offsets: Uint32Array, docs: Uint32Array, tfs: Uint16Array, fieldLength: Uint16Array, avg: number): TitleIndex {
    const maxLength = words.reduce((m, w) => Math.max(m, w.length), 0);
    const lengthStart = new Uint32Array(maxLength + 2);
    for (const w of words) lengthStart[w.length + 1]!++;
    for (let l = 1; l < lengthStart.length; l++) lengthStart[l]! += lengthStart[l - 1]!;
    const byLength = new Uint32Array(words.length);
    const next = lengthStart.slice();
    words.forEach((w, i) => (byLength[next[w.length]!++] = i));
    return new TitleIndex(ids, words, offsets, docs, tfs, fieldLength, avg, byLength, lengthStart);
  }

  toBuffer(): Buffer {
    return new BinaryWriter()
      .json('meta', { avgFieldLength: this.avgFieldLength })
      .strings('ids', this.ids)
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
    const ids = file.strings('ids');
    const words = file.strings('words');
    const offsets = file.u32('offsets');
    const docs = file.u32('docs');
    const tfs = file.u16('tfs');
    const fieldLength = file.u16('fieldLength');
    if (offsets.length !== words.length + 1 || offsets[words.length] !== docs.length || tfs.length !== docs.length || ids.length !== fieldLength.length) {
      throw new Error('title index is damaged');
    }
    for (let i = 0; i < docs.length; i++) if (docs[i]! >= fieldLength.length) throw new Error('title index is damaged');
    return TitleIndex.assemble(ids, words, offsets, docs, tfs, fieldLength, file.json<{ avgFieldLength: number }>('meta').avgFieldLength);
  }

  /** Documents matching `query` (already cut into words), best first, as MiniSearch's search() orders them. */
  /** Documents matching `query` (already cut into words), best first, as MiniSearch's search() orders them. */
  search(terms: string[], options: TitleSearchOptions): number[] {
    if (terms.length === 0) return [];
    const distinct = [...new Set(terms)];
    const perTerm = terms.map((term, i) =>
      this.termMatches(term, 1 << distinct.indexOf(term), options.prefix(term, i, terms), options.fuzzy?.(term, i, terms) ?? false, options.maxFuzzy ?? 6),
    );
    const combined = perTerm.reduce((a, b) => (options.combineWith === 'AND' ? and(a, b) : or(a, b)));
    const scored = combined.docs.map((d, i) => ({ d, score: combined.scores[i]! * popcount(combined.masks[i]!) }));
    return scored.sort((x, y) => y.score - x.score).map((x) => x.d);
  }

  /** The documents one query word matches, in MiniSearch's order, with their scores; `bit` marks the word. */
  private termMatches(term: string, bit: number, prefix: boolean, fuzzy: number | false, maxFuzzy: number): Results {
    const results = new Results(bit);
    const exact = this.find(term);
    if (exact >= 0) this.addResults(exact, 1, results);
    const prefixStart = this.lowerBound(term);
    let prefixEnd = prefixStart;
    if (prefix) {
      for (let w = prefixStart; w < this.words.length && this.words[w]!.startsWith(term); w++, prefixEnd = w) {
        if (w === exact) continue;
        const word = this.words[w]!;
        this.addResults(w, (PREFIX_WEIGHT * word.length) / (word.length + 0.3 * (word.length - term.length)), results);
      }
    }
    if (fuzzy !== false) {
      const maxDistance = fuzzy < 1 ? Math.min(maxFuzzy, Math.round(term.length * fuzzy)) : fuzzy;
      if (maxDistance) {
        for (const [w, distance] of this.fuzzyMatches(term, maxDistance)) {
          // Exact and prefix matches are scored as such, not again as typos.
          if (w === exact || (w >= prefixStart && w < prefixEnd)) continue;
          const word = this.words[w]!;
          this.addResults(w, (FUZZY_WEIGHT * word.length) / (word.length + distance), results);
        }
      }
    }
    return results;
  }

  /**
   * Words within `max` edits of `term` (Levenshtein), in sorted order, with their distance: one edit
   * matrix row per letter, shared by words that begin alike, and all the words that begin with a
   * prefix already too far from `term` skipped at once (as a walk down a trie of the words would).
   */
  private fuzzyMatches(term: string, max: number): [number, number][] {
    const out: [number, number][] = [];
    const n = term.length;
    // rows[i]: the edit-distance row after the first i letters of `current`.
    const rows: Int32Array[] = [Int32Array.from({ length: n + 1 }, (_, j) => j)];
    let current = '';
    for (let w = 0; w < this.words.length; ) {
      const word = this.words[w]!;
      let common = 0;
      const limit = Math.min(current.length, word.length);
      while (common < limit && current.charCodeAt(common) === word.charCodeAt(common)) common++;
      current = word;
      let tooFar = 0;
      for (let i = common + 1; i <= word.length; i++) {
        const above = rows[i - 1]!;
        const row = (rows[i] ??= new Int32Array(n + 1));
        row[0] = i;
        let rowMin = i;
        const c = word.charCodeAt(i - 1);
        for (let j = 1; j <= n; j++) {
          const v = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (term.charCodeAt(j - 1) === c ? 0 : 1));
          row[j] = v;
          if (v < rowMin) rowMin = v;
        }
        if (rowMin > max) {
          tooFar = i;
          break;
        }
      }
      if (tooFar > 0) {
        // No word beginning with these letters comes back within `max`: skip them all.
        const stem = word.slice(0, tooFar);
        current = word.slice(0, tooFar - 1);
        w++;
        while (w < this.words.length && this.words[w]!.startsWith(stem)) w++;
        continue;
      }
      const distance = rows[word.length]![n]!;
      if (distance <= max) out.push([w, distance]);
      w++;
    }
    return out;
  }

  private addResults(w: number, weight: number, results: Results): void {
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
      results.add(d, weight * raw);
    }
  }

  private lowerBound(term: string): number {
    return lowerBound(this.words, term);
  }

  private find(term: string): number {
    const at = this.lowerBound(term);
    return this.words[at] === term ? at : -1;
  }
}

/** Documents in the order they were first matched, with their scores and which query words they matched. */
class Results {
  readonly docs: number[] = [];
  readonly scores: number[] = [];
  readonly masks: number[] = [];
  private readonly at = new Map<number, number>();

  constructor(private readonly bit: number) {}

  add(d: number, score: number, mask = this.bit): void {
    const i = this.at.get(d);
    if (i === undefined) {
      this.at.set(d, this.docs.length);
      this.docs.push(d);
      this.scores.push(score);
      this.masks.push(mask);
    } else {
      this.scores[i]! += score;
      this.masks[i]! |= mask;
    }
  }

  indexOf(d: number): number | undefined {
    return this.at.get(d);
  }
}

/** Documents in both, in b's order (as MiniSearch's AND). */
function and(a: Results, b: Results): Results {
  const out = new Results(0);
  b.docs.forEach((d, j) => {
    const i = a.indexOf(d);
    if (i !== undefined) out.add(d, a.scores[i]! + b.scores[j]!, a.masks[i]! | b.masks[j]!);
  });
  return out;
}

/** Documents in either: a's, then b's new ones (as MiniSearch's OR). */
function or(a: Results, b: Results): Results {
  b.docs.forEach((d, j) => a.add(d, b.scores[j]!, b.masks[j]!));
  return a;
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}
