// Whether the best sentence answers at all, or the question gets "no answer".
import { queryExpansions } from '../text/expansion.js';
import type { CandidateSentence } from './candidates.js';
import { expandsAcronym, titleSpells } from './evidence.js';
import type { NameTerms, QuestionShape } from './question.js';

/** Share of the question's (IDF-weighted) content that the best sentence must cover. */
export const MIN_COVERAGE = 0.3;
/** Share of the question's content that the answering paper (title + abstract) must mention. */
const MIN_PAPER_COVERAGE = 0.45;
/** The best sentence's coverage when the question names its paper ("How does BLT …"). */
const MIN_NAMED_COVERAGE = 0.2;

export interface GateContext {
  questionTerms: string[];
  /** Terms of the names the question gives. */
  identity: Set<string>;
  nameTerms: readonly NameTerms[];
  idf: (term: string) => number;
  totalWeight: number;
  shape: QuestionShape;
}

/**
 * Whether the best sentence answers at all: it must cover enough of the question, its
 * paper must mention enough of it, and, for questions of two or more content words, more
 * than one of them must meet in the sentence or title ("capital of France" must not be
 * answered by a sentence about capitalizing on sparse retrieval).
 */
export function answersQuestion(best: CandidateSentence, ctx: GateContext): boolean {
  if (!coversQuestion(best, ctx)) return false;
  // "What does BERT stand for?" is answered only by a sentence or title that spells it out.
  const { shape } = ctx;
  if (shape.type === 'acronym' && shape.acronym) {
    if (!expandsAcronym(best.text, shape.acronym) && !titleSpells(best.paper.title, shape.acronym)) return false;
  }
  return true;
}

function coversQuestion(best: CandidateSentence, ctx: GateContext): boolean {
  const { questionTerms, identity, nameTerms, idf, totalWeight } = ctx;
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
