// The sentences that may answer: the retrieved papers (narrowed to those that name what the
// question names), each read once into analysed sentences.
import type { Paper } from '../../collection/types.js';
import { analyze } from '../text/analyze.js';
import { namesVersion, type NameTerms, type QuestionName } from './question.js';
import { splitSentences, URL_PATTERN } from './sentences.js';

export interface CandidateSentence {
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
        .map((text) => ({ text, terms: new Set(analyze(text.replace(URL_PATTERN, ' '))) }))
        .filter((s) => s.terms.size > 0),
    };
    paperCache.set(paper, read);
  }
  return read;
}

/**
 * Names in the question ("BLT", "Whisper") pin the paper: only papers mentioning them all
 * can answer, and a paper of the collection that does joins the candidates even when
 * the retriever ranked it low.
 */
export function candidatePapers(
  hits: Paper[],
  nameTerms: readonly NameTerms[],
  questionNameList: readonly QuestionName[],
  collection: readonly Paper[] | undefined,
): Paper[] {
  const names = [...new Set(nameTerms.map((n) => n.term))];
  if (names.length === 0) return hits;
  const named = (p: Paper) =>
    names.every((n) => readPaper(p).paperTerms.has(n)) &&
    questionNameList.every((n) => namesVersion(`${p.title} ${p.abstract}`, n));
  const pinned = collection ? collection.filter(named) : [];
  return pinned.length > 0 && pinned.length <= 3
    ? [...hits.filter(named), ...pinned.filter((p) => !hits.includes(p))]
    : hits.filter(named);
}

/** Every sentence of `papers` (in rank order), unscored. */
export function candidateSentences(papers: readonly Paper[], question: string): CandidateSentence[] {
  const sentences: CandidateSentence[] = [];
  papers.forEach((paper, rank) => {
    const { titleTerms, paperTerms, sentences: parts } = readPaper(paper);
    const ownNames = ownNamesOf(paper, question);
    let previous: CandidateSentence | undefined;
    for (const { text, terms } of parts) {
      const s: CandidateSentence = { text, terms, paper, rank, previous, ownNames, titleTerms, paperTerms, score: 0, coverage: 0 };
      sentences.push(s);
      previous = s;
    }
  });
  return sentences;
}

/** Words the question and the paper's title use as names: "Arctic-SnowCoder" is the paper's own, not another system. */
function ownNamesOf(paper: Paper, question: string): Set<string> {
  const words = `${paper.title} ${question}`.toLowerCase().match(/[\p{L}\d]+/gu) ?? [];
  return new Set(words.filter((w) => w.length >= 3));
}
