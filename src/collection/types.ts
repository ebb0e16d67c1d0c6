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
  /** The arXiv id without version (`2501.00001`), when the record named an arXiv paper. */
  arxivId?: string;
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
}

/**
 * A paper as added to the collection (arXiv lookup, a Discord form, the CLI, a feed) and stored
 * in the state database: what becomes a Paper once the collection is built.
 */
export interface PaperRecord {
  title: string;
  abstract: string;
  /** Without version. */
  arxivId?: string;
  version?: number;
  /** The paper's page, when it is not on arXiv (or a specific link was given). */
  url?: string;
  authors: string[];
  /** YYYY-MM-DD. */
  published?: string;
  /** arXiv categories or the feed's subjects; become the paper's tags. */
  categories: string[];
  doi?: string;
}

/** What the state database says was added to and removed from the collection files. */
export interface LibraryChanges {
  /** In the order they were added; `seq` is stable and stands in for a line number. */
  additions: readonly { seq: number; record: PaperRecord }[];
  removals: readonly PaperRemoval[];
}

/** A paper taken out of the collection; it matches by id, by arXiv id or by normalised title. */
export interface PaperRemoval {
  paperId: string;
  arxivId?: string;
  titleKey: string;
}
