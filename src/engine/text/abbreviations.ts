// Abbreviations, so that "llm" and "large language models" meet: a hand-made ML table, acronyms
// the collection defines itself ("Low-Rank Adaptation (LoRA)"), and matching their phrases in a stem stream.
import { normalize } from './normalize.js';
import { phraseStems, stem } from './stem.js';
import { STOP_WORDS } from './tokenize.js';

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

/** `stems` with each phrase's abbreviations added after it; `joined` marks compounds' joined forms. */
export function addAbbreviations(stems: string[], joined: boolean[], rulesByFirst: AbbreviationRules): string[] {
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
