/**
 * Pieces of abstracts that show something: why a paper matches a search (its best-matching
 * phrase), what a paper is about (its contribution sentences), and the sentence of a paper
 * that comes closest to a question the extractive answerer would not answer outright.
 * Everything is quoted verbatim from the abstract.
 */
import type { Paper } from '../collection/types.js';
import { splitSentences } from '../engine/ask/sentences.js';
import { numberNearTerms, quantityStrength, typeEvidence } from '../engine/ask/evidence.js';
import { facetStrength, leansBack, questionFacets, statesFacet } from '../engine/ask/facets.js';
import { readQuestion } from '../engine/ask/question.js';
import { ownNames, titleHead } from './names.js';
import { snippet } from '../engine/snippet.js';
import { analyze, compoundPartStems } from '../engine/text/analyze.js';
import { queryExpansions, queryTermWeight } from '../engine/text/expansion.js';

/**
 * Why the paper matches `query`: its sentence sharing the most (rarity-weighted) words with
 * the query, or the densest stretch of that sentence when it is long (≤ `max` characters).
 */
export function whyLine(paper: Paper, query: string, collection: readonly Paper[], max = 170): string {
  const best = closestSentence(query, [paper], collection);
  if (!best) return snippet(paper.abstract, query, max);
  return best.text.length <= max ? best.text : snippet(best.text, query, max);
}

const CONTRIBUTION =
  /\b(?:we|this (?:paper|work|study|article)|in this (?:paper|work))\b[^.]{0,60}?\b(?:propose|proposes|introduce|introduces|present|presents|develop|develops|design|show|shows|study|studies|investigate|investigates|explore|explores|describe|describes|demonstrate|find|argue|address|tackle)\b/i;

/** Up to `n` sentences saying what the paper does: from its first "we propose …" sentence (or the one before, the problem), else its opening. */
export function contribution(paper: Paper, n = 2, maxChars = 600, withProblem = false): string[] {
  const sentences = sentencesOf(paper);
  const found = Math.max(0, sentences.findIndex((s) => CONTRIBUTION.test(s)));
  const start = withProblem ? Math.max(0, found - 1) : found;
  const out: string[] = [];
  let length = 0;
  for (const s of sentences.slice(start)) {
    if (out.length >= n || (out.length > 0 && length + s.length > maxChars)) break;
    out.push(s);
    length += s.length;
  }
  return out;
}

/** Words that carry the asking, not the topic ("how", "does", "paper"): they never count as evidence. */
const ASKING = new Set(
  analyze(
    'what whats which who whom whose when where why how much many does do did done can could would should will may might must ' +
      'is are was were be been being get gets got tell me you your about paper papers work works study authors author collection ' +
      'there their they them it its some any one use used uses using kind type called name named exactly please know say says ' +
      'explain describe mention mentions give show find talk talks also just still very go goes going went come comes ' +
      'came make makes made take takes took really actually overall exactly specifically particularly mainly ' +
      'primarily mostly',
  ),
);

interface AnalyzedSentence {
  text: string;
  terms: Set<string>;
  /** Terms found only inside compounds ("end" of "end-to-end"): weak evidence. */
  partsOnly: Set<string>;
  /** Terms without a prefix ("train" of "pretrained", "load" of "offload"): what the word is a kind of. */
  unprefixed: Set<string>;
}

const sentenceCache = new WeakMap<Paper, AnalyzedSentence[]>();

function sentencesOf(paper: Paper): string[] {
  return analyzedSentences(paper).map((s) => s.text);
}

/** Prefixes that make a kind of the word they start ("pretrained" is trained, "multilingual" lingual). */
const PREFIX = /^(?:pre|re|co|un|multi|sub|over|under|self|semi|non|post|inter|intra|super|hyper|mini|micro|auto)(?=[a-z]{4,}$)/;

function analyzeSentence(text: string): AnalyzedSentence {
  const terms = new Set(analyze(text));
  const partsOnly = compoundPartStems(text);
  // "13-layer", "4-bit": the word after a number is the word itself ("how many layers").
  for (const m of text.matchAll(/\d(?:[\d.,]*\d)?-(\p{L}+)/gu)) for (const t of analyze(m[1]!)) partsOnly.delete(t);
  const unprefixed = new Set<string>();
  for (const t of terms) {
    const bare = t.replace(PREFIX, '');
    if (bare !== t) unprefixed.add(bare);
  }
  return { text, terms, partsOnly, unprefixed };
}

function analyzedSentences(paper: Paper): AnalyzedSentence[] {
  let cached = sentenceCache.get(paper);
  if (!cached) {
    cached = splitSentences(paper.abstract).map(analyzeSentence);
    sentenceCache.set(paper, cached);
  }
  return cached;
}

const paperCache = new WeakMap<Paper, { all: AnalyzedSentence; title: AnalyzedSentence }>();

/** A paper's title and abstract as one text, and its title, analysed once. */
function analyzedPaper(paper: Paper): { all: AnalyzedSentence; title: AnalyzedSentence } {
  let cached = paperCache.get(paper);
  if (!cached) {
    cached = { all: analyzeSentence(`${paper.title}. ${paper.abstract}`), title: analyzeSentence(paper.title) };
    paperCache.set(paper, cached);
  }
  return cached;
}

/** Collection document frequency per term, once per collection array. */
const dfCache = new WeakMap<readonly Paper[], Map<string, number>>();

function documentFrequency(papers: readonly Paper[]): Map<string, number> {
  let df = dfCache.get(papers);
  if (!df) {
    df = new Map();
    for (const p of papers) for (const t of new Set(analyze(`${p.title} ${p.abstract}`))) df.set(t, (df.get(t) ?? 0) + 1);
    dfCache.set(papers, df);
  }
  return df;
}

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

/** How much a sentence's fit to the kind of answer asked for counts against word overlap. */
const TYPE_WEIGHT = 0.75;

export interface ClosestSentence {
  paper: Paper;
  text: string;
  /** IDF-weighted share of the question's content words the sentence (or a synonym in it) has, 0–1. */
  coverage: number;
}

/** The content words of a question, stemmed (asking words out). */
export function contentTerms(question: string): string[] {
  // "1 bit", "4 bits": also as the joined compound abstracts write ("1-bit" → 1bit); a lone digit is no term.
  const joined = [...question.matchAll(/\b(\d+(?:\.\d+)?)[\s-]?([a-z]{2,})\b/gi)].map((m) => `${m[1]}-${m[2]!.replace(/(?<=..)s$/i, '')}`).join(' ');
  return [...new Set(analyze(`${question} ${joined}`))].filter((t) => !ASKING.has(t));
}

/** A word found only inside a compound counts this much. */
const COMPOUND_PART_CREDIT = 0.3;
/** A word found with a prefix ("pretrained" for "trained") counts this much. */
const PREFIXED_CREDIT = 0.8;
/**
 * Ranking the sentences of one paper, a question word that is in its title counts this much:
 * it says which paper, not which sentence ("how does the mask-aware one handle large holes?").
 */
const TITLE_WORD_CREDIT = 0.25;
/**
 * …and a question of common words only is weak evidence: shares are taken of at least the weight
 * of one word found in this share of the papers (a lone "tasks" does not make a sentence the answer).
 */
const COMMON_SHARE = 0.05;

/** A word of the same root counts this much ("sparsity" for "sparse", "accuracy" for "accurate"). */
const DERIVED_CREDIT = 0.7;

/** Whether the sentence has a word derived from the question's stem: the stem plus a few letters ("spars" → "sparsiti"). */
function derived(stem: string, has: ReadonlySet<string>): boolean {
  if (stem.length < 4 || /\d/.test(stem)) return false;
  for (const h of has) if (h.length > stem.length && h.length <= stem.length + 4 && h.startsWith(stem) && /^\p{L}+$/u.test(h)) return true;
  return false;
}

/** Whether the sentence has a word made of another and this one ("corticosteroid" for "steroid"). */
function endsCompound(stem: string, has: ReadonlySet<string>): boolean {
  if (stem.length < 5 || /\d/.test(stem)) return false;
  for (const h of has) if (h.length >= stem.length + 3 && h.endsWith(stem) && /^\p{L}+$/u.test(h)) return true;
  return false;
}

interface ScorerOptions {
  /** Sentences of this paper are being ranked against each other. */
  paper?: Paper;
}

/**
 * Scores sentences against a question: the IDF-weighted share of its content words each has
 * (a synonym counts half, a word only inside a compound less).
 */
function coverageScorer(question: string, collection: readonly Paper[], options: ScorerOptions = {}): ((sentence: AnalyzedSentence) => number) | undefined {
  const terms = contentTerms(question);
  if (terms.length === 0) return undefined;
  const df = documentFrequency(collection);
  const n = Math.max(1, collection.length);
  const idfOf = (count: number) => Math.log(1 + (n - count + 0.5) / (count + 0.5));
  const title = options.paper ? new Set(analyze(options.paper.title)) : undefined;
  const idf = (t: string) => idfOf(df.get(t) ?? 0) * queryTermWeight(t) * (title?.has(t) ? TITLE_WORD_CREDIT : 1);
  const floor = options.paper ? idfOf(Math.max(1, COMMON_SHARE * n)) : 0;
  const total = Math.max(terms.reduce((sum, t) => sum + idf(t), 0), floor) || 1;
  const weighted = terms.map((t) => ({ t, w: idf(t), alts: queryExpansions([t]) }));
  return ({ terms: has, partsOnly, unprefixed }) => {
    let earned = 0;
    for (const { t, w, alts } of weighted) {
      if (has.has(t)) earned += partsOnly.has(t) ? w * COMPOUND_PART_CREDIT : w;
      else if (unprefixed.has(t) || endsCompound(t, has)) earned += w * PREFIXED_CREDIT;
      else if (alts.some((a) => has.has(a))) earned += w / 2;
      else if (derived(t, has)) earned += w * DERIVED_CREDIT;
    }
    return earned / total;
  };
}

/**
 * The sentence of `papers` that shares the most (rarity-weighted) content words with the
 * question; a synonym from the thesaurus counts half. Undefined when no sentence shares any.
 */
export function closestSentence(question: string, papers: readonly Paper[], collection: readonly Paper[]): ClosestSentence | undefined {
  const score = coverageScorer(question, collection);
  if (!score) return undefined;
  // The kind of answer asked for breaks near-ties: a number for "how many", a cause for "why".
  const shape = readQuestion(question);
  let best: (ClosestSentence & { rank: number }) | undefined;
  for (const paper of papers) {
    for (const s of analyzedSentences(paper)) {
      const coverage = score(s);
      if (coverage <= 0) continue;
      const rank = coverage + TYPE_WEIGHT * typeEvidence(shape, s.text, s.text);
      // Earlier papers (the one in focus) win ties.
      if (!best || rank > best.rank) best = { paper, text: s.text, coverage, rank };
    }
  }
  return best && { paper: best.paper, text: best.text, coverage: best.coverage };
}

/**
 * How much of the question a whole paper covers (title and abstract; title words count
 * again, half): how "which one …" picks a paper from a list.
 */
export function paperFit(question: string, paper: Paper, collection: readonly Paper[]): number {
  const score = coverageScorer(question, collection);
  if (!score) return 0;
  const whole = analyzedPaper(paper);
  return score(whole.all) + 0.5 * score(whole.title);
}

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

/** A word in at most this share of the papers (and at least one) names something specific… */
const SPECIFIC_SHARE = 0.01;
/** …or in at most this many papers of a small collection. */
const SPECIFIC_MIN = 4;

/**
 * Whether the question has a specific word (one only a few papers of the collection use, "scratchpad",
 * "GraphGPS") that this paper does not: then it is asking about something else.
 */
export function mentionsElsewhere(question: string, paper: Paper, collection: readonly Paper[]): boolean {
  const df = documentFrequency(collection);
  const limit = Math.max(SPECIFIC_MIN, SPECIFIC_SHARE * collection.length);
  const has = analyzedPaper(paper).all;
  return contentTerms(question).some((t) => {
    const count = df.get(t) ?? 0;
    if (count < 1 || count > limit || has.terms.has(t) || has.unprefixed.has(t)) return false;
    return !queryExpansions([t]).some((a) => has.terms.has(a));
  });
}

/** A question's rarest word is its specific subject when it is this many times rarer than the next. */
const SPECIFIC_RATIO = 4;

/** Whether `text` has the question's most specific word (or a synonym about as specific), when one word is much rarer than the rest. */
export function hasRarestTerm(question: string, text: string, collection: readonly Paper[]): boolean {
  const df = documentFrequency(collection);
  const terms = contentTerms(question).sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0));
  const rarest = terms[0];
  // Only a word much rarer than the rest is what the question is specifically about.
  if (rarest === undefined || (terms.length > 1 && (df.get(rarest) ?? 0) * SPECIFIC_RATIO > (df.get(terms[1]!) ?? 0))) return true;
  const have = new Set(analyze(text));
  if (have.has(rarest)) return true;
  // A synonym stands in only if it is about as specific ("faster" → "speed", not "hardware" → "efficient").
  const limit = Math.max(3 * (df.get(rarest) ?? 0), 0.1 * collection.length);
  return queryExpansions([rarest]).some((t) => have.has(t) && (df.get(t) ?? 0) <= limit);
}

/**
 * How well `text` answers the question: the share of its content words it has (as in
 * `closestSentence`) plus a little for looking like the kind of answer asked for.
 */
export function fitness(question: string, text: string, collection: readonly Paper[]): number {
  const score = coverageScorer(question, collection);
  if (!score) return 0;
  return score(analyzeSentence(text)) + TYPE_WEIGHT * typeEvidence(readQuestion(question), text, text);
}

/**
 * Words that all `papers` use and `exclude` does not, as the first paper writes them: what a
 * comparison says they have in common (or, for one paper against the others, what sets it
 * apart). Ranked by how much each paper uses the word (the least of them) times its rarity.
 */
export function sharedWords(papers: readonly Paper[], collection: readonly Paper[], n = 6, exclude: readonly Paper[] = []): string[] {
  if (papers.length === 0) return [];
  const df = documentFrequency(collection);
  const size = Math.max(1, collection.length);
  const counts = papers.map((p) => {
    const c = new Map<string, number>();
    for (const t of analyze(`${p.title} ${p.title} ${p.abstract}`)) c.set(t, (c.get(t) ?? 0) + 1);
    return c;
  });
  const excluded = new Set(exclude.flatMap((p) => analyze(`${p.title} ${p.abstract}`)));
  const surface = new Map<string, string>();
  for (const m of `${papers[0]!.title} ${papers[0]!.abstract}`.matchAll(/[\p{L}][\p{L}\d-]*[\p{L}\d]/gu)) {
    const word = m[0];
    const stems = analyze(word);
    if (stems.length === 1 && !surface.has(stems[0]!)) surface.set(stems[0]!, /^\p{Lu}\p{Ll}/u.test(word) ? word.toLowerCase() : word);
  }
  return [...counts[0]!.keys()]
    .filter((t) => t.length > 2 && !ASKING.has(t) && surface.has(t) && !excluded.has(t) && counts.every((c) => c.has(t)))
    .map((t) => ({ t, score: Math.min(...counts.map((c) => c.get(t)!)) * Math.log(1 + size / (df.get(t) ?? 1)) }))
    .filter((x) => (df.get(x.t) ?? 0) <= Math.max(3, size * 0.25))
    .sort((a, b) => b.score - a.score || a.t.localeCompare(b.t))
    .slice(0, n)
    .map((x) => surface.get(x.t)!);
}
