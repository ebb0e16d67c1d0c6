// The lexical index's inputs and outputs, and the arrays it is made of.

export interface LexicalDoc {
  id: string;
  title: string;
  abstract: string;
}

export interface LexicalHit {
  id: string;
  score: number;
}

export interface LexicalSearchOptions {
  k?: number;
  filter?: (id: string) => boolean;
}

/** The documents holding one term (ascending doc numbers) and its count in each field. */
export interface Posting {
  docs: Uint32Array;
  titleTf: Uint16Array;
  abstractTf: Uint16Array;
}

/**
 * Everything an index is made of: what build.ts produces, persist.ts saves and loads, and
 * scoring and query reading use. Documents are numbered 0..ids.length-1, terms 0..terms.length-1.
 */
export interface IndexData {
  ids: string[];
  terms: string[];
  termIds: Map<string, number>;
  /** postings[t] for term t. */
  postings: Posting[];
  titleLengths: Uint16Array;
  abstractLengths: Uint32Array;
  /** Term ids of each document in reading order (title then abstract). */
  sequences: Uint32Array[];
  /** Acronyms learned from the collection: (phrase, acronym). */
  learned: [string, string][];
  /** The vocabulary files (data/vocab) chosen for this collection. */
  vocabularies: string[];
  /** Synonym keys (stems) never expanded here: names ("CLIP") or the collection's own frequent words. */
  vocabularyNames: string[];
}
