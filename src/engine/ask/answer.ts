/**
 * Extractive question answering: the answer is made of sentences taken verbatim
 * from the abstracts the retriever returns, each followed by a [n] citation.
 * Nothing is generated, so an answer can never say what no paper says.
 */
import type { Paper } from '../../collection/types.js';
import { UserFacingError } from '../../errors.js';
import { candidatePapers, candidateSentences, type CandidateSentence } from './candidates.js';
import { questionFacets, type Facet } from './facets.js';
import { answersQuestion, MIN_COVERAGE } from './gate.js';
import { contentTerms, nameTermsOf, questionNames, readQuestion } from './question.js';
import { rankSentences, termRarity } from './scoring.js';

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
/**
 * The parts of an abstract (see facets.ts) whose wording raises a sentence across papers. Others
 * ("how …" → the method) are already weighed by the answer type, and across many papers they
 * would favour any paper's method sentence over the one that has the question's words.
 */
const ANSWERER_FACETS: ReadonlySet<Facet> = new Set(['evaluation', 'alternative']);
/** A further sentence joins the answer only when it scores at least this share of the best one. */
const FOLLOW_UP_RATIO = 0.7;
const MAX_ANSWER_CHARS = 1500;

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
  const questionTerms = contentTerms(asked);
  if (questionTerms.length === 0) return noAnswer;

  const questionNameList = questionNames(q);
  const nameTerms = nameTermsOf(questionNameList);
  const retrieved = (await retrieve(q, k)).slice(0, k).map((h) => h.paper);
  const hits = candidatePapers(retrieved, nameTerms, questionNameList, opts.papers);
  if (hits.length === 0) return noAnswer;

  const sentences = candidateSentences(hits, q);
  if (sentences.length === 0) return noAnswer;

  const idf = termRarity(sentences, opts.papers);
  const totalWeight = questionTerms.reduce((sum, t) => sum + idf(t), 0);
  const identity = new Set(nameTerms.flatMap((n) => [n.term, ...n.parts]));
  rankSentences(sentences, { question: q, questionTerms, identity, idf, totalWeight, shape, facets: questionFacets(q).filter((f) => ANSWERER_FACETS.has(f)), candidates: k });
  opts.explain?.(sentences.map((s) => ({ text: s.text, title: s.paper.title, score: s.score, coverage: s.coverage })));

  const best = sentences[0];
  if (!best || !answersQuestion(best, { questionTerms, identity, nameTerms, idf, totalWeight, shape })) return noAnswer;
  return cite(chooseSentences(sentences, best, maxSentences));
}

/** The best sentence, then those close to it in score that add something new, within the length limit. */
function chooseSentences(ranked: CandidateSentence[], best: CandidateSentence, maxSentences: number): CandidateSentence[] {
  const chosen: CandidateSentence[] = [best];
  let length = best.text.length;
  for (const s of ranked.slice(1)) {
    if (chosen.length >= maxSentences) break;
    if (s.score < FOLLOW_UP_RATIO * best.score || s.coverage < MIN_COVERAGE) break;
    if (length + s.text.length > MAX_ANSWER_CHARS) continue;
    if (chosen.some((c) => jaccard(c.terms, s.terms) > 0.5)) continue;
    chosen.push(s);
    length += s.text.length;
  }
  return chosen;
}

/** The sentences joined, each followed by [n], papers numbered by first appearance. */
function cite(chosen: CandidateSentence[]): ExtractiveAnswer {
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

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}
