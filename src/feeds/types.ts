/** What every feed knows about a paper, whichever upstream it came from. */
export interface PaperCore {
  /** Without version, when the paper is on arXiv: `2501.00001`, `hep-th/9901001`. */
  arxivId?: string;
  version?: number;
  title: string;
  abstract: string;
  authors: string[];
  /** YYYY-MM-DD (of version 1, for arXiv papers). */
  published?: string;
  categories: string[];
  doi?: string;
}
