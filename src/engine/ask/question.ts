/**
 * Reading a question. What it asks for, read from its wording: the answer's type (a number, a
 * cause, a method, a name, an acronym's expansion) decides which sentence of an
 * abstract answers it, beyond the words the sentence shares with the question.
 * Also its content words and the names it gives ("BLT", "GPT-4", "Llama 3").
 */
import { analyze } from '../text/analyze.js';
import { escapeRegExp } from './regexp.js';

export type AnswerType = 'acronym' | 'quantity' | 'cause' | 'method' | 'condition' | 'name' | 'definition' | 'other';

export interface QuestionShape {
  type: AnswerType;
  /** For 'acronym': the acronym to expand, as written ("RSQ"). */
  acronym?: string;
  /** The question asks for the best / a comparison ("works best", "outperform"). */
  comparative: boolean;
  /** The question is about earlier work ("existing recipes"), not the paper's own contribution. */
  aboutPriorWork: boolean;
}

const ACRONYM_QUESTION = [
  /\bwhat\s+(?:does|do|did)\s+(?:the\s+)?(?:acronym\s+|abbreviation\s+|name\s+)?["“']?([\p{L}\d][\p{L}\d-]*)["”']?\s+(?:stand|standing)\s+for\b/iu,
  /\bwhat\s+is\s+(?:the\s+)?["“']?([\p{L}\d][\p{L}\d-]*)["”']?\s+(?:short|an?\s+(?:acronym|abbreviation))\s+for\b/iu,
  /\b(?:expand|expansion\s+of|full\s+(?:name|form)\s+of|spell\s+out|long\s+form\s+of)\s+(?:the\s+(?:acronym|abbreviation)\s+)?["“']?([\p{L}\d][\p{L}\d-]*)/iu,
  /\bwhat\s+does\s+(?:the\s+)?(?:acronym|abbreviation)\s+["“']?([\p{L}\d][\p{L}\d-]*)["”']?\s+mean\b/iu,
  /\bwhat\s+does\s+["“']?(\p{Lu}[\p{Lu}\d-]*\p{Lu}[\p{L}\d-]*)["”']?\s+mean\b/u,
];

const QUANTITY_QUESTION =
  /\b(how (much|many|fast|faster|slow|slower|long|large|big|small|smaller|far|often|high|low|deep|wide|sparse|compact|accurate|precise|cheap|cheaper|expensive|close|strong|quick|heavy|light)|max(?:imum)?|min(?:imum)?|by how|by what (factor|margin)|what (factor|margin)|(what|which)\s+(?:[\w-]+\s+){0,2}(percentage|percent|fraction|share|proportion|scores?|accuracy|number|rate|speed|speed-?up|sizes?|ratio|fid|bleu|psnr|auroc|bitrate|value|length|scale|compression|reduction|improvement|gain|count|budget|cost|throughput|latency))\b/i;

const CAUSE_QUESTION = /^\s*why\b|\bwhat\s+(causes|caused|makes|made|explains|drives|is the (reason|cause))\b|\bfor what reason\b|\bwhat (is|are) (the )?(reasons?|causes?)\b/i;
const METHOD_QUESTION = /^\s*(how\s+(does|do|did|is|are|can|was|were)\b|in what way|by what (means|mechanism))/i;
const CONDITION_QUESTION = /^\s*(when|under what (conditions?|circumstances))\b/i;
const NAME_QUESTION = /^\s*(which|who)\b|^\s*what\s+(?!is\b|are\b|does\b|do\b|did\b|was\b|were\b|makes?\b|happens?\b)\w+|\b(called|named|name of)\b/i;
const DEFINITION_QUESTION = /^\s*(what|who)\b/i;
const COMPARATIVE_QUESTION =
  /\b(best|better|worse|worst|most|least|outperforms?|beats?|superior|compared?|versus|vs\.?|than|faster|slower|more|less|fewer|over|against|baselines?|prior|previous|existing|earlier)\b/i;
const PRIOR_WORK = /\b(previous|prior|existing|earlier|conventional|traditional|recent (studies|works?|methods|approaches)|current (approaches|methods)|standard|baselines?|state-of-the-art)\b/i;

export function readQuestion(question: string): QuestionShape {
  const comparative = COMPARATIVE_QUESTION.test(question);
  const aboutPriorWork = PRIOR_WORK.test(question);
  const shape = (type: AnswerType, acronym?: string): QuestionShape =>
    acronym ? { type, acronym, comparative, aboutPriorWork } : { type, comparative, aboutPriorWork };
  for (const pattern of ACRONYM_QUESTION) {
    const m = pattern.exec(question);
    if (m?.[1] && /\p{L}/u.test(m[1])) return shape('acronym', m[1]);
  }
  if (QUANTITY_QUESTION.test(question)) return shape('quantity');
  if (CAUSE_QUESTION.test(question)) return shape('cause');
  if (METHOD_QUESTION.test(question)) return shape('method');
  if (CONDITION_QUESTION.test(question)) return shape('condition');
  if (NAME_QUESTION.test(question)) return shape('name');
  if (DEFINITION_QUESTION.test(question)) return shape('definition');
  return shape('other');
}

// ---------------------------------------------------------------------------
// Content words

/** Question words that carry no content ("how", "much", "does"). Run through `analyze` so stems match. */
const QUESTION_WORDS = [
  'what', 'whats', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'much', 'many', 'does', 'do',
  'did', 'done', 'can', 'could', 'would', 'should', 'will', 'shall', 'may', 'might', 'must', 'is', 'are', 'was',
  'were', 'be', 'been', 'being', 'get', 'gets', 'got', 'tell', 'me', 'i', 'you', 'your', 'about', 'paper',
  'papers', 'collection', 'there', 'their', 'they', 'them', 'it', 'its', 'some', 'any', 'one', 'use', 'used',
  'uses', 'using', 'kind', 'type', 'called', 'name', 'named', 'exactly', 'please', 'know', 'say', 'says',
  'into', 'than', 'up', 'so', 'if', 'not', 'all', 'also', 'just', 'still', 'very', 'in', 'on', 'of', 'to', 'for', 'work', 'works',
];

let questionStems: Set<string> | undefined;
function isQuestionWord(term: string): boolean {
  questionStems ??= new Set(QUESTION_WORDS.flatMap((w) => [w, ...analyze(w)]));
  return questionStems.has(term);
}

/** The question's content terms: analysed, question words ("how", "much", "does") left out. */
export function contentTerms(asked: string): string[] {
  return [...new Set(analyze(asked))].filter((t) => !isQuestionWord(t));
}

// ---------------------------------------------------------------------------
// Names

const QUESTION_OPENERS = new Set(['what', 'which', 'who', 'whom', 'whose', 'why', 'how', 'when', 'where', 'does', 'do', 'did', 'is', 'are', 'can', 'according', 'in', 'for', 'i']);

/**
 * Names the question mentions: "BLT", "LoRACode", "GPT-4", "H100s", "Whisper" (a capital
 * inside the question, not its first word). A paper that answers must mention them all:
 * "Which tokenizer does Whisper use?" is not answered by a paper about other tokenizers.
 */
export interface QuestionName {
  word: string;
  /** A version number written after the name ("Llama 3"): the paper must name that version. */
  version?: string;
  /** Spelled like a name (LoRACode, GPT-4), not merely capitalised (Whisper, States). */
  distinctive: boolean;
}

/** Whether `text` names `name` in the version the question gives ("Llama 3", not "LLaMA-2"). */
export function namesVersion(text: string, name: QuestionName): boolean {
  if (!name.version) return true;
  return new RegExp(`${escapeRegExp(name.word)}[\\s-]*v?${escapeRegExp(name.version)}(?![\\d.])`, 'i').test(text);
}

export function questionNames(question: string): QuestionName[] {
  const names: QuestionName[] = [];
  const words = question.match(/[\p{L}\d][\p{L}\d.:'’-]*[\p{L}\d]|[\p{L}\d]/gu) ?? [];
  words.forEach((raw, i) => {
    const word = raw.replace(/['’]s$/u, '');
    const innerCapital = /^.+\p{Lu}/u.test(word);
    const lettersAndDigits = /^\p{L}/u.test(word) && /\d/.test(word); // GPT-4, H100, FP8 (not 256x256, 50k)
    const capitalised = i > 0 && /^\p{Lu}/u.test(word) && !QUESTION_OPENERS.has(word.toLowerCase());
    if (innerCapital || lettersAndDigits || capitalised) {
      const version = /^\d+(?:\.\d+)?$/.test(words[i + 1] ?? '') ? words[i + 1] : undefined;
      names.push({
        word: word.replace(/(?<=[\p{Lu}\d])s$/u, ''),
        distinctive: innerCapital || lettersAndDigits || version !== undefined,
        ...(version ? { version } : {}),
      });
    }
  });
  return names;
}

/** A name from the question as the index spells it: joined form first ("rsq7b"), then its parts. */
export interface NameTerms {
  term: string;
  parts: string[];
  distinctive: boolean;
}

/** The question's names as index terms. */
export function nameTermsOf(names: readonly QuestionName[]): NameTerms[] {
  return names.flatMap((n): NameTerms[] => {
    const [term, ...parts] = analyze(n.word); // "RSQ-7B" → rsq7b, then its parts rsq, 7b
    return term ? [{ term, parts, distinctive: n.distinctive }] : [];
  });
}
