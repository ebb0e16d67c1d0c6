// A short piece of an abstract around the densest cluster of query-word matches.
import { analyze } from './text.js';

const ELLIPSIS = '…';

interface Word {
  start: number;
  end: number;
  /** The query stem this word matches, or null. */
  match: string | null;
}

// Snippets are made for every hit of every search; words repeat, so remember their stems.
const wordStems = new Map<string, string[]>();

function stemsOf(word: string): string[] {
  let stems = wordStems.get(word);
  if (stems === undefined) {
    stems = analyze(word);
    if (wordStems.size > 100_000) wordStems.clear();
    wordStems.set(word, stems);
  }
  return stems;
}

/**
 * At most `maxLen` characters of `text` (plus "…" at a cut end), cut on word boundaries,
 * centred on where query words (compared by stem) are densest; the start of the text if none match.
 */
export function snippet(text: string, query: string, maxLen = 200): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (maxLen <= 0 || clean.length === 0) return '';
  if (clean.length <= maxLen) return clean;

  const wanted = new Set(analyze(query));
  const words: Word[] = [];
  for (const m of clean.matchAll(/\S+/g)) {
    const start = m.index;
    const match = wanted.size > 0 ? (stemsOf(m[0]).find((t) => wanted.has(t)) ?? null) : null;
    words.push({ start, end: start + m[0].length, match });
  }

  // Slide a window of words that fits in maxLen; keep the one with the most distinct matches.
  let best = { from: 0, score: -1 };
  let to = 0;
  for (let from = 0; from < words.length; from++) {
    if (to < from) to = from;
    while (to + 1 < words.length && words[to + 1]!.end - words[from]!.start <= maxLen) to++;
    const score = windowScore(words, from, to);
    if (score > best.score) best = { from, score };
  }
  if (best.score <= 0) return cut(clean, words, 0, maxLen);

  // Start up to a few words before the first match so it reads in context, as long as
  // every match of the chosen window still fits.
  let from = best.from;
  let lastMatch = from;
  for (let i = from; i < words.length && words[i]!.end - words[from]!.start <= maxLen; i++) if (words[i]!.match !== null) lastMatch = i;
  const firstMatch = words.findIndex((w, i) => i >= from && w.match !== null);
  while (from > 0 && firstMatch - from < 4 && words[lastMatch]!.end - words[from - 1]!.start <= maxLen) from--;
  return cut(clean, words, from, maxLen);
}

/** Distinct query stems in the window; a window is a few dozen words, so a scan is cheap. */
function windowScore(words: Word[], from: number, to: number): number {
  const distinct = new Set<string>();
  for (let i = from; i <= to; i++) if (words[i]!.match !== null) distinct.add(words[i]!.match!);
  return distinct.size;
}

/** Words from `from` on that fit in maxLen, with "…" where text was left out. */
function cut(text: string, words: Word[], from: number, maxLen: number): string {
  const start = words[from]!.start;
  let to = from;
  while (to + 1 < words.length && words[to + 1]!.end - start <= maxLen) to++;
  let piece = text.slice(start, words[to]!.end);
  if (piece.length > maxLen) piece = piece.slice(0, maxLen); // one word longer than maxLen
  const head = start > 0 ? ELLIPSIS : '';
  const tail = words[to]!.end < text.length ? ELLIPSIS : '';
  return `${head}${piece}${tail}`;
}
