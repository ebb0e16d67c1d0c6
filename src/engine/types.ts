import type { Paper } from '../collection/types.js';

export type SearchMode = 'lexical' | 'hybrid';

export interface SearchFilters {
  hasCode?: boolean;
  /** ISO date; only papers published on or after it (when the collection has dates). */
  since?: string;
  /** Case-insensitive substring of an author name (when the collection has authors). */
  author?: string;
}

export interface FindOptions {
  k?: number;
  /** For paging ("Next"): skip this many results. */
  offset?: number;
  filters?: SearchFilters;
}

export interface AskOptions {
  /** How many of the best-matching papers the answer may be taken from (1–10, default 5). */
  k?: number;
  /** Only papers passing these are read. */
  filters?: SearchFilters;
}

export interface SearchHit {
  paper: Paper;
  /** Fused score, higher is better; comparable only within one result list. */
  score: number;
  /** A short piece of the abstract around the matching words. */
  snippet: string;
}

export interface SearchResult {
  mode: SearchMode;
  /**
   * Set when `find` corrected query words the collection never uses ("quantizaton" →
   * "quantization"): the query that was searched. Views show "Showing results for …".
   */
  correctedQuery?: string;
  hits: SearchHit[];
  /** How many results there are in all before paging (capped by the engine). */
  total: number;
  tookMs: number;
}

export interface Citation {
  n: number;
  paper: Paper;
}

export interface AskResult {
  /** False when nothing in the collection answers; `answer` then says so plainly. */
  answered: boolean;
  /** Sentences with [n] markers. */
  answer: string;
  citations: Citation[];
  mode: SearchMode;
  tookMs: number;
}

export interface Suggestion {
  /** Shown to the user: at most 100 characters. */
  name: string;
  /** The paper id. */
  value: string;
}

export interface EngineInfo {
  papers: number;
  mode: SearchMode;
  model: string | null;
  /** Why there is no model, when there is none. */
  modelNote?: string;
  indexBuiltAt: string | null;
  collectionHash: string;
}

/** What a typed paper name (id, arXiv id or link, title, words of a title) refers to. */
export type PaperResolution =
  | { kind: 'found'; paper: Paper }
  /** Several papers fit (at most 25 listed): ask which one. */
  | { kind: 'ambiguous'; candidates: Paper[] }
  | { kind: 'none' };

/** What the CLI, the bot and the tests call. Never imports discord.js. */
export interface Engine {
  readonly mode: SearchMode;
  readonly papers: readonly Paper[];
  find(query: string, options?: FindOptions): Promise<SearchResult>;
  /**
   * Nearest papers to a paper (by id or exact/near title) or to free text; never the paper itself.
   * A name that fits several papers throws AmbiguousPaperError (a UserFacingError listing them);
   * an unknown id throws a UserFacingError rather than becoming a text search.
   */
  similar(paperOrText: string, options?: FindOptions): Promise<SearchResult>;
  /** Title autocomplete: typo-tolerant, at most `limit` (≤ 25) choices of ≤ 100 chars. */
  suggest(prefix: string, limit?: number): Suggestion[];
  ask(question: string, options?: AskOptions): Promise<AskResult>;
  /** The day's picks: deterministic for a date, diverse, avoiding `history` until all papers had a turn. */
  picks(date: string, n: number, history: readonly string[]): Paper[];
  /** A paper by id, or by title (exact, then best match); undefined when none or several fit (see resolvePaper). */
  paper(idOrTitle: string): Paper | undefined;
  /** The paper a typed id, arXiv id, title or part of a title names: found, ambiguous (candidates) or none. */
  resolvePaper(text: string): PaperResolution;
  info(): EngineInfo;
}
