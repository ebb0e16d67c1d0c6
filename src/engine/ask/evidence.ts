// Sentence evidence for each answer type: how much a sentence looks like the kind of answer
// the question asks for (a number, a cause, a method, a name, an acronym's expansion).
import type { QuestionShape } from './question.js';
import { escapeRegExp } from './regexp.js';

/** A number that reports a result: 12X, x1500, 43.4%, 1/8, "up to 93x", "less than two percent", 555B. */
const STRONG_QUANTITY =
  /(?:\d+(?:[.,]\d+)?\s*(?:%|×|x\b|times\b|fold\b|-fold\b|percent\b|[kmbt]\b|bpp\b|db\b|points?\b|pp\b|[kmg]?hz\b)|\b[x×]\s?\d+(?:[.,]\d+)?\b|\b\d+\s*\/\s*\d+\b|\b\d+\s*[x×]\s*\d+\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|half|a third|a quarter)\s+(?:percent|times|fold|orders? of magnitude)\b|\borders? of magnitude\b)/i;
const SPELLED_NUMBER = /\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?)\b/i;
const WEAK_QUANTITY = /\d+\.\d+|\b\d{2,}\b|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?)\b|\b\d+\s*(?:bits?|bytes?|hours?|days?|minutes?|layers?|gpus?|tokens?|parameters?|samples?)\b/i;

const NUMBER_WORD = /^(?:[~<>≈]?\d[\d.,]*\s*(?:%|[x×]|[kmbt])?|[x×]\d[\d.,]*|\d+[x×]\d+)$/i;

/**
 * Whether a number stands within three words of one of the question's words ("pretrained
 * on 555B tokens", "five experts"): the number is then about what was asked.
 */
export function numberNearTerms(sentence: string, isQuestionTerm: (word: string) => boolean): boolean {
  const words = sentence.split(/[\s,;:()]+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!NUMBER_WORD.test(w) && !SPELLED_NUMBER.test(w)) continue;
    for (let j = Math.max(0, i - 3); j <= Math.min(words.length - 1, i + 3); j++) {
      if (j !== i && isQuestionTerm(words[j]!)) return true;
    }
  }
  return false;
}

/** 0 (no number), 1 (a plain number) or 2 (a ratio, percentage or factor). */
export function quantityStrength(text: string): number {
  if (STRONG_QUANTITY.test(text)) return 2;
  if (WEAK_QUANTITY.test(text)) return 1;
  return 0;
}

const STRONG_CAUSE =
  /\b(because|due to|owing to|caused by|stems? from|arises? from|attribut\w+ to|the reason|root cause|factors? contribut\w*|contribut\w* to|key to|lies in|leads? to|led to|leading to|result(s|ing)? in|as a result)\b/i;
const WEAK_CAUSE =
  /\b(since|causes?|reasons?|factors?|hence|therefore|thus|consequently|so that|explain\w*|crucial|essential|we (find|found|show|identify|observe|demonstrate|reveal|hypothesi[sz]e) that|is that)\b/i;
const METHOD_SIGNAL =
  /\b(by|via|through|using|uses?|based on|relies on|leverag\w+|employ\w*|appl(y|ies|ying)|adopts?|computes?|estimat\w+|learns?|predicts?|selects?|determin\w+|decides?|segment\w*|introduc\w+|propos\w+|consists? of|with an?)\b/i;
const CONDITION_SIGNAL = /\b(once|when|whenever|if|until|after|before|below|above|exceeds?|threshold|only when)\b/i;
const NAME_SIGNAL = /\bsuch as\b|\be\.g\.|\s(?:[A-Z][a-z]*[A-Z0-9][\w-]*|[A-Z]{2,}[\w-]*|[A-Z][a-z]+(?:[\s-]\d[\w.]*|[\s-][A-Z]\w*))/;
const DEFINITION_SIGNAL = /\b(we (propose|introduce|present|call|dub|term|name)|called|named|termed|dubbed|referred to as|is an? |are an? |consists? of|which (is|are))\b/i;
/** Sentences about other people's work or a contrast with it. */
const PRIOR_WORK_SIGNAL =
  /\b((previous|prior|existing|earlier|conventional|traditional|current|most|many|standard) (work|works|methods?|approaches|models|studies|research|techniques|solutions|systems|recipes|baselines)|recent (studies|works?|advances)|have been (proposed|studied|explored))\b/i;
const CONTRAST_SIGNAL = /\b(beats?|surpass\w*|outperform\w*|compared (to|with)|than)\b/i;
const COMPARATIVE_SIGNAL = /\b(outperform\w*|best|better|superior|surpass\w*|beats?|exceeds?|state-of-the-art|sota|most|higher|lower|than|compared|comparable)\b/i;

/**
 * Whether the sentence gives a cause while pointing back at the sentence before ("the
 * factor contributing to this disparity is …"): it then answers what that sentence says.
 */
export function causeOfPrevious(sentence: string): boolean {
  return STRONG_CAUSE.test(sentence) && /\b(this|these|such|that)\s+\p{L}+/iu.test(sentence);
}

/** How strongly a sentence looks like an answer of the asked type (roughly 0–0.5; negative when it cannot be one). */
export function typeEvidence(
  shape: QuestionShape,
  sentence: string,
  sentenceWithoutAskedNumbers: string,
  /** Lower-cased words the paper's title and the question use for the paper's own work. */
  ownNames?: ReadonlySet<string>,
): number {
  let bonus = 0;
  switch (shape.type) {
    case 'quantity': {
      const strength = quantityStrength(sentenceWithoutAskedNumbers);
      bonus += strength === 2 ? 0.3 : strength === 1 ? 0.12 : -0.2;
      break;
    }
    case 'cause':
      bonus += STRONG_CAUSE.test(sentence) ? 0.25 : WEAK_CAUSE.test(sentence) ? 0.1 : 0;
      break;
    case 'method':
      if (METHOD_SIGNAL.test(sentence)) bonus += 0.1;
      break;
    case 'condition':
      if (CONDITION_SIGNAL.test(sentence)) bonus += 0.1;
      break;
    case 'name':
      // A name the question already gives ("Stable Diffusion") is not the name asked for.
      if (NAME_SIGNAL.test(ownNames ? withoutWords(sentence, ownNames) : sentence)) bonus += 0.1;
      break;
    case 'definition':
      if (DEFINITION_SIGNAL.test(sentence)) bonus += 0.08;
      break;
    case 'acronym':
      if (shape.acronym && expandsAcronym(sentence, shape.acronym)) bonus += 0.6;
      break;
    default:
  }
  if (shape.comparative && COMPARATIVE_SIGNAL.test(sentence)) bonus += 0.08;
  // A question about the paper's own work is answered by what "we" did, not by what others did.
  if (!shape.aboutPriorWork && PRIOR_WORK_SIGNAL.test(sentence)) bonus -= 0.08;
  if (!shape.comparative && CONTRAST_SIGNAL.test(sentence)) bonus -= 0.05;
  // For a number, what counts is whose number it is: a system named before it owns it.
  const aboutWhom = shape.type === 'quantity' ? beforeFirstNumber(sentenceWithoutAskedNumbers) : sentence;
  if (!shape.comparative && namesOtherSystems(aboutWhom, ownNames)) bonus -= 0.05;
  return bonus;
}

/**
 * Whether `sentence` spells out `acronym`: "Full Name (ACR)", "ACR (Full Name)", or
 * "ACR, short for …" / "ACR stands for …".
 */
export function expandsAcronym(sentence: string, acronym: string): boolean {
  const a = escapeRegExp(acronym);
  if (new RegExp(`\\(\\s*${a}s?\\s*[),;:]`, 'i').test(sentence)) return true;
  // "RSQ (Rotate, Scale, then Quantize)": the words in brackets must spell it.
  const spelled = new RegExp(`\\b${a}s?\\s*\\(([^)]{6,})\\)`, 'iu').exec(sentence)?.[1];
  if (spelled && initialsSpell(spelled, acronym)) return true;
  if (new RegExp(`\\b${a}\\b[^.]{0,20}\\b(stands for|short for|abbreviat\\w+)`, 'i').test(sentence)) return true;
  return false;
}

const SYSTEM_NAME = /(?<![\p{L}\d])\p{L}[\p{L}\d]*(?:\p{Lu}|\d)[\p{L}\d.]*(?:-[\p{L}\d.]+)*/gu;

function withoutWords(sentence: string, words: ReadonlySet<string>): string {
  return sentence.replace(/[\p{L}\d]+/gu, (w) => (words.has(w.toLowerCase()) ? '_' : w));
}

function beforeFirstNumber(sentence: string): string {
  const m = /(?<![\p{L}\d.-])\d/u.exec(sentence);
  return m ? sentence.slice(0, m.index) : sentence;
}

/** Whether the sentence names a system (StarCoder2-3B, GPT-4) other than the paper's own. */
function namesOtherSystems(sentence: string, own: ReadonlySet<string> | undefined): boolean {
  for (const m of sentence.matchAll(SYSTEM_NAME)) {
    const name = m[0];
    if (!/^.+(\p{Lu}|\d)/u.test(name) || /^\p{Lu}+s?$/u.test(name)) continue; // plain acronyms (LLM, KV) are vocabulary
    const key = name.toLowerCase().split('-')[0]!.replace(/[^\p{L}\d]/gu, '');
    if (own && [...own].some((o) => o.startsWith(key.slice(0, 5)) || key.startsWith(o.slice(0, 5)))) continue;
    return true;
  }
  return false;
}

/** Whether consecutive words of the title start with the acronym's letters ("Byte Latent Transformer" → BLT). */
export function titleSpells(title: string, acronym: string): boolean {
  const initials = (title.match(/\p{L}[\p{L}\d]*/gu) ?? []).map((w) => w[0]!.toLowerCase()).join('');
  const letters = acronym.toLowerCase().replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && initials.includes(letters);
}

/** Whether the acronym's letters, in order, are initials of the phrase's words (the first one included). */
function initialsSpell(phrase: string, acronym: string): boolean {
  const initials = (phrase.match(/\p{L}[\p{L}\d]*/gu) ?? []).map((w) => w[0]!.toLowerCase());
  const letters = acronym.toLowerCase().replace(/[^\p{L}]/gu, '');
  if (letters.length < 2 || initials[0] !== letters[0]) return false;
  let i = 0;
  for (const c of initials) if (c === letters[i]) i++;
  return i === letters.length;
}
