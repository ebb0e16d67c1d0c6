// Building an index from documents: analyse title and abstract into terms, then an
// inverted index (postings with per-field counts) and each document's term sequence.
import { compileAbbreviations, learnAbbreviations } from '../text/abbreviations.js';
import { analyze } from '../text/analyze.js';
import { chooseVocabulary, type VocabularySetting } from '../vocab/select.js';
import type { IndexData, LexicalDoc } from './types.js';

export function buildIndexData(docs: readonly LexicalDoc[], vocabularySetting: VocabularySetting = 'auto'): IndexData {
  const texts = docs.map((d) => `${d.title}. ${d.abstract}`);
  // The vocabulary files this collection gets (by configuration, or by the words it uses).
  const { vocabulary, names } = chooseVocabulary(vocabularySetting, texts);
  // Acronyms the abstracts define ("… Masked Image Modeling (MIM) …") join the files' tables.
  const learned = learnAbbreviations(texts);
  const abbreviations = compileAbbreviations(learned, vocabulary.abbreviationRules);
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const lists: { docs: number[]; title: number[]; abstract: number[] }[] = [];
  const titleLengths = new Uint16Array(docs.length);
  const abstractLengths = new Uint32Array(docs.length);
  const sequences: Uint32Array[] = [];
  // Per-document term counts in reusable arrays indexed by term id (no per-doc Map).
  let titleCounts: Uint32Array = new Uint32Array(1024);
  let abstractCounts: Uint32Array = new Uint32Array(1024);
  const idOf = (term: string): number => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = terms.length;
      termIds.set(term, id);
      terms.push(term);
      lists.push({ docs: [], title: [], abstract: [] });
      if (id >= titleCounts.length) {
        titleCounts = grow(titleCounts);
        abstractCounts = grow(abstractCounts);
      }
    }
    return id;
  };
  docs.forEach((doc, d) => {
    const title = analyze(doc.title, abbreviations);
    const abstract = analyze(doc.abstract, abbreviations);
    const seq = new Uint32Array(title.length + abstract.length);
    const touched: number[] = [];
    title.forEach((term, i) => {
      const t = idOf(term);
      seq[i] = t;
      if (titleCounts[t]! + abstractCounts[t]! === 0) touched.push(t);
      titleCounts[t]!++;
    });
    abstract.forEach((term, i) => {
      const t = idOf(term);
      seq[title.length + i] = t;
      if (titleCounts[t]! + abstractCounts[t]! === 0) touched.push(t);
      abstractCounts[t]!++;
    });
    for (const t of touched) {
      const list = lists[t]!;
      list.docs.push(d);
      list.title.push(Math.min(titleCounts[t]!, 65535));
      list.abstract.push(Math.min(abstractCounts[t]!, 65535));
      titleCounts[t] = 0;
      abstractCounts[t] = 0;
    }
    titleLengths[d] = Math.min(title.length, 65535);
    abstractLengths[d] = abstract.length;
    sequences.push(seq);
  });
  const postings = lists.map((l) => ({
    docs: Uint32Array.from(l.docs),
    titleTf: Uint16Array.from(l.title),
    abstractTf: Uint16Array.from(l.abstract),
  }));
  return {
    ids: docs.map((d) => d.id),
    terms,
    termIds,
    postings,
    titleLengths,
    abstractLengths,
    sequences,
    learned,
    vocabularies: [...vocabulary.names],
    vocabularyNames: names,
  };
}

function grow(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
