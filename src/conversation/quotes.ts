/**
 * Which sentences of one paper answer a question about it: those sharing its words (the title's
 * words weigh less: they say which paper, not which sentence), stating the part of the abstract it
 * asks about (see engine/ask/facets.ts), of the kind of answer it wants (a number for "how many", a
 * reason for "why"), and the sentences they lean on. Quoted verbatim.
 */
import type { Paper } from '../collection/types.js';
import { numberNearTerms, quantityStrength, typeEvidence } from '../engine/ask/evidence.js';
import { facetStrength, leansBack, questionFacets, statesFacet } from '../engine/ask/facets.js';
import { readQuestion } from '../engine/ask/question.js';
import { analyze } from '../engine/text/analyze.js';
import { analyzedSentences, contentTerms, coverageScorer, sentencesOf, TYPE_WEIGHT } from './evidence.js';
import { ownNames, titleHead } from './names.js';

/** Question types answered by the paper's own method, and how much a sentence about it gains. */
const OWN_WORK_TYPES: ReadonlySet<string> = new Set(['method', 'other', 'definition']);
const OWN_WORK_BONUS = 0.2;

/** A sentence stating the part of the abstract asked about (see facets.ts) counts even without shared words. */
const FACET_BONUS = 0.3;
/** A cause pointing back ("this", "these") takes on this share of the previous sentence's words. */
const INHERITED_SHARE = 0.8;
/** A "why" question is answered by a reason: a sentence giving one gains this much more. */
const CAUSE_BONUS = 0.2;
const DEMONSTRATIVE = /\b(?:this|these|such|that)\b/i;
/** The place in the abstract where the part asked about usually is (the problem first, the findings last) adds up to this. */
const POSITION_BONUS = 0.1;
/** …as does a sentence reporting a number when the question asks how much (half for a plain number). */
const QUANTITY_BONUS = 0.2;
/** …and more when the number stands next to a word of the question ("412 patients" for "how many patients"). */
const NUMBER_NEAR_BONUS = 0.15;
/** "how many patients" is answered by "412 patients": a number right before the word asked about. */
const COUNT_BONUS = 0.25;
const HOW_MANY = /\bhow many\b|\bnumber of\b/i;

/** Whether a number stands right before a word of the question ("412 patients", "a 13-layer …", "555B tokens"). */
function countOf(sentence: string, asked: (word: string) => boolean): boolean {
  for (const m of sentence.matchAll(/(?<![\p{L}\d.])\d[\d.,]*(?:\s*[kmbt]\b)?[\s-]+(?:[\p{L}-]+\s+)?([\p{L}]+)/giu)) {
    if (asked(m[1]!)) return true;
    const next = m[0].split(/[\s-]+/).slice(1);
    if (next.some((w) => asked(w))) return true;
  }
  return false;
}

/** "How does it …" is not answered by how well it did. */
const REPORTS_RESULTS = /\b(?:experiments?|results?|evaluations?)\b[^.]{0,40}\b(?:show|shows|demonstrate|demonstrates|indicate|confirm|reveal)\b|\boutperform\w*|\bstate-of-the-art\b/i;
const RESULTS_PENALTY = 0.2;
const PROBLEM_PENALTY = 0.15;

/** Words that mark a sentence as about the paper's own work: we/our, its title's head, names it gives itself. */
function ownWork(paper: Paper): RegExp {
  const names = [titleHead(paper.title), ...ownNames(paper)].filter((n): n is string => Boolean(n && n.length >= 2));
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`\\b(?:we|our${escaped.length ? `|${escaped.join('|')}` : ''})\\b`, 'i');
}

/** Sentences ranked at least this share of the best one are quoted with it. */
const NEAR_BEST = 0.6;

/**
 * The sentences of one paper that come closest to the question (the best, and any close
 * to it), at most `n` and `maxChars`, in the order the abstract has them. A sentence stating
 * the part of the abstract asked about ("how do they fix it?" → "to address this, we …")
 * counts even without a shared word; one that leans on the sentence before it ("this
 * issue …") brings that sentence along when there is room.
 */
export function topSentences(question: string, paper: Paper, collection: readonly Paper[], n = 3, maxChars = 700): string[] {
  const score = coverageScorer(question, collection, { paper }) ?? (() => 0);
  const shape = readQuestion(question);
  const facets = questionFacets(question);
  const questionStems = new Set(contentTerms(question));
  const asked = (word: string) => analyze(word).some((t) => questionStems.has(t));
  const countsAsked = HOW_MANY.test(question);
  // "how does it …" is answered by what the paper itself does, not by the problem it starts from.
  const own = OWN_WORK_TYPES.has(shape.type) ? ownWork(paper) : undefined;
  const sentences = analyzedSentences(paper);
  const words = sentences.map((s) => score(s));
  const asksWhy = facets.includes('cause');
  const ranked = sentences
    .map((s, i) => {
      // "why did they spread?" … "One of the main causes of this explosion has been …": a cause that points
      // back takes on what the sentence before it says.
      const inherited = asksWhy && i > 0 && DEMONSTRATIVE.test(s.text) && statesFacet(['cause'], s.text) ? INHERITED_SHARE * words[i - 1]! : 0;
      // A sentence of the kind asked about ("which datasets" → one about its experiments; a number for "how many") counts even without shared words.
      const coverage =
        Math.max(words[i]!, inherited) +
        (asksWhy ? CAUSE_BONUS * facetStrength(['cause'], s.text) : 0) +
        FACET_BONUS * facetStrength(facets, s.text) +
        // Abstracts open with the problem and close with what was found.
        (facets.includes('finding') ? POSITION_BONUS * (i / Math.max(1, sentences.length - 1)) : 0) +
        (facets.includes('problem') ? POSITION_BONUS * (1 - i / Math.max(1, sentences.length - 1)) : 0) +
        (shape.type === 'quantity' ? (QUANTITY_BONUS * quantityStrength(s.text)) / 2 + (numberNearTerms(s.text, asked) ? NUMBER_NEAR_BONUS : 0) : 0) +
        (countsAsked && countOf(s.text, asked) ? COUNT_BONUS : 0);
      return {
        s,
        i,
        coverage,
        rank:
          coverage +
          TYPE_WEIGHT * typeEvidence(shape, s.text, s.text) +
          (own?.test(s.text) ? OWN_WORK_BONUS : 0) -
          (shape.type === 'method' && REPORTS_RESULTS.test(s.text) ? RESULTS_PENALTY : 0) -
          // "how does it deal with long inputs?" is not answered by "… scale poorly to long inputs".
          (shape.type === 'method' && statesFacet(['problem'], s.text) && !statesFacet(['method'], s.text) ? PROBLEM_PENALTY : 0),
      };
    })
    .filter((x) => x.coverage > 0)
    .sort((a, b) => b.rank - a.rank);
  const best = ranked[0];
  if (!best) return [];
  const chosen = [best];
  let length = best.s.text.length;
  for (const x of ranked.slice(1)) {
    if (chosen.length >= n || x.rank < NEAR_BEST * best.rank) break;
    if (length + x.s.text.length > maxChars) continue;
    chosen.push(x);
    length += x.s.text.length;
  }
  // "… a potential solution to this issue": the sentence before says what the issue is.
  // "… rely on sparse sampling." then "However, such approaches disregard …": the next sentence, when it
  // leans back on a quoted one and states what was asked, comes along.
  for (const x of [...chosen]) {
    const next = sentences[x.i + 1];
    if (!next || chosen.some((c) => c.i === x.i + 1) || !leansBack(next.text) || facetStrength(facets, next.text) === 0) continue;
    if (length + next.text.length > maxChars) continue;
    chosen.push({ s: next, i: x.i + 1, coverage: 0, rank: 0 });
    length += next.text.length;
  }
  // "Based on this observation, …" after "This finding indicates …": follow back up to two sentences.
  for (const x of [...chosen]) {
    let i = x.i;
    for (let step = 0; step < 2 && i > 0 && leansBack(sentences[i]!.text); step++) {
      const before = sentences[i - 1]!;
      i--;
      if (chosen.some((c) => c.i === i)) break;
      if (length + before.text.length > maxChars) break;
      chosen.push({ s: before, i, coverage: 0, rank: 0 });
      length += before.text.length;
    }
  }
  return chosen.sort((a, b) => a.i - b.i).map((x) => x.s.text);
}

/**
 * The sentences to quote for a question about one paper: its closest sentences (see
 * topSentences) and `also` (the answerer's own pick) when it is not among them, in the order
 * the abstract has them.
 */
export function quoteFor(question: string, paper: Paper, collection: readonly Paper[], also?: string): string[] {
  const top = topSentences(question, paper, collection);
  if (!also || top.includes(also)) return top.length ? top : also ? [also] : [];
  const order = sentencesOf(paper);
  return [...top, also].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

