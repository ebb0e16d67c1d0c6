// Stemming: a token to the form the index stores, and a phrase to its words' stems.
import { stemmer } from 'stemmer';
import { prepare, WORD, wordParts } from './tokenize.js';

const stemCache = new Map<string, string>();

/** Porter stem of one normalised token, with British -ise spellings folded into -ize. */
export function stem(token: string): string {
  let cached = stemCache.get(token);
  if (cached !== undefined) return cached;
  let word = token;
  if (word.length >= 7 && /[a-z]is(?:e|ed|es|ing|er|ers|ation|ations)$/.test(word)) {
    word = word.replace(/is(e|ed|es|ing|er|ers|ation|ations)$/, 'iz$1');
  }
  cached = /^[a-z]+$/.test(word) ? stemmer(word) : word;
  if (stemCache.size > 200_000) stemCache.clear();
  stemCache.set(token, cached);
  return cached;
}

/** Stems of a phrase's words, compounds by their parts only (joined forms are skipped when matching). */
export function phraseStems(phrase: string): string[] {
  return [...prepare(phrase).matchAll(WORD)].flatMap((m) => wordParts(m[0]).parts.map(stem));
}
