/**
 * Pieces of abstracts that show something: why a paper matches a search (its best-matching
 * phrase), what a paper is about (its contribution sentences), and the sentence of a paper
 * that comes closest to a question the extractive answerer would not answer outright.
 * Everything is quoted verbatim from the abstract.
 */
import type { Paper } from '../collection/types.js';
import { splitSentences } from '../engine/ask/sentences.js';
import { typeEvidence } from '../engine/ask/evidence.js';
import { withoutFacetWords } from '../engine/ask/facets.js';
import { readQuestion } from '../engine/ask/question.js';
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

export interface AnalyzedSentence {
  text: string;
  terms: Set<string>;
  /** Terms found only inside compounds ("end" of "end-to-end"): weak evidence. */
  partsOnly: Set<string>;
  /** Terms without a prefix ("train" of "pretrained", "load" of "offload"): what the word is a kind of. */
  unprefixed: Set<string>;
}

const sentenceCache = new WeakMap<Paper, AnalyzedSentence[]>();

export function sentencesOf(paper: Paper): string[] {
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

export function analyzedSentences(paper: Paper): AnalyzedSentence[] {
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

/** How much a sentence's fit to the kind of answer asked for counts against word overlap. */
export const TYPE_WEIGHT = 0.75;

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

export interface ScorerOptions {
  /** Sentences of this paper are being ranked against each other. */
  paper?: Paper;
}

/**
 * Scores sentences against a question: the IDF-weighted share of its content words each has
 * (a synonym counts half, a word only inside a compound less).
 */
export function coverageScorer(question: string, collection: readonly Paper[], options: ScorerOptions = {}): ((sentence: AnalyzedSentence) => number) | undefined {
  const terms = contentTerms(question);
  if (terms.length === 0) return undefined;
  const df = documentFrequency(collection);
  const n = Math.max(1, collection.length);
  const idfOf = (count: number) => Math.log(1 + (n - count + 0.5) / (count + 0.5));
  const titleTerms = options.paper ? new Set(analyze(options.paper.title)) : undefined;
  // …unless the title's words are all the question has ("how are patches decided?" is about patches).
  const title = titleTerms && terms.some((t) => !titleTerms.has(t)) ? titleTerms : undefined;
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
  // "what's the main lesson?" asks for a part of this paper: asking words are not its subject.
  return contentTerms(withoutFacetWords(question)).some((t) => {
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
