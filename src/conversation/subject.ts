/**
 * A message that first says which paper it is about, then asks: "EuroBERT - max seq length?",
 * "the MAT one, how does it deal with large holes?", "information flow routes: which model do they
 * analyze", "switching topics: sparse transformers — what datasets …". And what a few describing
 * words point at ("the fourier one", "the diverse beam search one"). Pure: text and papers in;
 * conversations.ts resolves the subject with the collection.
 */
import type { Paper } from '../collection/types.js';
import { analyze } from '../engine/text/analyze.js';

export interface SubjectSplit {
  /** The words naming or describing the paper ("the MAT one", "EuroBERT"). */
  subject: string;
  /** The question asked about it ("how does it deal with large holes?"). */
  question: string;
}

/** Where a subject ends and its question begins: a dash, colon, comma, semicolon or dots. */
const SEPARATOR = /\s+[-–—]+\s+|\s*[–—]\s*|:\s+|,\s+|;\s+|\.{2,}\s*|\.\s+(?=\p{Ll})/gu;
/** How a question opens. */
const QUESTION_OPENER =
  /^\s*(?:(?:and|so|but|then)\s+)?(?:what|whats|what's|which|who|whom|whose|why|how|hows|when|where|is|are|was|were|does|do|did|can|could|would|should|will|has|have|had|any|anything|tell|explain|summari[sz]e|describe|compare|give|show|list)\b/i;
/** A question opener that asks for papers, not about one: "… - papers on adversarial patches?" has no subject. */
const ASKS_FOR_PAPERS = /^\s*(?:(?:and|so)\s+)?(?:any|anything|list|show|give|find)\b|\bpapers?\b/i;
/** Words that steer the conversation rather than name a paper ("ok, different question: …"). */
const DISCOURSE =
  /^(?:(?:ok(?:ay)?|so|and|also|now|then|hmm+|wait|btw|but|well|right|alright|cool|thanks|great|nice|next|hi|hey|hello|yes|no|sure|another|one more|new|different|switching|changing|back to)\b[\s,!.]*)+(?:(?:question|topic|thing|subject|topics)s?\b)?\s*$/i;
/** Openers of a subject that are not part of it: "what about X, …", "for the randomized one, …", "and X vs …". */
const SUBJECT_OPENER = /^\s*(?:(?:ok(?:ay)?|so|and|also|now|then|hmm+|wait|btw|but|well|right)\b[\s,]*)*(?:(?:(?:what|how) about|as for|regarding|about|for|re|on|with)\b)?\s*/i;
/** A subject is short: a name, a title, "the X one". */
const MAX_SUBJECT_WORDS = 7;
/** A request, not a subject: "i search paper about …", "looking for …". */
const REQUEST = /^(?:i|i'm|im|we|my|me|can you|could you|please|pls)\b|\b(?:search\w*|looking for|look for|find me|papers? (?:on|about)|anything|something)\b/i;
/** A question without an opener is short: "max seq length?", "perplexity numbers?", "one line each?". */
const MAX_BARE_QUESTION_WORDS = 6;

/** The subject and the question of a message of that shape, or undefined. */
export function splitSubject(text: string): SubjectSplit | undefined {
  const cuts = [...text.matchAll(SEPARATOR)];
  // The last separator that a question follows: "switching topics: sparse transformers — what …" splits at the dash.
  for (let c = cuts.length - 1; c >= 0; c--) {
    const cut = cuts[c]!;
    const question = text.slice(cut.index + cut[0].length).trim();
    const left = text.slice(0, cut.index).trim();
    if (!question || !left || !asksSomething(question) || ASKS_FOR_PAPERS.test(question)) continue;
    const subject = subjectOf(left);
    if (subject) return { subject, question };
  }
  return undefined;
}

/** Whether the words after the separator are a question (or a bare request like "max seq length?"). */
function asksSomething(text: string): boolean {
  if (QUESTION_OPENER.test(text)) return true;
  const words = text.split(/\s+/).filter(Boolean).length;
  return /\?\s*$/.test(text) && words <= MAX_BARE_QUESTION_WORDS;
}

/** The subject in the words before the question: the last segment that is not conversation steering. */
function subjectOf(left: string): string | undefined {
  const segments = left.split(SEPARATOR).map((s) => s.trim()).filter(Boolean);
  const last = segments.at(-1);
  if (!last || DISCOURSE.test(last)) return undefined;
  // "I'm comparing A, B and C. the 2nd one": the subject is "the 2nd one"; "BLT vs MEGABYTE" is whole.
  const subject = last.replace(SUBJECT_OPENER, '').trim();
  if (!subject || QUESTION_OPENER.test(subject) || DISCOURSE.test(subject) || REQUEST.test(subject)) return undefined;
  if (subject.split(/\s+/).length > MAX_SUBJECT_WORDS) return undefined;
  if (!/[\p{L}\d]/u.test(subject)) return undefined;
  return subject;
}

/** Words that only point ("the … one", "paper") and never describe. */
const POINTING = new Set(analyze('the a an one ones paper papers work article study that this which who says say said is about on'));

/** The describing stems of a description ("the fourier one" → fourier). */
export function describingTerms(words: string): string[] {
  return [...new Set(analyze(undotted(words)))].filter((t) => !POINTING.has(t));
}

/** "M.I.T." as "MIT": dotted initials as the word they spell. */
function undotted(text: string): string {
  return text.replace(/\b(?:\p{L}\.){2,}/gu, (m) => m.replace(/\./g, ''));
}

const titleTermsCache = new WeakMap<Paper, Set<string>>();

function titleTerms(paper: Paper): Set<string> {
  let terms = titleTermsCache.get(paper);
  if (!terms) {
    terms = new Set(analyze(undotted(paper.title)));
    titleTermsCache.set(paper, terms);
  }
  return terms;
}

/** The paper using the terms most often (first on ties); undefined for none. */
function mostAbout(wanted: readonly string[], papers: readonly Paper[]): Paper | undefined {
  if (papers.length < 2) return papers[0];
  const uses = (p: Paper) => analyze(`${p.title} ${p.abstract}`).filter((t) => wanted.includes(t)).length;
  return papers.map((paper, i) => ({ paper, i, n: uses(paper) })).sort((a, b) => b.n - a.n || a.i - b.i)[0]!.paper;
}

/** The paper whose title (counting double) and abstract have most of the terms; undefined when none has any. */
function bestMentioning(wanted: readonly string[], papers: readonly Paper[]): Paper | undefined {
  let best: { paper: Paper; score: number } | undefined;
  for (const paper of papers) {
    const all = new Set(analyze(`${paper.title} ${paper.abstract}`));
    const score = wanted.reduce((sum, w) => sum + (titleTerms(paper).has(w) ? 2 : all.has(w) ? 1 : 0), 0);
    if (score > 0 && (!best || score > best.score)) best = { paper, score };
  }
  return best?.paper;
}

/** Whether the title has the terms next to each other, in this order. */
function hasPhrase(title: string, terms: readonly string[]): boolean {
  const words = analyze(title);
  for (let i = 0; i + terms.length <= words.length; i++) if (terms.every((t, j) => words[i + j] === t)) return true;
  return false;
}

/** How many papers' titles have all the terms: a description that few titles fit is specific. */
const SPECIFIC_TITLES = 2;

/**
 * The paper a description points at. In order: a paper of the list (or focus) whose title has
 * every describing word; a paper of the collection (`hits`: its best matches) whose title has them
 * when few titles do ("the diverse beam search one" is that paper even if the list showed another
 * about beam search); the list's paper whose title (counting double) and abstract have most of
 * them; the collection's best match when it has any. Undefined when nothing fits.
 */
export function describedPaper(
  words: string,
  listed: readonly Paper[],
  hits: readonly Paper[] = [],
  collection: readonly Paper[] = [],
  /** "the one with …" speaks of a paper just shown: the list's papers come first, by title or abstract. */
  fromList = false,
): Paper | undefined {
  const wanted = describingTerms(words);
  if (wanted.length === 0) return undefined;
  const titled = (p: Paper) => wanted.every((w) => titleTerms(p).has(w));
  // Of several listed titles with the words, the paper most about them.
  const inList = mostAbout(wanted, listed.filter(titled));
  if (inList) return inList;
  const mentioned = bestMentioning(wanted, listed);
  if (fromList && mentioned) return mentioned;
  // "sparse transformers": a title with the words side by side, in order, is the one meant.
  const phrased = hits.find((p) => hasPhrase(p.title, wanted));
  if (phrased && wanted.length >= 2) return phrased;
  const fitting = collection.length ? collection.filter(titled).length : hits.filter(titled).length;
  const inCollection = hits.find(titled);
  if (inCollection && fitting <= SPECIFIC_TITLES) return inCollection;
  if (mentioned) return mentioned;
  return hits.find((p) => {
    const all = new Set(analyze(`${p.title} ${p.abstract}`));
    return wanted.some((w) => all.has(w));
  });
}
