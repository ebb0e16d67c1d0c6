// Words and their tokens: stop words, compounds ("gpt-4" → "gpt4", "gpt", "4") and token caps.
import { normalize } from './normalize.js';

export const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each either etc few for from further had has have having he her here ' +
    'hers him his how however i if in into is it its itself just me more most my no nor not of off on once only or other ' +
    'our ours out over own same she should so some such than that the their theirs them then there these they this those ' +
    'through thus to too under until up upon us very via was we were what when where whether which while who whom why will ' +
    'with within without would you your yours e g ie eg vs et al'
  ).split(' '),
);

/** Longest token kept; longer runs are cut so that pathological input stays cheap. */
const MAX_TOKEN_LENGTH = 40;

// A word, possibly a compound joined by - _ / + (or . between digits, as in "1.58").
export const WORD = /[\p{L}\p{N}]+(?:(?:[-_/+]|\.(?=\p{N}))[\p{L}\p{N}]+)*/gu;
export const SEPARATORS = /[-_/+]/;

function keep(token: string): boolean {
  return token.length > 1 && !STOP_WORDS.has(token);
}

/** Text ready for word matching: normalised, apostrophes gone (possessive 's dropped, so "clip's" → "clip"). */
export function prepare(text: string): string {
  return normalize(text).replace(/['’]s\b/g, '').replace(/['’]/g, '');
}

/** One matched word's tokens: a compound's joined form ("gpt4", null if not kept) and its parts. */
export function wordParts(word: string): { joined: string | null; parts: string[] } {
  const capped = word.slice(0, MAX_TOKEN_LENGTH * 2);
  if (!SEPARATORS.test(capped)) return { joined: null, parts: keep(capped) ? [capped.slice(0, MAX_TOKEN_LENGTH)] : [] };
  const pieces = capped.split(SEPARATORS).filter((p) => p.length > 0);
  const joined = pieces.join('').slice(0, MAX_TOKEN_LENGTH);
  return {
    joined: pieces.length > 1 && keep(joined) ? joined : null,
    parts: pieces.filter(keep).map((p) => p.slice(0, MAX_TOKEN_LENGTH)),
  };
}

/** The tokens of one matched word: a compound's joined form first, then its parts. */
export function wordTokens(word: string): string[] {
  const { joined, parts } = wordParts(word);
  return joined === null ? parts : [joined, ...parts];
}

/**
 * Lower-cased, normalised word tokens, stop words removed. A compound such as
 * "gpt-4" or "patch-wise" yields its joined form first ("gpt4") and then its parts.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of prepare(text).matchAll(WORD)) out.push(...wordTokens(match[0]));
  return out;
}
