// A short piece of an abstract around the densest cluster of query-word matches.
import { analyze } from './text/analyze.js';

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
  // Counts per matched stem are kept incrementally, so long texts stay linear.
  const inWindow = new Map<string, number>();
  const enter = (w: Word) => w.match !== null && inWindow.set(w.match, (inWindow.get(w.match) ?? 0) + 1);
  const leave = (w: Word) => {
    if (w.match === null) return;
    const n = inWindow.get(w.match)! - 1;
    if (n === 0) inWindow.delete(w.match);
    else inWindow.set(w.match, n);
  };
  let best = { from: 0, score: -1 };
  let to = -1;
  for (let from = 0; from < words.length; from++) {
    if (to < from) {
      to = from;
      enter(words[from]!);
    }
    while (to + 1 < words.length && words[to + 1]!.end - words[from]!.start <= maxLen) enter(words[++to]!);
    if (inWindow.size > best.score) best = { from, score: inWindow.size };
    leave(words[from]!);
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
