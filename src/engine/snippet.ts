// A short piece of an abstract around the densest cluster of query-word matches.
import { analyze } from './text/analyze.js';

const ELLIPSIS = '…';

/** Stems as small numbers, so that a word's stems are compared without hashing strings. */
const stemIds = new Map<string, number>();

function stemId(stem: string): number {
  let id = stemIds.get(stem);
  if (id === undefined) {
    // Stems come from a finite vocabulary; a runaway one (pasted junk) just starts over.
    if (stemIds.size > 1_000_000) {
      stemIds.clear();
      wordStems.clear();
      analysed.clear();
      lastQuery = undefined;
    }
    id = stemIds.size;
    stemIds.set(stem, id);
  }
  return id;
}

// Snippets are made for every hit of every search; words repeat, so remember their stems.
const wordStems = new Map<string, Int32Array>();

function stemsOf(word: string): Int32Array {
  let stems = wordStems.get(word);
  if (stems === undefined) {
    stems = Int32Array.from(analyze(word), stemId);
    if (wordStems.size > 100_000) wordStems.clear();
    wordStems.set(word, stems);
  }
  return stems;
}

/** A text cut into words (start/end offsets in `clean`), each with its stems (ids). */
interface Analysed {
  clean: string;
  starts: Uint32Array;
  ends: Uint32Array;
  /** Stems of word i: stems[stemAt[i] .. stemAt[i + 1]]. */
  stemAt: Uint32Array;
  stems: Int32Array;
}

/** The texts snippets were made of recently (the same papers come up query after query), least recent first. */
const analysed = new Map<string, Analysed>();
const MAX_ANALYSED = 4096;

function analyseText(text: string, clean: string): Analysed {
  const cached = analysed.get(text);
  if (cached) {
    analysed.delete(text);
    analysed.set(text, cached);
    return cached;
  }
  // `clean` has single spaces between words and none at either end, so words are what lies between spaces.
  const starts: number[] = [];
  const ends: number[] = [];
  const stemAt: number[] = [0];
  const stems: number[] = [];
  for (let start = 0; start <= clean.length; ) {
    let end = clean.indexOf(' ', start);
    if (end === -1) end = clean.length;
    starts.push(start);
    ends.push(end);
    for (const s of stemsOf(clean.slice(start, end))) stems.push(s);
    stemAt.push(stems.length);
    start = end + 1;
  }
  const entry = { clean, starts: Uint32Array.from(starts), ends: Uint32Array.from(ends), stemAt: Uint32Array.from(stemAt), stems: Int32Array.from(stems) };
  if (analysed.size >= MAX_ANALYSED) analysed.delete(analysed.keys().next().value!);
  analysed.set(text, entry);
  return entry;
}

/**
 * The query's stems (ids) numbered 0…n-1, for the last query seen: a page of results makes one
 * snippet per hit with the same query.
 */
let lastQuery: { text: string; slots: Map<number, number> } | undefined;

function queryStems(query: string): Map<number, number> {
  if (lastQuery?.text !== query) {
    const slots = new Map<number, number>();
    for (const stem of analyze(query).map(stemId)) if (!slots.has(stem)) slots.set(stem, slots.size);
    lastQuery = { text: query, slots };
  }
  return lastQuery.slots;
}

/** Runs of whitespace other than single spaces (NBSP, tabs, newlines, doubled spaces): most abstracts have none. */
const NEEDS_COLLAPSE = /\s\s|[^\S ]/;

/**
 * At most `maxLen` characters of `text` (plus "…" at a cut end), cut on word boundaries,
 * centred on where query words (compared by stem) are densest; the start of the text if none match.
 */
export function snippet(text: string, query: string, maxLen = 200): string {
  if (maxLen <= 0) return '';
  // A text seen recently has its clean form cached: scanning a whole abstract for odd whitespace was a tenth of find.
  const clean = analysed.get(text)?.clean ?? (NEEDS_COLLAPSE.test(text) ? text.replace(/\s+/g, ' ').trim() : text.trim());
  if (clean.length === 0) return '';
  if (clean.length <= maxLen) return clean;

  const wanted = queryStems(query);
  const { starts, ends, stemAt, stems } = analyseText(text, clean);
  const count = starts.length;
  // match[i]: the slot of the query stem word i matches (its first stem that the query has), or -1.
  const match = new Int32Array(count).fill(-1);
  if (wanted.size > 0) {
    for (let i = 0; i < count; i++) {
      for (let s = stemAt[i]!; s < stemAt[i + 1]!; s++) {
        const slot = wanted.get(stems[s]!);
        if (slot !== undefined) {
          match[i] = slot;
          break;
        }
      }
    }
  }

  // Slide a window of words that fits in maxLen; keep the one with the most distinct matches.
  // Counts per query stem are kept incrementally, so long texts stay linear.
  const inWindow = new Int32Array(wanted.size);
  let distinct = 0;
  const enter = (i: number) => {
    const m = match[i]!;
    if (m >= 0 && inWindow[m]!++ === 0) distinct++;
  };
  const leave = (i: number) => {
    const m = match[i]!;
    if (m >= 0 && --inWindow[m]! === 0) distinct--;
  };
  let bestFrom = 0;
  let bestScore = -1;
  let to = -1;
  for (let from = 0; from < count; from++) {
    if (to < from) {
      to = from;
      enter(from);
    }
    while (to + 1 < count && ends[to + 1]! - starts[from]! <= maxLen) enter(++to);
    if (distinct > bestScore) {
      bestFrom = from;
      bestScore = distinct;
    }
    leave(from);
  }
  const best = { from: bestFrom, score: bestScore };
  if (best.score <= 0) return cut(clean, starts, ends, 0, maxLen);

  // Start up to a few words before the first match so it reads in context, as long as
  // every match of the chosen window still fits.
  let from = best.from;
  let lastMatch = from;
  for (let i = from; i < count && ends[i]! - starts[from]! <= maxLen; i++) if (match[i]! >= 0) lastMatch = i;
  let firstMatch = -1;
  for (let i = from; i < count; i++) {
    if (match[i]! >= 0) {
      firstMatch = i;
      break;
    }
  }
  while (from > 0 && firstMatch - from < 4 && ends[lastMatch]! - starts[from - 1]! <= maxLen) from--;
  return cut(clean, starts, ends, from, maxLen);
}

/** Words from `from` on that fit in maxLen, with "…" where text was left out. */
function cut(text: string, starts: Uint32Array, ends: Uint32Array, from: number, maxLen: number): string {
  const start = starts[from]!;
  let to = from;
  while (to + 1 < starts.length && ends[to + 1]! - start <= maxLen) to++;
  let piece = text.slice(start, ends[to]!);
  if (piece.length > maxLen) piece = piece.slice(0, maxLen); // one word longer than maxLen
  const head = start > 0 ? ELLIPSIS : '';
  const tail = ends[to]! < text.length ? ELLIPSIS : '';
  return `${head}${piece}${tail}`;
}
