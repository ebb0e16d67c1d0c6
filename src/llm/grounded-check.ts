/**
 * Checking what a model wrote before anyone sees it: only sentences that cite a given
 * source survive, citations are renumbered by first appearance, refusals are recognised,
 * the length is clamped at a sentence boundary, and mentions are made inert whatever the
 * model wrote. The same cleaning, more lenient about the sentence still being written,
 * serves partial text while a reply streams in.
 */
import { splitSentences } from '../engine/ask/sentences.js';
import { inertMentions, truncate } from '../text.js';
import { NOT_ANSWERED_SENTENCE, type GroundedSource } from './grounded-prompt.js';

/** Fits a Discord embed description with room for the rest of the message. */
export const DEFAULT_MAX_ANSWER_CHARS = 1500;
const MIN_MAX_CHARS = 80;

export interface GroundedCitation<S> {
  /** The number shown in the text: 1, 2, … by first appearance. */
  n: number;
  /** 0-based index into the sources given. */
  sourceIndex: number;
  source: S;
}

export type NotAnsweredReason = 'empty' | 'refusal' | 'uncited';

export interface GroundedAnswer<S> {
  answered: boolean;
  /** Sentences with [n] markers; '' when not answered. */
  text: string;
  citations: GroundedCitation<S>[];
  reason?: NotAnsweredReason;
  /** Sentences removed because they cited no given source (or did not fit). */
  droppedSentences: number;
}

// [1]  [1, 3]  [1-2]  [1][2]  [Source 2]  【1†source】 (normalised to [ ] first)
const NUMBER = String.raw`(?:(?:sources?|refs?|papers?)\.?\s*)?\d{1,3}`;
const CITE_SOURCE = String.raw`\[\s*${NUMBER}(?:\s*(?:[-–,;]|and)\s*${NUMBER})*(?:†[^\]]*)?\s*\]`;
const CITE = new RegExp(CITE_SOURCE, 'gi');
const LEADING_CITES = new RegExp(String.raw`^(?:${CITE_SOURCE}\s*)+`, 'i');
const MAX_RANGE = 10;

/**
 * The model's reply checked against `sources`: answered with cited sentences, or not
 * answered (empty, a refusal, or nothing that cites a given source).
 */
export function checkAnswer<S extends GroundedSource>(
  raw: string,
  sources: readonly S[],
  options: { maxChars?: number } = {},
): GroundedAnswer<S> {
  const maxChars = Math.max(MIN_MAX_CHARS, options.maxChars ?? DEFAULT_MAX_ANSWER_CHARS);
  const sentences = sentencesOf(visibleText(raw, false), false);
  const notAnswered = (reason: NotAnsweredReason): GroundedAnswer<S> => ({
    answered: false,
    text: '',
    citations: [],
    reason,
    droppedSentences: sentences.length,
  });
  if (sentences.length === 0) return notAnswered('empty');
  if (isRefusal(sentences[0] ?? '')) return notAnswered('refusal');
  const cited = sentences.filter((s) => validNumbers(s, sources.length).length > 0 && hasWords(s));
  if (cited.length === 0) return notAnswered(sentences.some(isRefusal) ? 'refusal' : 'uncited');

  const { text, order, used } = compose(cited, sources.length, maxChars);
  const citations = order.map((original, i) => {
    const source = sources[original - 1] as S;
    return { n: i + 1, sourceIndex: original - 1, source };
  });
  return { answered: true, text, citations, droppedSentences: sentences.length - used };
}

/**
 * Partial reply text fit to show while streaming: the same cleaning as checkAnswer, but
 * the sentence being written is shown before its citation arrives, and a half-written
 * [n or reasoning block is hidden. Numbers match what checkAnswer will produce.
 */
export function cleanPartial(raw: string, sourceCount: number, options: { maxChars?: number } = {}): string {
  const maxChars = Math.max(MIN_MAX_CHARS, options.maxChars ?? DEFAULT_MAX_ANSWER_CHARS);
  const sentences = sentencesOf(visibleText(raw, true), true);
  const shown = sentences.filter((s, i) => i === sentences.length - 1 || validNumbers(s, sourceCount).length > 0);
  return compose(shown, sourceCount, maxChars).text;
}


// ---------------------------------------------------------------------------
// Refusals

const REFUSALS = [
  // "I cannot answer …", "I'm unable to determine …", "Unfortunately, I don't know …"
  /^(?:unfortunately,?\s+|sorry,?\s+)?(?:i|we)(?:'m| am)?\s+(?:cannot|can't|can not|(?:am\s+)?unable to|(?:am\s+)?not able to|could not|couldn't|do not|don't)\s+(?:\w+\s+){0,2}?(?:answer|find|determine|tell|say|know|provide|help|infer)\b/i,
  // "The (provided) sources do not say …", "The abstracts don't mention …"
  /\b(?:sources?|papers?|abstracts?|context|documents?|excerpts?|information)\s+(?:provided\s+|given\s+|above\s+)?(?:do(?:es)?\s+not|don't|doesn't|did not|didn't|fail to|never)\s+(?:\w+\s+){0,2}?(?:answer|say|state|mention|contain|provide|address|discuss|specify|include|cover|describe|explain|give|report|tell)/i,
  // "There is no information in the sources about …", "Not enough information …"
  /\b(?:no|not enough|insufficient)\s+(?:relevant\s+|specific\s+)?(?:information|evidence|details?|data|mention)\b.{0,80}\b(?:sources?|papers?|abstracts?|context|provided)\b/i,
  // "… is not mentioned in the sources"
  /\bnot\s+(?:mentioned|stated|specified|addressed|covered|discussed|answered|described|reported)\s+in\s+(?:the\s+|any\s+(?:of\s+the\s+)?)?(?:provided\s+|given\s+)?(?:sources?|papers?|abstracts?|context)/i,
];

const NOT_ANSWERED = NOT_ANSWERED_SENTENCE.toLowerCase().replace(/\W+/g, ' ').trim();

export function isRefusal(sentence: string): boolean {
  const plain = sentence.replace(CITE, ' ').replace(/\s+/g, ' ').trim();
  if (plain.toLowerCase().replace(/\W+/g, ' ').trim() === NOT_ANSWERED) return true;
  return REFUSALS.some((r) => r.test(plain));
}

// ---------------------------------------------------------------------------
// Text → sentences

/** What the reader should see: reasoning blocks gone; while streaming, a half-written tag or [n hidden. */
function visibleText(raw: string, partial: boolean): string {
  let text = raw.replace(/\r\n?/g, '\n').replace(/【/g, '[').replace(/】/g, ']');
  text = text.replace(/<think>[\s\S]*?<\/think>/gi, ' ');
  const close = text.search(/<\/think>/i); // the chat template opened the block: all before it is reasoning
  if (close >= 0) text = text.slice(close + '</think>'.length);
  const open = text.search(/<think>/i); // reasoning never closed (or still going)
  if (open >= 0) text = text.slice(0, open);
  if (partial) text = text.replace(/\[[^\]\n]*$/, '').replace(/<[^>\s]{0,30}$/, '');
  return text;
}

const LIST_MARK = /^\s*(?:#{1,6}\s+|>\s*|[-*+•]\s+|\d{1,2}[.)]\s+)+/;

/** Sentences, one line at a time (a list item is a sentence); a citation after the period joins its sentence. */
function sentencesOf(text: string, partial: boolean): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    const plain = line.replace(LIST_MARK, '').replace(/\*\*|__/g, '').trim();
    // While streaming, the last line is still being written.
    const clean = partial && i === lines.length - 1 ? plain : endSentence(plain);
    if (!clean) continue;
    for (const sentence of splitSentences(clean)) {
      const leading = LEADING_CITES.exec(sentence)?.[0];
      if (leading && out.length > 0) {
        out[out.length - 1] += ` ${leading.trim()}`;
        const rest = sentence.slice(leading.length).trim();
        if (rest) out.push(rest);
      } else {
        out.push(sentence);
      }
    }
  }
  return out;
}

const TRAILING_CITES = new RegExp(String.raw`(?:\s*${CITE_SOURCE})+$`, 'i');

/** A line (a list item) that stops without punctuation gets a period, before its citations: "A [1]" → "A. [1]". */
function endSentence(line: string): string {
  const cites = TRAILING_CITES.exec(line)?.[0] ?? '';
  const body = line.slice(0, line.length - cites.length).trimEnd();
  if (!body || /[.!?…:;]["'”’)\]]*$/.test(body)) return line;
  return `${body}.${cites}`;
}

// ---------------------------------------------------------------------------
// Citations and length

function numbersOf(group: string): number[] {
  const out: number[] = [];
  for (const m of group.matchAll(/(\d{1,3})\s*[-–]\s*(\d{1,3})|(\d{1,3})/g)) {
    if (m[3] !== undefined) {
      out.push(Number(m[3]));
      continue;
    }
    const from = Number(m[1]);
    const to = Number(m[2]);
    if (to >= from && to - from <= MAX_RANGE) for (let k = from; k <= to; k++) out.push(k);
    else out.push(from, to);
  }
  return out;
}

/** More than citations and punctuation: "[1]." alone says nothing. */
function hasWords(sentence: string): boolean {
  return /[\p{L}\p{N}]{2}/u.test(sentence.replace(CITE, ' '));
}

function validNumbers(sentence: string, sourceCount: number): number[] {
  return [...sentence.matchAll(CITE)].flatMap((m) => numbersOf(m[0])).filter((k) => k >= 1 && k <= sourceCount);
}

/** The sentence with each citation group rewritten in new numbers ([7] of 3 sources removed). */
function renumber(sentence: string, sourceCount: number, order: number[]): { body: string; text: string } {
  const text = sentence.replace(CITE, (group) => {
    const valid = [...new Set(numbersOf(group))].filter((k) => k >= 1 && k <= sourceCount);
    const rendered = valid
      .map((k) => {
        if (!order.includes(k)) order.push(k);
        return `[${order.indexOf(k) + 1}]`;
      })
      .join('');
    return rendered ? ` ${rendered}` : ' ';
  });
  return { body: tidy(sentence.replace(CITE, ' ')), text: tidy(text) };
}

function tidy(text: string): string {
  return text.replace(/[ \t]+/g, ' ').replace(/\s+([.,;:!?])/g, '$1').replace(/\(\s*\)/g, '').trim();
}

/**
 * Sentences joined until the next would pass `maxChars` (mentions made inert first, so the
 * count is what Discord sees). A first sentence that alone is too long is cut at a word, its
 * citations kept.
 */
function compose(sentences: string[], sourceCount: number, maxChars: number): { text: string; order: number[]; used: number } {
  let order: number[] = [];
  const parts: string[] = [];
  let length = 0;
  for (const sentence of sentences) {
    const trial = [...order];
    const { text, body } = renumber(sentence, sourceCount, trial);
    const piece = inertMentions(text);
    if (!piece) continue;
    const added = piece.length + (parts.length > 0 ? 1 : 0);
    if (length + added <= maxChars) {
      parts.push(piece);
      length += added;
      order = trial;
      continue;
    }
    if (parts.length === 0) {
      const marks = trial.filter((k) => !order.includes(k)).map((k) => `[${trial.indexOf(k) + 1}]`).join('');
      parts.push(truncate(inertMentions(body), maxChars - marks.length - 1) + (marks ? ` ${marks}` : ''));
      order = trial;
    }
    break;
  }
  return { text: inertMentions(parts.join(' ')), order, used: parts.length };
}
