/**
 * Extractive question answering: the answer is made of sentences taken verbatim
 * from the abstracts the retriever returns, each followed by a [n] citation.
 * Nothing is generated, so an answer can never say what no paper says.
 */
import type { Paper } from '../collection/types.js';
import { UserFacingError } from '../errors.js';
import { causeOfPrevious, expandsAcronym, namesVersion, numberNearTerms, questionNames, readQuestion, titleSpells, typeEvidence, type QuestionShape } from './ask-question.js';
import { analyze } from './text/analyze.js';
import { queryExpansions } from './text/expansion.js';

export type Retrieve = (query: string, k: number) => Promise<{ paper: Paper; score: number }[]>;

export interface AnswerOptions {
  /** At most this many sentences in the answer (1–5, default 3). */
  maxSentences?: number;
  /** How many retrieved abstracts to read (default 5). */
  candidates?: number;
  /** The whole collection, for collection-wide term rarity (IDF); without it rarity is judged over the candidates. */
  papers?: readonly Paper[];
  /** For tuning: receives the ranked candidate sentences. */
  explain?: (ranked: { text: string; title: string; score: number; coverage: number }[]) => void;
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
/** The best sentence's coverage when the question names its paper ("How does BLT …"). */
const MIN_NAMED_COVERAGE = 0.2;
/** A further sentence joins the answer only when it scores at least this share of the best one. */
const FOLLOW_UP_RATIO = 0.7;
const MAX_ANSWER_CHARS = 1500;
/** For "how many/much" questions: a number right next to an asked word ("555B tokens"). */
const NUMBER_NEAR_BONUS = 0.1;
/** Share of the previous sentence's coverage a cause pointing back at it ("this disparity") takes on. */
const INHERITED_COVERAGE = 0.9;

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
// Per-paper analysis, cached: the same papers come back for question after question.

interface ReadPaper {
  titleTerms: Set<string>;
  paperTerms: Set<string>;
  sentences: { text: string; terms: Set<string> }[];
}

const paperCache = new WeakMap<Paper, ReadPaper>();

function readPaper(paper: Paper): ReadPaper {
  let read = paperCache.get(paper);
  if (!read) {
    read = {
      titleTerms: new Set(analyze(paper.title)),
      paperTerms: new Set(analyze(`${paper.title} ${paper.abstract}`)),
      sentences: splitSentences(paper.abstract)
        .map((text) => ({ text, terms: new Set(analyze(text.replace(URL, ' '))) }))
        .filter((s) => s.terms.size > 0),
    };
    paperCache.set(paper, read);
  }
  return read;
}

// ---------------------------------------------------------------------------
// Scoring

interface CandidateSentence {
  text: string;
  terms: Set<string>;
  paper: Paper;
  rank: number;
  /** The sentence before it in the same abstract. */
  previous: CandidateSentence | undefined;
  ownNames: Set<string>;
  /** Takes its topic from the previous sentence ("this gap"). */
  inherits?: boolean;
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
  {
    question: /\b(datasets?|benchmarks?|evaluated|tested|test)\b/i,
    sentence: /\b(experiments?|benchmarks?|datasets?|evaluat\w*|tested|on [A-Z]\w*)\b/,
    bonus: 0.1,
  },
];

function scoreSentence(
  s: CandidateSentence,
  question: string,
  questionTerms: string[],
  identity: Set<string>,
  idf: (t: string) => number,
  totalWeight: number,
  shape: QuestionShape,
  candidates: number,
): void {
  let earned = 0;
  for (const t of questionTerms) {
    // A name the question gives identifies the paper, not the sentence: same credit everywhere in it.
    const credit = identity.has(t) && s.paperTerms.has(t)
      ? CREDIT_IN_TITLE
      : s.terms.has(t)
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

  const plain = s.text.replace(URL, ' ').replace(/\\%/g, '%'); // LaTeX "90\%"
  // A number the question already contains ("BitNet b1.58") is not the quantity asked for.
  const sentenceNumbers = withoutNumbersOf(question, plain);
  score += typeEvidence(shape, plain, sentenceNumbers, s.ownNames);
  if (shape.type === 'quantity' && numberNearTerms(sentenceNumbers, (w) => isAskedWord(w, questionTerms))) score += NUMBER_NEAR_BONUS;
  for (const cue of CUES) if (cue.question.test(question) && cue.sentence.test(plain)) score += cue.bonus;
  score += 0.12 * (1 - s.rank / candidates);

  const words = plain.split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length;
  if (words < 6) score -= 0.3;
  else if (words > 70) score -= 0.05 * Math.min(3, (words - 70) / 20);

  s.score = score;
  s.coverage = coverage;
}

/**
 * Whether the best sentence answers at all: it must cover enough of the question, its
 * paper must mention enough of it, and, for questions of two or more content words, more
 * than one of them must meet in the sentence or title ("capital of France" must not be
 * answered by a sentence about capitalizing on sparse retrieval).
 */
/** A name from the question as the index spells it: joined form first ("rsq7b"), then its parts. */
interface NameTerms {
  term: string;
  parts: string[];
  distinctive: boolean;
}

function answersQuestion(
  best: CandidateSentence,
  questionTerms: string[],
  identity: Set<string>,
  nameTerms: readonly NameTerms[],
  idf: (t: string) => number,
  totalWeight: number,
): boolean {
  if (best.score <= 0) return false;
  // Names that pin the paper: spelled like names, or words of its title ("Adaptive Patch Exiting").
  const pins = nameTerms.filter((n) => n.distinctive || best.titleTerms.has(n.term)).length;
  if (pins > 0) {
    // The paper is the one the question names; it must also speak of something else asked.
    const rest = questionTerms.filter((t) => !identity.has(t));
    // The answering sentence itself must speak of something else asked ("memory" in "How much memory does BLT use?").
    // A synonym counts too: "How much faster is NIRVANA?" is answered by "…the encoding speed by 12X".
    const inSentence = (t: string) =>
      best.terms.has(t) || queryExpansions([t]).some((e) => best.terms.has(e)) || Boolean(best.inherits && best.previous?.terms.has(t));
    const pinned = pins >= 2 || rest.length === 0 || rest.some(inSentence);
    return best.coverage >= MIN_NAMED_COVERAGE && pinned;
  }
  if (best.coverage < MIN_COVERAGE) return false;
  const inPaper = questionTerms.filter((t) => best.paperTerms.has(t));
  const paperCoverage = inPaper.reduce((sum, t) => sum + idf(t), 0) / totalWeight;
  if (paperCoverage < MIN_PAPER_COVERAGE) return false;
  const near = questionTerms.filter(
    (t) => best.terms.has(t) || best.titleTerms.has(t) || (best.inherits && best.previous?.terms.has(t)),
  ).length;
  return near >= Math.min(2, questionTerms.length);
}

/** Words the question and the paper's title use as names: "Arctic-SnowCoder" is the paper's own, not another system. */
function ownNamesOf(paper: Paper, question: string): Set<string> {
  const words = `${paper.title} ${question}`.toLowerCase().match(/[\p{L}\d]+/gu) ?? [];
  return new Set(words.filter((w) => w.length >= 3));
}

function isAskedWord(word: string, questionTerms: string[]): boolean {
  const term = analyze(word)[0];
  return term !== undefined && questionTerms.includes(term);
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

  const shape = readQuestion(q);
  // "What does TAPE stand for?" is about the acronym alone.
  const asked = shape.type === 'acronym' && shape.acronym ? shape.acronym : q;
  const questionTerms = [...new Set(analyze(asked))].filter((t) => !isQuestionWord(t));
  if (questionTerms.length === 0) return noAnswer;

  // Names in the question ("BLT", "Whisper") pin the paper: only papers mentioning them all
  // can answer, and a paper of the collection that does joins the candidates even when
  // the retriever ranked it low.
  const questionNameList = questionNames(q);
  const nameTerms = questionNameList.flatMap((n): NameTerms[] => {
    const [term, ...parts] = analyze(n.word); // "RSQ-7B" → rsq7b, then its parts rsq, 7b
    return term ? [{ term, parts, distinctive: n.distinctive }] : [];
  });
  const names = [...new Set(nameTerms.map((n) => n.term))];
  let hits = (await retrieve(q, k)).slice(0, k).map((h) => h.paper);
  if (names.length > 0) {
    const named = (p: Paper) =>
      names.every((n) => readPaper(p).paperTerms.has(n)) &&
      questionNameList.every((n) => namesVersion(`${p.title} ${p.abstract}`, n));
    const pinned = opts.papers ? opts.papers.filter(named) : [];
    hits = pinned.length > 0 && pinned.length <= 3
      ? [...hits.filter(named), ...pinned.filter((p) => !hits.includes(p))]
      : hits.filter(named);
  }
  if (hits.length === 0) return noAnswer;

  const sentences: CandidateSentence[] = [];
  hits.forEach((paper, rank) => {
    const { titleTerms, paperTerms, sentences: parts } = readPaper(paper);
    const ownNames = ownNamesOf(paper, q);
    let previous: CandidateSentence | undefined;
    for (const { text, terms } of parts) {
      const s: CandidateSentence = { text, terms, paper, rank, previous, ownNames, titleTerms, paperTerms, score: 0, coverage: 0 };
      sentences.push(s);
      previous = s;
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
  const identity = new Set(nameTerms.flatMap((n) => [n.term, ...n.parts]));
  for (const s of sentences) scoreSentence(s, q, questionTerms, identity, idf, totalWeight, shape, k);
  if (shape.type === 'cause') {
    // "… these methods fail at high sparsity. The factor contributing to this disparity is …":
    // the cause inherits the topic of the sentence it points back to.
    for (const s of sentences) {
      const before = s.previous;
      if (!before || !causeOfPrevious(s.text)) continue;
      const inherited = INHERITED_COVERAGE * before.coverage;
      if (inherited > s.coverage) {
        s.score += inherited - s.coverage;
        s.coverage = inherited;
        s.inherits = true;
      }
    }
  }
  sentences.sort((a, b) => b.score - a.score);
  opts.explain?.(sentences.map((s) => ({ text: s.text, title: s.paper.title, score: s.score, coverage: s.coverage })));

  const best = sentences[0];
  if (!best || !answersQuestion(best, questionTerms, identity, nameTerms, idf, totalWeight)) return noAnswer;
  // "What does BERT stand for?" is answered only by a sentence or title that spells it out.
  if (shape.type === 'acronym' && shape.acronym) {
    if (!expandsAcronym(best.text, shape.acronym) && !titleSpells(best.paper.title, shape.acronym)) return noAnswer;
  }

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
