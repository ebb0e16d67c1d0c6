/**
 * Extractive question answering: the answer is made of sentences taken verbatim
 * from the abstracts the retriever returns, each followed by a [n] citation.
 * Nothing is generated, so an answer can never say what no paper says.
 */
import type { Paper } from '../collection/types.js';
import { UserFacingError } from '../errors.js';
import { analyze } from './text.js';

export type Retrieve = (query: string, k: number) => Promise<{ paper: Paper; score: number }[]>;

export interface AnswerOptions {
  /** At most this many sentences in the answer (1–5, default 3). */
  maxSentences?: number;
  /** How many retrieved abstracts to read (default 5). */
  candidates?: number;
  /** The whole collection, for collection-wide term rarity (IDF); without it rarity is judged over the candidates. */
  papers?: readonly Paper[];
}

export interface ExtractiveAnswer {
  answered: boolean;
  answer: string;
  citations: { n: number; paper: Paper }[];
}

export const NO_ANSWER_MESSAGE = "I couldn't find an answer to that in the collection.";

const MAX_QUESTION_CHARS = 1000;
/** Share of the question's (IDF-weighted) content that the best sentence must cover. */
const MIN_COVERAGE = 0.3;
/** Share of the question's content that the answering paper (title + abstract) must mention. */
const MIN_PAPER_COVERAGE = 0.45;
/** A further sentence joins the answer only when it scores at least this share of the best one. */
const FOLLOW_UP_RATIO = 0.7;
const MAX_ANSWER_CHARS = 1500;

// ---------------------------------------------------------------------------
// Sentence splitting

/** Words after which a period does not end a sentence ("e.g.", "et al.", "vs."). */
const ABBREVIATIONS = new Set([
  'e.g', 'i.e', 'eg', 'ie', 'al', 'vs', 'cf', 'fig', 'figs', 'eq', 'eqs', 'approx', 'resp', 'no', 'nos',
  'dr', 'mr', 'ms', 'prof', 'sec', 'incl', 'viz', 'ca', 'st', 'vol', 'pp', 'ref', 'refs', 'tab', 'inc', 'ltd',
]);

/**
 * Splits text into sentences. A boundary is ., ! or ? followed by white space and a
 * character that can start a sentence; periods inside numbers (37.36), URLs and
 * abbreviations (e.g., et al., vs.) are not boundaries.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const boundary = /[.!?]+["'”’)\]]*\s+/g;
  let start = 0;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    const end = m.index + m[0].length;
    const next = text[end];
    if (next === undefined || /\p{Ll}/u.test(next)) continue;
    if (text[m.index] === '.' && endsWithAbbreviation(text.slice(start, m.index))) continue;
    pushSentence(sentences, text.slice(start, end));
    start = end;
  }
  pushSentence(sentences, text.slice(start));
  return sentences;
}

function endsWithAbbreviation(before: string): boolean {
  const word = /([\p{L}.]+)$/u.exec(before)?.[1];
  if (!word) return false;
  if (/^\p{Lu}$/u.test(word)) return true; // an initial: "J. Smith"
  return ABBREVIATIONS.has(word.toLowerCase());
}

function pushSentence(out: string[], raw: string): void {
  const s = raw.replace(/\s+/g, ' ').trim();
  if (s) out.push(s);
}

// ---------------------------------------------------------------------------
// Question analysis

/** Question words that carry no content ("how", "much", "does"). Run through `analyze` so stems match. */
const QUESTION_WORDS = [
  'what', 'whats', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'much', 'many', 'does', 'do',
  'did', 'done', 'can', 'could', 'would', 'should', 'will', 'shall', 'may', 'might', 'must', 'is', 'are', 'was',
  'were', 'be', 'been', 'being', 'get', 'gets', 'got', 'tell', 'me', 'i', 'you', 'your', 'about', 'paper',
  'papers', 'collection', 'there', 'their', 'they', 'them', 'it', 'its', 'some', 'any', 'one', 'use', 'used',
  'uses', 'using', 'kind', 'type', 'called', 'name', 'named', 'exactly', 'please', 'know', 'say', 'says',
  'into', 'than', 'up', 'so', 'if', 'not', 'all', 'also', 'just', 'still', 'very', 'in', 'on', 'of', 'to', 'for',
];

let questionStems: Set<string> | undefined;
function isQuestionWord(term: string): boolean {
  questionStems ??= new Set(QUESTION_WORDS.flatMap((w) => [w, ...analyze(w)]));
  return questionStems.has(term);
}

type QuestionKind = 'quantity' | 'definition' | 'other';

const QUANTITY_CUE =
  /\b(how (much|many|fast|faster|long|large|big|small|far|often|well|high|low|good)|by how|(what|which)\b.{0,30}\b(percentage|percent|fraction|share|proportion|scores?|accuracy|number|rate|speed|speedup|sizes?|ratio|fid|bleu|psnr|bitrate|value|length|scale))\b/i;
const DEFINITION_CUE = /^\s*(what|which|who)\b/i;

function questionKind(question: string): QuestionKind {
  if (QUANTITY_CUE.test(question)) return 'quantity';
  if (DEFINITION_CUE.test(question)) return 'definition';
  return 'other';
}

/** A quantity worth reporting: 12X, 37.70, 43.4%, 128K, 0.5times, "4 to 7 times". */
const QUANTITY = /\d+(?:[.,]\d+)?\s*(?:%|x\b|×|times|fold|k\b|m\b|b\b|bpp|bits?|bytes?|hours?|days?|layers?|points?|psnr|db)|\d+\.\d+|\b\d{2,}\b/i;
const DEFINITION_SIGNAL = /\b(we (propose|introduce|present|call|dub|term|name)|called|named|termed|dubbed|referred to as|is an? |are an? |consists? of|which (is|are))\b/i;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;

// ---------------------------------------------------------------------------
// Term rarity

/** Collection document frequencies, computed once per collection array. */
const dfCache = new WeakMap<readonly Paper[], Map<string, number>>();

function collectionDf(papers: readonly Paper[]): Map<string, number> {
  let df = dfCache.get(papers);
  if (!df) {
    df = new Map();
    for (const p of papers) {
      for (const t of new Set(analyze(`${p.title} ${p.abstract}`))) df.set(t, (df.get(t) ?? 0) + 1);
    }
    dfCache.set(papers, df);
  }
  return df;
}

function idfFunction(documents: number, df: (term: string) => number): (term: string) => number {
  return (term) => {
    const d = df(term);
    return Math.log(1 + (documents - d + 0.5) / (d + 0.5));
  };
}

// ---------------------------------------------------------------------------
// Scoring

interface CandidateSentence {
  text: string;
  terms: Set<string>;
  paper: Paper;
  rank: number;
  titleTerms: Set<string>;
  paperTerms: Set<string>;
  score: number;
  coverage: number;
}

/**
 * How much of a question term a sentence earns. Terms of the paper's title (usually the
 * method's name) identify the paper, not the answer: every sentence of that paper earns
 * most of their weight, so the other terms decide which sentence answers.
 */
const CREDIT_IN_SENTENCE = 1;
const CREDIT_IN_TITLE = 0.8;
const CREDIT_IN_ABSTRACT = 0.35;

/** Question phrasing → the kind of sentence that tends to answer it. */
const CUES: { question: RegExp; sentence: RegExp; bonus: number }[] = [
  {
    question: /\b(instead of|in place of|rather than|replace[sd]?|alternative)\b/i,
    sentence: /\b(instead|alternative|replac\w*|rather than|in place of)\b/i,
    bonus: 0.15,
  },
  { question: /^\s*why\b/i, sentence: /\b(because|due to|since|reason|caused? by|owing to|as a result)\b/i, bonus: 0.15 },
  {
    question: /\b(datasets?|benchmarks?|evaluated|tested|test)\b/i,
    sentence: /\b(experiments?|benchmarks?|datasets?|evaluat\w*|tested|on [A-Z]\w*)\b/,
    bonus: 0.1,
  },
  // "Which …" / "what … called" ask for a name: HiFiC, ADE20K, BM25, CRATE.
  {
    question: /^\s*(which|who)\b|\b(called|named|name of)\b/i,
    sentence: /\s(?:[A-Z][a-z]*[A-Z0-9][\w-]*|[A-Z]{2,}[\w-]*|[A-Z][a-z]+(?:[\s-]\d[\w.]*|[\s-][A-Z]\w*))/,
    bonus: 0.08,
  },
];

function scoreSentence(
  s: CandidateSentence,
  question: string,
  questionTerms: string[],
  idf: (t: string) => number,
  totalWeight: number,
  kind: QuestionKind,
  candidates: number,
): void {
  let earned = 0;
  for (const t of questionTerms) {
    const credit = s.terms.has(t)
      ? CREDIT_IN_SENTENCE
      : s.titleTerms.has(t)
        ? CREDIT_IN_TITLE
        : s.paperTerms.has(t)
          ? CREDIT_IN_ABSTRACT
          : 0;
    earned += credit * idf(t);
  }
  const coverage = earned / totalWeight;
  let score = coverage;

  const plain = s.text.replace(URL, ' ');
  // A number the question already contains ("BitNet b1.58") is not the quantity asked for.
  if (kind === 'quantity') score += QUANTITY.test(withoutNumbersOf(question, plain)) ? 0.25 : -0.2;
  if (kind === 'definition' && DEFINITION_SIGNAL.test(plain)) score += 0.08;
  for (const cue of CUES) if (cue.question.test(question) && cue.sentence.test(plain)) score += cue.bonus;
  score += 0.12 * (1 - s.rank / candidates);

  const words = plain.split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length;
  if (words < 6) score -= 0.3;
  else if (words > 70) score -= 0.1 * Math.min(3, (words - 70) / 20);

  s.score = score;
  s.coverage = coverage;
}

/**
 * Whether the best sentence answers at all: it must cover enough of the question, its
 * paper must mention enough of it, and, for questions of two or more content words, more
 * than one of them must meet in the sentence or title ("capital of France" must not be
 * answered by a sentence about capitalizing on sparse retrieval).
 */
function answersQuestion(
  best: CandidateSentence,
  questionTerms: string[],
  idf: (t: string) => number,
  totalWeight: number,
): boolean {
  if (best.score <= 0 || best.coverage < MIN_COVERAGE) return false;
  const inPaper = questionTerms.filter((t) => best.paperTerms.has(t));
  const paperCoverage = inPaper.reduce((sum, t) => sum + idf(t), 0) / totalWeight;
  if (paperCoverage < MIN_PAPER_COVERAGE) return false;
  const near = questionTerms.filter((t) => best.terms.has(t) || best.titleTerms.has(t)).length;
  return near >= Math.min(2, questionTerms.length);
}

function withoutNumbersOf(question: string, text: string): string {
  let out = text;
  for (const n of question.match(/\d+(?:\.\d+)?/g) ?? []) {
    out = out.replace(new RegExp(`(?<![\\d.])${n.replace('.', '\\.')}(?![\\d])`, 'g'), ' ');
  }
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

// ---------------------------------------------------------------------------

/**
 * Answers `question` with 1–`maxSentences` sentences from the abstracts that `retrieve`
 * returns, each followed by a [n] citation (numbered by first appearance). When no
 * sentence covers enough of the question, returns answered=false with a plain message.
 * Throws UserFacingError for an empty question.
 */
export async function answerQuestion(
  question: string,
  retrieve: Retrieve,
  opts: AnswerOptions = {},
): Promise<ExtractiveAnswer> {
  const q = question.trim().slice(0, MAX_QUESTION_CHARS);
  if (!q) throw new UserFacingError('Please type a question, e.g. "How much does KVQuant compress the KV cache?"');
  const maxSentences = Math.max(1, Math.min(5, Math.floor(opts.maxSentences ?? 3)));
  const k = Math.max(1, Math.min(20, Math.floor(opts.candidates ?? 5)));
  const noAnswer: ExtractiveAnswer = { answered: false, answer: NO_ANSWER_MESSAGE, citations: [] };

  const questionTerms = [...new Set(analyze(q))].filter((t) => !isQuestionWord(t));
  if (questionTerms.length === 0) return noAnswer;

  const hits = (await retrieve(q, k)).slice(0, k);
  if (hits.length === 0) return noAnswer;

  const sentences: CandidateSentence[] = [];
  hits.forEach(({ paper }, rank) => {
    const titleTerms = new Set(analyze(paper.title));
    const paperTerms = new Set(analyze(`${paper.title} ${paper.abstract}`));
    for (const text of splitSentences(paper.abstract)) {
      const terms = new Set(analyze(text.replace(URL, ' ')));
      if (terms.size > 0) sentences.push({ text, terms, paper, rank, titleTerms, paperTerms, score: 0, coverage: 0 });
    }
  });
  if (sentences.length === 0) return noAnswer;

  const idf = opts.papers?.length
    ? (() => {
        const df = collectionDf(opts.papers);
        return idfFunction(opts.papers.length, (t) => df.get(t) ?? 0);
      })()
    : idfFunction(sentences.length, (t) => sentences.filter((s) => s.terms.has(t)).length);

  const totalWeight = questionTerms.reduce((sum, t) => sum + idf(t), 0);
  const kind = questionKind(q);
  for (const s of sentences) scoreSentence(s, q, questionTerms, idf, totalWeight, kind, k);
  sentences.sort((a, b) => b.score - a.score);

  const best = sentences[0];
  if (!best || !answersQuestion(best, questionTerms, idf, totalWeight)) return noAnswer;

  const chosen: CandidateSentence[] = [best];
  let length = best.text.length;
  for (const s of sentences.slice(1)) {
    if (chosen.length >= maxSentences) break;
    if (s.score < FOLLOW_UP_RATIO * best.score || s.coverage < MIN_COVERAGE) break;
    if (length + s.text.length > MAX_ANSWER_CHARS) continue;
    if (chosen.some((c) => jaccard(c.terms, s.terms) > 0.5)) continue;
    chosen.push(s);
    length += s.text.length;
  }

  const citations: { n: number; paper: Paper }[] = [];
  const parts = chosen.map((s) => {
    let citation = citations.find((c) => c.paper.id === s.paper.id);
    if (!citation) {
      citation = { n: citations.length + 1, paper: s.paper };
      citations.push(citation);
    }
    return `${s.text} [${citation.n}]`;
  });
  return { answered: true, answer: parts.join(' '), citations };
}
