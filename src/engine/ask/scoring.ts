// Scoring candidate sentences: how much of the question (IDF-weighted) a sentence covers, plus
// evidence that it is the kind of answer asked for, cues, retrieval rank and length.
import type { Paper } from '../../collection/types.js';
import { analyze } from '../text/analyze.js';
import type { CandidateSentence } from './candidates.js';
import { causeOfPrevious, numberNearTerms, typeEvidence } from './evidence.js';
import { facetStrength, type Facet } from './facets.js';
import type { QuestionShape } from './question.js';
import { URL_PATTERN } from './sentences.js';

/** For "how many/much" questions: a number right next to an asked word ("555B tokens"). */
const NUMBER_NEAR_BONUS = 0.1;
/** Share of the previous sentence's coverage a cause pointing back at it ("this disparity") takes on. */
const INHERITED_COVERAGE = 0.9;

export interface ScoringContext {
  question: string;
  questionTerms: string[];
  /** Terms of the names the question gives (see NameTerms): they identify the paper, not the sentence. */
  identity: Set<string>;
  idf: (term: string) => number;
  /** Sum of the question terms' idf. */
  totalWeight: number;
  shape: QuestionShape;
  /** The parts of an abstract the question asks about (its problem, method, evaluation, …). */
  facets: readonly Facet[];
  /** How many papers were asked for (the rank bonus is relative to it). */
  candidates: number;
}

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

/** Term IDF over the whole collection when given, else over the candidate sentences. */
export function termRarity(sentences: readonly CandidateSentence[], papers: readonly Paper[] | undefined): (term: string) => number {
  return papers?.length
    ? (() => {
        const df = collectionDf(papers);
        return idfFunction(papers.length, (t) => df.get(t) ?? 0);
      })()
    : idfFunction(sentences.length, (t) => sentences.filter((s) => s.terms.has(t)).length);
}

// ---------------------------------------------------------------------------
// Scoring

/**
 * How much of a question term a sentence earns. Terms of the paper's title (usually the
 * method's name) identify the paper, not the answer: every sentence of that paper earns
 * most of their weight, so the other terms decide which sentence answers.
 */
const CREDIT_IN_SENTENCE = 1;
const CREDIT_IN_TITLE = 0.8;
const CREDIT_IN_ABSTRACT = 0.35;

/** A sentence stating the part of the abstract the question asks about (see facets.ts) gains up to this much. */
const FACET_BONUS = 0.12;

/** Scores every sentence (score, coverage), lets causes inherit the topic they point back to, and sorts best first. */
export function rankSentences(sentences: CandidateSentence[], ctx: ScoringContext): void {
  for (const s of sentences) scoreSentence(s, ctx);
  if (ctx.shape.type === 'cause') inheritCauses(sentences);
  sentences.sort((a, b) => b.score - a.score);
}

function scoreSentence(s: CandidateSentence, ctx: ScoringContext): void {
  const { question, questionTerms, identity, idf, totalWeight, shape, candidates } = ctx;
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

  const plain = s.text.replace(URL_PATTERN, ' ').replace(/\\%/g, '%'); // LaTeX "90\%"
  // A number the question already contains ("BitNet b1.58") is not the quantity asked for.
  const sentenceNumbers = withoutNumbersOf(question, plain);
  score += typeEvidence(shape, plain, sentenceNumbers, s.ownNames);
  if (shape.type === 'quantity' && numberNearTerms(sentenceNumbers, (w) => isAskedWord(w, questionTerms))) score += NUMBER_NEAR_BONUS;
  score += FACET_BONUS * facetStrength(ctx.facets, plain);
  score += 0.12 * (1 - s.rank / candidates);

  const words = plain.split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length;
  if (words < 6) score -= 0.3;
  else if (words > 70) score -= 0.05 * Math.min(3, (words - 70) / 20);

  s.score = score;
  s.coverage = coverage;
}

/**
 * "… these methods fail at high sparsity. The factor contributing to this disparity is …":
 * the cause inherits the topic of the sentence it points back to.
 */
function inheritCauses(sentences: CandidateSentence[]): void {
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
