// Abbreviations, so that "llm" and "large language models" meet: the vocabulary files' tables
// (data/vocab), acronyms the collection defines itself ("Low-Rank Adaptation (LoRA)"), and
// matching their phrases in a stem stream.
import { vocabularyFiles } from '../vocab/files.js';
import { normalize } from './normalize.js';
import { phraseStems, stem } from './stem.js';
import { STOP_WORDS } from './tokenize.js';

export interface PhraseRule {
  stems: string[];
  abbreviations: string[];
}

/** Phrase rules indexed by their first stem, longest phrase first. */
export type AbbreviationRules = ReadonlyMap<string, readonly PhraseRule[]>;

/** Adds `pairs` of (phrase, space-separated abbreviations) to a copy of `base`. */
export function compileAbbreviations(
  pairs: readonly (readonly [string, string])[],
  base: AbbreviationRules = new Map(),
): AbbreviationRules {
  const rules = new Map<string, PhraseRule[]>([...base].map(([first, list]) => [first, [...list]]));
  for (const [phrase, abbreviation] of pairs) {
    const stems = phraseStems(phrase);
    const first = stems[0];
    const abbreviations = abbreviation.split(' ').map(stem);
    if (first === undefined || stems.length < 2 || abbreviations.some((a) => stems.includes(a))) continue;
    const list = rules.get(first) ?? [];
    if (list.some((r) => r.stems.join(' ') === stems.join(' '))) continue;
    list.push({ stems, abbreviations });
    list.sort((x, y) => y.stems.length - x.stems.length);
    rules.set(first, list);
  }
  return rules;
}

/**
 * Every vocabulary file's table, for text analysed outside an index (answers, snippets, picks);
 * an index uses the vocabularies chosen for its collection plus what it learns from its abstracts.
 */
export const DEFAULT_ABBREVIATIONS: AbbreviationRules = compileAbbreviations(vocabularyFiles().flatMap((f) => f.abbreviations));

/**
 * `stems` with each phrase's abbreviations added after it; `joined` marks compounds' joined forms.
 * With `inserted`, it gets one flag per output term: true for an added abbreviation.
 */
export function addAbbreviations(stems: string[], joined: boolean[], rulesByFirst: AbbreviationRules, inserted?: boolean[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < stems.length; i++) {
    out.push(stems[i]!);
    const rules = joined[i] ? undefined : rulesByFirst.get(stems[i]!);
    if (!rules) continue;
    for (const rule of rules) {
      const end = phraseEnd(stems, joined, i, rule.stems);
      if (end < 0) continue;
      // Emit after the phrase's last word so phrase adjacency is kept.
      for (let j = i + 1; j <= end; j++) out.push(stems[j]!);
      out.push(...rule.abbreviations);
      if (inserted) {
        while (inserted.length < out.length - rule.abbreviations.length) inserted.push(false);
        for (const _ of rule.abbreviations) inserted.push(true);
      }
      i = end;
      break;
    }
  }
  if (inserted) while (inserted.length < out.length) inserted.push(false);
  return out;
}

/** Index of the last stem of `phrase` when it starts at `at` (joined forms skipped), else -1. */
function phraseEnd(stems: string[], joined: boolean[], at: number, phrase: string[]): number {
  let p = at;
  let last = -1;
  for (const wanted of phrase) {
    while (p < stems.length && joined[p]) p++;
    if (stems[p] !== wanted) return -1;
    last = p++;
  }
  return last;
}

// "Masked Image Modeling (MIM)": up to 8 plain words right before a parenthesised acronym.
const ACRONYM = /^[A-Za-z]{2,10}$/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isWordChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  return LETTER_OR_DIGIT.test(ch);
}

/** Up to `max` plain words right before `at`, each followed by spaces or hyphens; stops at punctuation. */
function wordsBefore(text: string, at: number, max: number): string[] {
  const words: string[] = [];
  let i = at - 1;
  while (words.length < max) {
    const separatorEnd = i;
    while (i >= 0 && (text[i] === ' ' || text[i] === '-' || text[i] === '\n' || text[i] === '\t')) i--;
    if (i === separatorEnd) break;
    const wordEnd = i + 1;
    while (i >= 0 && isWordChar(text[i]!)) i--;
    if (i + 1 === wordEnd) break;
    words.unshift(text.slice(i + 1, wordEnd));
  }
  return words;
}

/** A short form is kept only when one meaning has at least this share of its definitions. */
const DOMINANT_SHARE = 2 / 3;

/**
 * Acronyms the texts define themselves, as (phrase, acronym) pairs: "Low-Rank Adaptation (LoRA)"
 * gives ["low rank adaptation", "lora"]. The acronym's letters must spell the words' starts.
 * A short form defined with several phrases ("CI" for confidence interval and for cardiac index)
 * is ambiguous: it is kept only when one phrase (by stems) has most of its definitions.
 */
export function learnAbbreviations(texts: Iterable<string>): [string, string][] {
  const found = new Map<string, { pair: [string, string]; count: number; meaning: string }>();
  for (const text of texts) {
    // Scan for "(" rather than run one big regex over the text: far faster on large collections.
    for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
      const close = text.slice(open, open + 12).indexOf(')'); // an acronym is short: look no further
      if (close < 0) continue;
      let acronym = text.slice(open + 1, open + close);
      if (!ACRONYM.test(acronym)) continue;
      if (/[A-Z]s$/.test(acronym)) acronym = acronym.slice(0, -1); // LLMs, ViTs
      if ((acronym.match(/[A-Z]/g) ?? []).length < 2) continue;
      const words = wordsBefore(text, open, Math.min(8, acronym.length + 2)).map((w) => normalize(w));
      const phrase = definedPhrase(words, acronym.toLowerCase());
      if (!phrase) continue;
      const key = `${phrase.join(' ')}|${acronym.toLowerCase()}`;
      const entry = found.get(key);
      if (entry) entry.count++;
      else found.set(key, { pair: [phrase.join(' '), acronym.toLowerCase()], count: 1, meaning: phraseStems(phrase.join(' ')).join(' ') });
    }
  }
  // Per short form: definitions per meaning (phrases with the same stems are one meaning).
  const byShort = new Map<string, Map<string, number>>();
  for (const { pair, count, meaning } of found.values()) {
    const meanings = byShort.get(pair[1]) ?? new Map<string, number>();
    meanings.set(meaning, (meanings.get(meaning) ?? 0) + count);
    byShort.set(pair[1], meanings);
  }
  const dominant = new Map<string, string>();
  for (const [short, meanings] of byShort) {
    const total = [...meanings.values()].reduce((a, b) => a + b, 0);
    const [best, n] = [...meanings].sort((a, b) => b[1] - a[1])[0]!;
    if (n >= DOMINANT_SHARE * total) dominant.set(short, best);
  }
  return [...found.values()].filter(({ pair, meaning }) => dominant.get(pair[1]) === meaning).map(({ pair }) => pair);
}

/** The shortest run of final words whose starts spell `letters` (stop words may be skipped). */
function definedPhrase(words: string[], letters: string): string[] | null {
  for (let start = words.length - 1; start >= 0 && words.length - start <= letters.length + 2; start--) {
    const phrase = words.slice(start);
    if (phrase.length >= 2 && !STOP_WORDS.has(phrase[0]!) && spells(phrase, letters, 0, 0)) return phrase;
  }
  return null;
}

function spells(words: string[], letters: string, wi: number, li: number): boolean {
  if (wi === words.length) return li === letters.length;
  const word = words[wi]!;
  // A word gives one or more of its leading letters ("Vision" → "vi" in ViT).
  for (let m = 1; m <= word.length && li + m <= letters.length && word[m - 1] === letters[li + m - 1]; m++) {
    if (spells(words, letters, wi + 1, li + m)) return true;
  }
  return STOP_WORDS.has(word) && spells(words, letters, wi + 1, li);
}
