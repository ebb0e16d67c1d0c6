// Typo tolerance for find: a query word that the collection never uses, close to one it does
// ("quantizaton" → "quantization"), is replaced, and the result says what was searched.
import type { Paper } from '../collection/types.js';
import { normalize } from './text/normalize.js';
import { STOP_WORDS } from './text/tokenize.js';

const WORD = /\p{L}+/gu;
/** Shorter words have too many neighbours to guess from. */
const MIN_LENGTH = 4;
/** Two edits only for long words, and only towards a word the collection uses at least this often. */
const TWO_EDITS_FROM = 8;
const TWO_EDITS_MIN_COUNT = 3;
// People rarely mistype a word's first letter, and a guess that changes it is usually another
// word ("imputation" is not a typo of "computation"): candidates keep the first letter.

export interface Correction {
  /** The query with its corrected words. */
  text: string;
  changes: { from: string; to: string }[];
}

export class SpellingCorrector {
  private words: Map<string, number> | null = null;
  private byLength: Map<number, string[]> | null = null;

  /** `known(word)`: the index already matches this word (its stem, or terms it begins). */
  constructor(
    private readonly papers: readonly Paper[],
    private readonly known: (word: string) => boolean,
  ) {}

  /** Words of the collection with their counts, made on the first unknown word. */
  private vocabulary(): { words: Map<string, number>; byLength: Map<number, string[]> } {
    if (!this.words || !this.byLength) {
      const words = new Map<string, number>();
      for (const p of this.papers) {
        for (const m of normalize(`${p.title} ${p.abstract}`).matchAll(WORD)) {
          if (m[0].length >= 3) words.set(m[0], (words.get(m[0]) ?? 0) + 1);
        }
      }
      const byLength = new Map<number, string[]>();
      for (const w of words.keys()) byLength.set(w.length, [...(byLength.get(w.length) ?? []), w]);
      this.words = words;
      this.byLength = byLength;
    }
    return { words: this.words, byLength: this.byLength };
  }

  /**
   * The query with unknown words corrected, or null when nothing needed (or could be) corrected.
   * Only a query that would mostly miss as typed is changed (at least half of its content words
   * unknown here): an unknown word next to words that match is more often a real word the
   * collection does not use ("blind face restoration") than a typo.
   */
  correct(query: string): Correction | null {
    const content = [...query.matchAll(WORD)].map((m) => normalize(m[0])).filter((w) => w.length > 1 && !STOP_WORDS.has(w));
    const unknown = content.filter((w) => !this.known(w) && !this.vocabulary().words.has(w));
    if (unknown.length === 0 || unknown.length * 2 < content.length) return null;
    const changes: { from: string; to: string }[] = [];
    const text = query.replace(WORD, (word) => {
      const lower = normalize(word);
      if (lower.length < MIN_LENGTH || !unknown.includes(lower)) return word;
      const best = this.closest(lower);
      if (!best) return word;
      changes.push({ from: word, to: best });
      return best;
    });
    return changes.length ? { text, changes } : null;
  }

  private closest(word: string): string | null {
    const { words, byLength } = this.vocabulary();
    const maxEdits = word.length >= TWO_EDITS_FROM ? 2 : 1;
    let best: string | null = null;
    let bestDistance = Infinity;
    let bestCount = 0;
    for (let len = word.length - maxEdits; len <= word.length + maxEdits; len++) {
      for (const candidate of byLength.get(len) ?? []) {
        if (candidate[0] !== word[0]) continue;
        const d = editDistance(word, candidate, maxEdits);
        if (d > maxEdits) continue;
        const count = words.get(candidate)!;
        if (d === 2 && count < TWO_EDITS_MIN_COUNT) continue;
        if (d < bestDistance || (d === bestDistance && (count > bestCount || (count === bestCount && candidate < best!)))) {
          best = candidate;
          bestDistance = d;
          bestCount = count;
        }
      }
    }
    return best;
  }
}

/** Optimal-string-alignment distance (a swap of neighbours is one edit); anything over `max` is max + 1. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    let rowMin = row[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      row[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length]!;
}
