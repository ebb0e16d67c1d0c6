// A text as the lexical index stores it: stems in reading order plus abbreviation terms.
import { addAbbreviations, DEFAULT_ABBREVIATIONS, type AbbreviationRules } from './abbreviations.js';
import { stem } from './stem.js';
import { prepare, SEPARATORS, WORD, wordParts, wordTokens } from './tokenize.js';

/**
 * Stems that occur in `text` only as parts of a hyphenated compound ("fine" and "tune" in
 * "fine-tuning", whose joined form is also a term): a query weighs them less, so one
 * compound does not count as three words.
 */
export function compoundPartStems(text: string): Set<string> {
  const parts = new Set<string>();
  const whole = new Set<string>();
  for (const match of prepare(text).matchAll(WORD)) {
    const tokens = wordTokens(match[0]).map(stem);
    if (SEPARATORS.test(match[0]) && tokens.length > 1) tokens.slice(1).forEach((t) => parts.add(t));
    else tokens.forEach((t) => whole.add(t));
  }
  for (const t of whole) parts.delete(t);
  return parts;
}

// Words repeat a lot across abstracts: caching each word's stems makes indexing ~3× faster.
const wordStemCache = new Map<string, { stems: string[]; joinedFirst: boolean }>();

function wordStems(word: string): { stems: string[]; joinedFirst: boolean } {
  let cached = wordStemCache.get(word);
  if (cached === undefined) {
    const { joined, parts } = wordParts(word);
    cached = { stems: (joined === null ? parts : [joined, ...parts]).map(stem), joinedFirst: joined !== null };
    if (wordStemCache.size > 200_000) wordStemCache.clear();
    wordStemCache.set(word, cached);
  }
  return cached;
}

/**
 * Tokens reduced to their stems plus abbreviation terms, as the lexical index stores them; with
 * `inserted`, one flag per term: true for an abbreviation the rules added.
 */
export function analyze(text: string, abbreviations: AbbreviationRules = DEFAULT_ABBREVIATIONS, inserted?: boolean[]): string[] {
  const stems: string[] = [];
  const joined: boolean[] = [];
  const prepared = prepare(text);
  WORD.lastIndex = 0;
  for (let m = WORD.exec(prepared); m !== null; m = WORD.exec(prepared)) {
    const word = wordStems(m[0]);
    for (let i = 0; i < word.stems.length; i++) {
      stems.push(word.stems[i]!);
      joined.push(i === 0 && word.joinedFirst);
    }
  }
  return addAbbreviations(stems, joined, abbreviations, inserted);
}
