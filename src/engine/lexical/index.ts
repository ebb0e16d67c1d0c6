// The lexical index: BM25F over title + abstract with an inverted index, then a re-ranking pass
// on the best candidates that rewards query words appearing close together, plus light
// pseudo-relevance feedback. This file puts the parts together; each lives in its own module.
import { buildIndexData } from './build.js';
import { feedbackTerms } from './feedback.js';
import { LEXICAL_PARAMS, type LexicalParams } from './params.js';
import { BinaryReader } from '../../store/binary-file.js';
import { decodeIndex, encodeIndex } from './persist.js';
import { QueryReader } from './query.js';
import { Bm25f, topByScore } from './scoring.js';
import type { IndexData, LexicalDoc, LexicalHit, LexicalSearchOptions } from './types.js';
import type { VocabularySetting } from '../vocab/select.js';
import type { TermSequences } from '../similar/vectors.js';

export type { LexicalParams } from './params.js';
export type { LexicalDoc, LexicalHit, LexicalSearchOptions } from './types.js';

export class LexicalIndex {
  private constructor(
    private readonly data: IndexData,
    private readonly scorer: Bm25f,
    private readonly query: QueryReader,
    readonly params: LexicalParams,
  ) {}

  /** `vocabulary`: which data/vocab files to use (VOCABULARY; `auto` decides from the documents). */
  static build(docs: readonly LexicalDoc[], params: Partial<LexicalParams> = {}, vocabulary: VocabularySetting = 'auto'): LexicalIndex {
    return LexicalIndex.assemble(buildIndexData(docs, vocabulary), params);
  }

  /** An index saved by toBuffer (throws when the bytes are damaged or of another format). */
  static fromBuffer(bytes: Buffer, params: Partial<LexicalParams> = {}): LexicalIndex {
    return LexicalIndex.assemble(decodeIndex(BinaryReader.from(bytes, 'lexical index')), params);
  }

  private static assemble(data: IndexData, params: Partial<LexicalParams>): LexicalIndex {
    const full: LexicalParams = { ...LEXICAL_PARAMS, ...params };
    return new LexicalIndex(data, new Bm25f(data, full), new QueryReader(data, full), full);
  }

  get size(): number {
    return this.data.ids.length;
  }

  /** The vocabulary files in use for this collection, and synonym keys that are names in it. */
  get vocabulary(): { files: readonly string[]; names: readonly string[] } {
    return { files: this.data.vocabularies, names: this.data.vocabularyNames };
  }

  /** Best-first hits; an empty or stop-word-only query gives []. */
  search(query: string, opts: LexicalSearchOptions = {}): LexicalHit[] {
    const k = opts.k ?? 10;
    const { ids } = this.data;
    if (k <= 0 || ids.length === 0) return [];
    const queryTerms = this.query.read(query);
    if (queryTerms.length === 0) return [];

    // Scratch reused between searches (a search runs to the end synchronously); reset below.
    const scores = this.scratchFor(ids.length);
    const touched: number[] = [];
    try {
      for (const q of queryTerms) this.scorer.accumulate(q, scores, touched);

      const keep = opts.filter ? (d: number) => opts.filter!(ids[d]!) : undefined;
      const depth = Math.max(this.params.rerankDepth, k);
      const candidates = topByScore(touched, scores, depth, keep);
      const bonuses = this.scorer.proximityBonuses(candidates, queryTerms);
      let ranked = this.scorer.rerank(candidates, scores, bonuses);
      if (this.params.feedbackWeight > 0 && this.params.feedbackDocs > 0 && ranked.length > 0) {
        const top = ranked.slice(0, this.params.feedbackDocs).map((r) => r.d);
        const expansion = feedbackTerms(this.data, this.scorer, this.params, top, queryTerms);
        // Expansion re-scores the candidates only (not the whole collection): it reorders what
        // the query found, at a cost independent of collection size.
        if (expansion.size > 0) {
          this.scorer.scoreExpansion(candidates, expansion, scores);
          ranked = this.scorer.rerank(candidates, scores, bonuses);
        }
      }
      return ranked.slice(0, k).map(({ d, score }) => ({ id: ids[d]!, score }));
    } finally {
      for (const d of touched) scores[d] = 0;
    }
  }

  private scratch: Float64Array | undefined;

  private scratchFor(n: number): Float64Array {
    if (this.scratch?.length !== n) this.scratch = new Float64Array(n);
    return this.scratch;
  }

  /** Does a query word find anything here as it is (its stem is a term, or it begins one)? */
  knows(word: string): boolean {
    return this.query.knows(word);
  }

  /** The documents as term ids in reading order (title, abstract), for document-to-document similarity. */
  termSequences(): TermSequences {
    const { sequences, titleLengths, terms } = this.data;
    return {
      count: sequences.length,
      vocabularySize: terms.length,
      title: (d) => sequences[d]!.subarray(0, titleLengths[d]!),
      abstract: (d) => sequences[d]!.subarray(titleLengths[d]!),
      analyze: (text) => this.query.termIdsOf(text),
    };
  }

  /** The saved form (persist.ts). */
  toBuffer(): Buffer {
    return encodeIndex(this.data);
  }
}
