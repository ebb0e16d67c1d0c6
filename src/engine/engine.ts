import { performance } from 'node:perf_hooks';
import type { Paper } from '../collection/types.js';
import type { Embedder } from '../embedding/types.js';
import { UserFacingError } from '../errors.js';
import { parseArxivId } from '../feeds/arxiv-id.js';
import type { VectorStore } from '../store/types.js';
import { answerQuestion } from './ask/answer.js';
import { reciprocalRankFusion, type RankedId } from './fusion.js';
import { documentText } from './ingest.js';
import { LexicalIndex } from './lexical/index.js';
import { dailyPicks } from './picks.js';
import { TfIdfSpace } from './relevance.js';
import { snippet } from './snippet.js';
import { AmbiguousPaperError, looksLikeId, PaperResolver } from './resolve.js';
import { PaperSimilarity } from './similar/index.js';
import { SpellingCorrector } from './spelling.js';
import { TitleSuggester } from './suggest.js';
import type {
  AskOptions,
  AskResult,
  Engine,
  EngineInfo,
  FindOptions,
  PaperResolution,
  SearchFilters,
  SearchHit,
  SearchMode,
  SearchResult,
  Suggestion,
} from './types.js';
import { clampInt, cleanQuery, MAX_SIMILAR_TEXT_CHARS } from './validate.js';
import type { VocabularySetting } from './vocab/select.js';

/** How deep each ranker looks before fusion; also caps paging. */
const CANDIDATES = 100;
const MAX_K = 50;

export interface EngineParts {
  papers: readonly Paper[];
  /** Prebuilt lexical index (else built here from the papers). */
  lexical?: LexicalIndex;
  /** VOCABULARY, for a lexical index built here (default auto). */
  vocabulary?: VocabularySetting;
  /** Dense side; both or neither. */
  vectors?: VectorStore | null;
  embedder?: Embedder | null;
  /** Why there is no dense side, for /about and the one start-up warning. */
  modelNote?: string;
  indexBuiltAt?: string | null;
  collectionHash?: string;
}

/** The retrieval engine shared by the CLI, the bot and the tests. No Discord here. */
export class PaperEngine implements Engine {
  readonly mode: SearchMode;
  readonly papers: readonly Paper[];
  private readonly byId = new Map<string, Paper>();
  private readonly resolver: PaperResolver;
  private readonly spelling: SpellingCorrector;
  private readonly lexical: LexicalIndex;
  private readonly vectors: VectorStore | null;
  private readonly embedder: Embedder | null;
  private readonly suggester: TitleSuggester;
  private readonly similarity: PaperSimilarity;
  private readonly indexOf = new Map<string, number>();
  private readonly hasDates: boolean;
  private readonly hasAuthors: boolean;
  private tfidf: TfIdfSpace | undefined;

  constructor(private readonly parts: EngineParts) {
    this.papers = parts.papers;
    for (const p of parts.papers) if (!this.byId.has(p.id)) this.byId.set(p.id, p);
    this.resolver = new PaperResolver(parts.papers);
    this.lexical = parts.lexical ?? LexicalIndex.build(parts.papers, {}, parts.vocabulary);
    parts.papers.forEach((p, i) => this.indexOf.has(p.id) || this.indexOf.set(p.id, i));
    this.similarity = new PaperSimilarity(parts.papers, this.lexical.termSequences());
    this.spelling = new SpellingCorrector(parts.papers, (word) => this.lexical.knows(word));
    this.vectors = parts.vectors && parts.embedder ? parts.vectors : null;
    this.embedder = this.vectors ? (parts.embedder ?? null) : null;
    this.mode = this.vectors ? 'hybrid' : 'lexical';
    this.suggester = new TitleSuggester(parts.papers);
    this.hasDates = parts.papers.some((p) => p.published);
    this.hasAuthors = parts.papers.some((p) => p.authors.length > 0);
  }

  info(): EngineInfo {
    return {
      papers: this.papers.length,
      mode: this.mode,
      model: this.embedder?.modelId ?? null,
      modelNote: this.parts.modelNote,
      indexBuiltAt: this.parts.indexBuiltAt ?? null,
      collectionHash: this.parts.collectionHash ?? '',
    };
  }

  paper(idOrTitle: string): Paper | undefined {
    const resolved = this.resolver.resolve(idOrTitle);
    return resolved.kind === 'found' ? resolved.paper : undefined;
  }

  resolvePaper(text: string): PaperResolution {
    return this.resolver.resolve(text);
  }

  suggest(prefix: string, limit = 25): Suggestion[] {
    return this.suggester.suggest(typeof prefix === 'string' ? prefix.slice(0, 200) : '', Math.min(25, Math.max(1, limit)));
  }

  async find(rawQuery: string, options: FindOptions = {}): Promise<SearchResult> {
    const started = performance.now();
    const typed = cleanQuery(rawQuery);
    const filter = this.filterFor(options.filters);
    // Words the collection never uses but nearly does are read as the word it uses.
    const correction = this.spelling.correct(typed);
    const query = correction?.text ?? typed;
    const lexical = this.lexical.search(query, { k: CANDIDATES, filter });
    let fused: RankedId[] = lexical;
    if (this.vectors && this.embedder) {
      const vector = await this.embedder.embedQuery(query);
      const dense = await this.denseSearch(vector, filter);
      fused = reciprocalRankFusion([lexical, dense]);
    }
    const result = this.page(fused, query, options, started);
    return correction ? { ...result, correctedQuery: correction.text } : result;
  }

  async similar(paperOrText: string, options: FindOptions = {}): Promise<SearchResult> {
    const started = performance.now();
    const input = cleanQuery(paperOrText, 'paper or text', MAX_SIMILAR_TEXT_CHARS);
    const resolved = this.resolver.resolve(input);
    if (resolved.kind === 'ambiguous') throw new AmbiguousPaperError(input, resolved.candidates);
    // An id that names no paper is a mistake to report, not words to search for.
    if (resolved.kind === 'none' && looksLikeId(input)) {
      throw new UserFacingError(`No paper has the id "${input.slice(0, 80)}". Pick a paper by its title, or paste text to compare.`);
    }
    const paper = resolved.kind === 'found' ? resolved.paper : undefined;
    const base = this.filterFor(options.filters);
    // Document-to-document similarity: the whole paper (or the pasted text) against each paper.
    const target = paper ? { paper: this.indexOf.get(paper.id)! } : { text: input };
    let dense: Map<string, number> | undefined;
    if (this.vectors && this.embedder) {
      const vector = (paper && this.vectors.vectorOf(paper.id)) || (await this.embedder.embedQuery(input));
      dense = new Map((await this.vectors.query(vector, CANDIDATES * 3)).map((h) => [h.id, h.score]));
    }
    const ranked = this.similarity.rank(target, CANDIDATES, base, dense);
    return this.page(ranked, paper ? paper.title : input.slice(0, 300), options, started);
  }

  async ask(rawQuestion: string, options: AskOptions = {}): Promise<AskResult> {
    const started = performance.now();
    const question = cleanQuery(rawQuestion, 'question');
    const { filters } = options;
    const result = await answerQuestion(question, async (q, k) => {
      const found = await this.find(q, { k: Math.min(k, MAX_K), filters });
      return found.hits.map((h) => ({ paper: h.paper, score: h.score }));
    }, { papers: this.papers, ...(options.k !== undefined ? { candidates: clampInt(options.k, 1, 10, 5) } : {}) });
    return { ...result, mode: this.mode, tookMs: performance.now() - started };
  }

  /**
   * For papers from outside the collection (feed items, a paper being added): the `k` collection
   * papers nearest to each, with a cosine similarity in [0, 1]. With a model, cosine of the
   * embeddings; without one, TF-IDF cosine over the collection's vocabulary (built on first use).
   */
  async nearestTo(docs: readonly Pick<Paper, 'title' | 'abstract'>[], k = 3): Promise<{ paper: Paper; similarity: number }[][]> {
    if (docs.length === 0) return [];
    const toPapers = (hits: { id: string; similarity: number }[]) =>
      hits.flatMap((h) => {
        const paper = this.byId.get(h.id);
        return paper ? [{ paper, similarity: h.similarity }] : [];
      });
    if (this.vectors && this.embedder) {
      const vectors = await this.embedder.embedDocuments(docs.map(documentText));
      return Promise.all(
        vectors.map(async (v) => toPapers((await this.vectors!.query(v, k)).map((h) => ({ id: h.id, similarity: Math.max(0, h.score) })))),
      );
    }
    this.tfidf ??= TfIdfSpace.build(this.papers);
    return docs.map((d) => toPapers(this.tfidf!.nearest(d, k)));
  }

  picks(date: string, n: number, history: readonly string[]): Paper[] {
    return dailyPicks(this.papers, date, n, history, this.vectors ? this.cosine : undefined);
  }

  private readonly cosine = (a: Paper, b: Paper): number => {
    const va = this.vectors?.vectorOf(a.id);
    const vb = this.vectors?.vectorOf(b.id);
    if (!va || !vb) return 0;
    let dot = 0;
    for (let i = 0; i < va.length; i++) dot += va[i]! * vb[i]!;
    return dot;
  };

  private async denseSearch(vector: number[], filter?: (id: string) => boolean): Promise<RankedId[]> {
    if (!this.vectors) return [];
    // Over-fetch when filtering, since the store filters by exclusion only.
    const hits = await this.vectors.query(vector, filter ? CANDIDATES * 3 : CANDIDATES);
    return (filter ? hits.filter((h) => filter(h.id)) : hits).slice(0, CANDIDATES);
  }

  private filterFor(filters?: SearchFilters): ((id: string) => boolean) | undefined {
    if (!filters) return undefined;
    const checks: ((p: Paper) => boolean)[] = [];
    if (filters.hasCode) checks.push((p) => p.codeLinks.length > 0);
    if (filters.since) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(filters.since) || Number.isNaN(Date.parse(filters.since))) {
        throw new UserFacingError(`"since" must be a date like 2024-01-31 (got "${filters.since.slice(0, 40)}").`);
      }
      if (!this.hasDates) throw new UserFacingError('This collection has no publication dates, so "since" cannot filter it.');
      const since = filters.since;
      checks.push((p) => Boolean(p.published && p.published >= since));
    }
    if (filters.author) {
      if (!this.hasAuthors) throw new UserFacingError('This collection has no author names, so "author" cannot filter it.');
      const needle = filters.author.normalize('NFKC').toLowerCase().trim();
      checks.push((p) => p.authors.some((a) => a.normalize('NFKC').toLowerCase().includes(needle)));
    }
    if (checks.length === 0) return undefined;
    return (id) => {
      const p = this.byId.get(id);
      return Boolean(p && checks.every((c) => c(p)));
    };
  }

  private page(ranked: RankedId[], query: string, options: FindOptions, started: number): SearchResult {
    const k = clampInt(options.k, 1, MAX_K, 10);
    const offset = clampInt(options.offset, 0, CANDIDATES, 0);
    const hits: SearchHit[] = [];
    for (const r of ranked.slice(offset, offset + k)) {
      const paper = this.byId.get(r.id);
      if (paper) hits.push({ paper, score: r.score, snippet: snippet(paper.abstract, query) });
    }
    return { mode: this.mode, hits, total: ranked.length, tookMs: performance.now() - started };
  }
}
