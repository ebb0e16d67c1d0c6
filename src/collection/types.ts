import type { SourceStamp } from './sources.js';

export type CodeLinkKind = 'github' | 'gitlab' | 'huggingface' | 'project';

export interface CodeLink {
  url: string;
  kind: CodeLinkKind;
}

/** One paper, as every part of paperbot sees it after ingest. */
export interface Paper {
  /**
   * Stable id: the source's own id (JSONL `id`, an arXiv id), made safe for Discord custom ids
   * (≤ MAX_PAPER_ID_CHARS), else derived from the normalised title (see ids.ts).
   */
  id: string;
  title: string;
  abstract: string;
  /** Link to the paper itself when the collection has one; else the search link. */
  url?: string;
  /** An arXiv title search for this paper; always present. */
  searchUrl: string;
  authors: string[];
  /** ISO date (YYYY-MM-DD) when known. */
  published?: string;
  tags: string[];
  codeLinks: CodeLink[];
  /** Content hash of title + abstract: an unchanged paper is not embedded again. */
  hash: string;
  /** Where the record came from, for messages about it. */
  source: { file: string; line: number };
}

/** A record that could not be read, reported and skipped, never silently dropped. */
export interface CollectionProblem {
  file: string;
  line: number;
  message: string;
}

export interface Collection {
  papers: Paper[];
  problems: CollectionProblem[];
  /** True duplicates (the same source id, or the same title and abstract without distinct source ids): the first is kept. */
  duplicates: { title: string; id: string; sources: { file: string; line: number }[] }[];
  /** Different papers that share a title: all kept, each with its own id. */
  sameTitle?: { title: string; ids: string[] }[];
  /** Hash over all papers' ids and hashes, in id order. */
  hash: string;
  /** The files it was read from, as they were (loadCollection sets it; see sources.ts). */
  sources?: SourceStamp[];
}
