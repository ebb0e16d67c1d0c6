// Text analysis shared by the lexical index, the snippet maker and anything else that
// needs to compare words: normalisation, tokenisation, stop words, stemming and a small
// table of ML abbreviations so that "llm" and "large language models" meet.
import { stemmer } from 'stemmer';
import { THESAURUS } from './thesaurus.js';

const STOP_WORDS = new Set(
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

const ZERO_WIDTH = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
const COMBINING_MARKS = /\p{M}+/gu;
const PLAIN_ASCII = /^[\x20-\x7E\t\n\r]*$/;
// A word, possibly a compound joined by - _ / + (or . between digits, as in "1.58").
const WORD = /[\p{L}\p{N}]+(?:(?:[-_/+]|\.(?=\p{N}))[\p{L}\p{N}]+)*/gu;
const SEPARATORS = /[-_/+]/;

/** NFKC, lower case, no diacritics, no zero-width or bidi control characters. */
export function normalize(text: string): string {
  // Most abstracts are plain ASCII, where Unicode folding changes nothing but costs time.
  if (PLAIN_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFC');
}

function keep(token: string): boolean {
  return token.length > 1 && !STOP_WORDS.has(token);
}

/** Text ready for word matching: normalised, apostrophes gone (possessive 's dropped, so "clip's" → "clip"). */
function prepare(text: string): string {
  return normalize(text).replace(/['’]s\b/g, '').replace(/['’]/g, '');
}

/** One matched word's tokens: a compound's joined form ("gpt4", null if not kept) and its parts. */
function wordParts(word: string): { joined: string | null; parts: string[] } {
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
function wordTokens(word: string): string[] {
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

// Phrase → abbreviation. Both sides meet on the abbreviation: a text containing the phrase
// also gets the abbreviation as a term, and the abbreviation itself is already a term.
const ABBREVIATIONS: [string, string][] = [
  ['large language model', 'llm'],
  ['multimodal large language model', 'mllm llm'],
  ['vision language model', 'vlm'],
  ['key value', 'kv'],
  ['reinforcement learning', 'rl'],
  ['vision transformer', 'vit'],
  ['neural radiance field', 'nerf'],
  ['implicit neural representation', 'inr'],
  ['neural implicit representation', 'inr'],
  ['masked image modeling', 'mim'],
  ['masked autoencoder', 'mae'],
  ['masked auto encoder', 'mae'],
  ['masked language modeling', 'mlm'],
  ['graph neural network', 'gnn'],
  ['convolutional neural network', 'cnn'],
  ['recurrent neural network', 'rnn'],
  ['byte pair encoding', 'bpe'],
  ['retrieval augmented generation', 'rag'],
  ['low rank adaptation', 'lora'],
  ['mixture of experts', 'moe'],
  ['state space model', 'ssm'],
  ['chain of thought', 'cot'],
  ['generative adversarial network', 'gan'],
  ['variational autoencoder', 'vae'],
  ['self supervised learning', 'ssl'],
  ['natural language processing', 'nlp'],
  ['optical character recognition', 'ocr'],
  ['question answering', 'qa'],
  ['in context learning', 'icl'],
  ['neural machine translation', 'nmt'],
  ['text to image', 't2i'],
  ['post training quantization', 'ptq'],
  ['quantization aware training', 'qat'],
  ['super resolution', 'sr'],
  ['positional encoding', 'pe'],
  ['position encoding', 'pe'],
  ['positional embedding', 'pe'],
  ['position embedding', 'pe'],
];

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

/** The hand-made ML table; indexes add what they learn from their own abstracts. */
export const DEFAULT_ABBREVIATIONS: AbbreviationRules = compileAbbreviations(ABBREVIATIONS);

/** Stems of a phrase's words, compounds by their parts only (joined forms are skipped when matching). */
function phraseStems(phrase: string): string[] {
  return [...prepare(phrase).matchAll(WORD)].flatMap((m) => wordParts(m[0]).parts.map(stem));
}

/** `stems` with each phrase's abbreviations added after it; `joined` marks compounds' joined forms. */
function addAbbreviations(stems: string[], joined: boolean[], rulesByFirst: AbbreviationRules): string[] {
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
      i = end;
      break;
    }
  }
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

/**
 * Acronyms the texts define themselves, as (phrase, acronym) pairs: "Low-Rank Adaptation (LoRA)"
 * gives ["low rank adaptation", "lora"]. The acronym's letters must spell the words' starts.
 */
export function learnAbbreviations(texts: Iterable<string>): [string, string][] {
  const found = new Map<string, [string, string]>();
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
      if (!found.has(key)) found.set(key, [phrase.join(' '), acronym.toLowerCase()]);
    }
  }
  return [...found.values()];
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

/** Tokens reduced to their stems plus abbreviation terms, as the lexical index stores them. */
export function analyze(text: string, abbreviations: AbbreviationRules = DEFAULT_ABBREVIATIONS): string[] {
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
  return addAbbreviations(stems, joined, abbreviations);
}

/** Stemmed thesaurus phrase (stems joined by spaces) → stems it brings along. */
const QUERY_SYNONYMS: Map<string, string[]> = new Map();
let longestSynonymKey = 1;
for (const [phrase, targets] of Object.entries(THESAURUS)) {
  const key = phraseStems(phrase);
  if (key.length === 0) continue;
  longestSynonymKey = Math.max(longestSynonymKey, key.length);
  const joined = key.join(' ');
  const list = QUERY_SYNONYMS.get(joined) ?? [];
  for (const t of phraseStems(targets)) if (!list.includes(t) && !key.includes(t)) list.push(t);
  QUERY_SYNONYMS.set(joined, list);
}

// Words that carry the asking rather than the topic in a typed query ("which method works
// best for …", "papers about …"). Kept, at a low weight, in case they are the topic after all.
const QUERY_FILLER = new Set(
  tokenize(
    'paper papers work works working best good better new recent recently find show shows approach approaches way ways ' +
    'method methods technique techniques use used using make makes help helps get does do can related about anything something ' +
    'happen happens happening idea ideas look looking want need needs question turn run handle relate deal tell possible try',
  ).map(stem),
);

/** Relative weight of a stemmed query term: filler words count for less. */
export function queryTermWeight(stemmed: string): number {
  return QUERY_FILLER.has(stemmed) ? 0.3 : 1;
}

/** Stems a single stemmed query word brings along from the thesaurus. */
export function querySynonyms(stemmed: string): string[] {
  return (QUERY_SYNONYMS.get(stemmed) ?? []).filter((t) => t !== stemmed);
}

/** Stems the thesaurus adds for a query's stems, matching its phrases ("text generation") as well as single words. */
export function queryExpansions(stems: readonly string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < stems.length; i++) {
    for (let n = 1; n <= longestSynonymKey && i + n <= stems.length; n++) {
      for (const t of QUERY_SYNONYMS.get(stems.slice(i, i + n).join(' ')) ?? []) out.add(t);
    }
  }
  for (const s of stems) out.delete(s);
  return [...out];
}
