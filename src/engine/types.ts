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

export interface SearchHit {
  paper: Paper;
  /** Fused score, higher is better; comparable only within one result list. */
  score: number;
  /** A short piece of the abstract around the matching words. */
  snippet: string;
}

export interface SearchResult {
  mode: SearchMode;
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

/** What the CLI, the bot and the tests call. Never imports discord.js. */
export interface Engine {
  readonly mode: SearchMode;
  readonly papers: readonly Paper[];
  find(query: string, options?: FindOptions): Promise<SearchResult>;
  /** Nearest papers to a paper (by id or exact/near title) or to free text; never the paper itself. */
  similar(paperOrText: string, options?: FindOptions): Promise<SearchResult>;
  /** Title autocomplete: typo-tolerant, at most `limit` (≤ 25) choices of ≤ 100 chars. */
  suggest(prefix: string, limit?: number): Suggestion[];
  ask(question: string): Promise<AskResult>;
  /** The day's picks: deterministic for a date, diverse, avoiding `history` until all papers had a turn. */
  picks(date: string, n: number, history: readonly string[]): Paper[];
  /** A paper by id, or by title (exact, then best match). */
  paper(idOrTitle: string): Paper | undefined;
  info(): EngineInfo;
}
