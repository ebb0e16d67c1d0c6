/**
 * The engine that follows the collection while serving: it holds the current PaperEngine and
 * swaps in the next index generation without a restart.
 *
 * - `current()` is one engine over one generation. The bot takes it once at the start of each
 *   interaction, so an interaction never straddles two generations; requests in flight finish on
 *   the engine they started with.
 * - `rebuild()` (after an addition or removal) reads the collection and builds the next
 *   generation while holding the build lock (store/build-lock.ts), then loads it off to the side;
 *   the swap is one assignment. Rebuilds queue and coalesce: a request made while one is waiting
 *   to start shares it; one made while a build runs gets the next.
 * - `watch()` notices generations committed by another process (`paperbot add`, `paperbot
 *   ingest`): fs.watch on INDEX_DIR plus a slow poll of CURRENT (live-watch.ts). The poll also
 *   notices a collection change that no process indexed (a `paperbot add` killed after its
 *   commit) and rebuilds (catchUp).
 *
 * The collection is the caller's: `loadCollection` returns the files plus the state database's
 * additions minus its removals (src/index.ts and the CLI wire it).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { Collection } from '../collection/types.js';
import type { Embedder } from '../embedding/types.js';
import { withBuildLock, buildLockHolder, type BuildLockOptions } from '../store/build-lock.js';
import { currentGenerationName, inspectCurrentGeneration, openLiveIndex, type LiveIndex } from '../store/index-dir.js';
import type { VectorKernel } from '../store/row-matrix.js';
import type { VectorFileStore } from '../store/vector-file.js';
import { PaperEngine } from './engine.js';
import { indexStatus, ingest, type IngestResult, type ReusableVectors } from './ingest.js';
import { loadLexicalIndex } from './lexical/cache.js';
import { loadSimilarity } from './similar/persist.js';
import { loadTitleIndex } from './suggest.js';
import { watchIndex } from './live-watch.js';
import type { Engine } from './types.js';
import type { VocabularySetting } from './vocab/select.js';

export interface LiveEngineOptions {
  indexDir: string;
  embedder: Embedder | null;
  /** Why there is no model, when there is none (shown by /about). */
  modelNote?: string;
  kernel?: VectorKernel;
  /** VOCABULARY: which data/vocab files the lexical index uses (default auto). */
  vocabulary?: VocabularySetting;
  /** The live collection now: the collection files plus the state database's changes. */
  loadCollection: () => Promise<Collection>;
  /** Goes up whenever the collection may have changed (the library's change counter); polled by watch(). */
  collectionVersion?: () => number;
  logger: Logger;
  /** Embedding progress of a build. */
  onProgress?: (done: number, total: number) => void;
  lock?: BuildLockOptions;
  /** Told after every swap. */
  onSwap?: (swap: SwapInfo) => void;
  /**
   * Rebuilds of a collection of at least `minPapers` run here instead of in this process: the bot
   * passes `paperbot ingest` in a child process, because a rebuild's index arithmetic holds the event
   * loop (up to 1.8 s at a time for 10k papers), and interactions must be acknowledged within 3 s.
   * `run` takes the build lock itself and commits a generation, which is then served as any other.
   */
  externalBuild?: { minPapers: number; run: () => Promise<void> };
}

export interface SwapInfo {
  generation: string;
  papers: number;
  /** What caused it: 'open', 'rebuild', 'watch'. */
  reason: string;
}

export interface RebuildResult {
  /** The generation served after the rebuild. */
  generation: string;
  /** Whether a new generation was built (false: the index already matched the collection). */
  built: boolean;
  ingest?: IngestResult;
}

interface Serving {
  engine: PaperEngine;
  generation: string;
  collectionHash: string;
  vectors: VectorFileStore | null;
  modelId: string | null;
}

export class LiveEngine {
  private serving!: Serving;
  /** Rebuilds and reloads run one at a time, in order. */
  private chain: Promise<unknown> = Promise.resolve();
  /** A rebuild requested but not started yet: later requests share it. */
  private pendingRebuild: Promise<RebuildResult> | undefined;
  private watching: { stop(): void } | undefined;
  private lastVersion: number | undefined;
  private closed = false;
  private modelNote: string | undefined;

  private constructor(private readonly opts: LiveEngineOptions) {
    this.modelNote = opts.modelNote;
  }

  /**
   * Loads the collection, makes sure the index matches it (building it, under the build lock,
   * when missing, out of date or damaged) and starts serving it. An index built with another
   * model is served lexically with a note, as before (`paperbot ingest` re-embeds).
   */
  static async open(opts: LiveEngineOptions): Promise<{ live: LiveEngine; collection: Collection }> {
    const live = new LiveEngine(opts);
    live.lastVersion = opts.collectionVersion?.();
    const collection = await live.prepare();
    return { live, collection };
  }

  /** The engine to use for one request (or one interaction). */
  current(): PaperEngine {
    return this.serving.engine;
  }

  /** The generation folder being served. */
  get generation(): string {
    return this.serving.generation;
  }

  /**
   * An Engine whose every call goes to the engine current at that moment: for long-lived
   * services (the daily post) that make one call at a time. Interactions use current().
   */
  view(): Engine {
    const cur = () => this.serving.engine;
    return {
      get mode() {
        return cur().mode;
      },
      get papers() {
        return cur().papers;
      },
      find: (q, o) => cur().find(q, o),
      similar: (p, o) => cur().similar(p, o),
      suggest: (p, l) => cur().suggest(p, l),
      ask: (q, o) => cur().ask(q, o),
      picks: (d, n, h) => cur().picks(d, n, h),
      paper: (id) => cur().paper(id),
      resolvePaper: (t) => cur().resolvePaper(t),
      info: () => cur().info(),
    };
  }

  /**
   * Builds the next generation from the collection as it is now and serves it. Resolves once
   * the engine that includes every change committed before this call is current.
   */
  rebuild(): Promise<RebuildResult> {
    if (this.pendingRebuild) return this.pendingRebuild;
    const run = this.chain.then(() => {
      this.pendingRebuild = undefined;
      return this.build('rebuild');
    });
    this.pendingRebuild = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Serves the generation CURRENT names, if it is not the one served (another process built it). */
  refresh(): Promise<boolean> {
    const run = this.chain.then(() => this.reload('watch'));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Follows INDEX_DIR (see live-watch.ts): fs.watch for CURRENT being replaced, and a poll every
   * `pollMs` that also notices a collection change nobody indexed. Stopped by close().
   */
  watch(pollMs = 5000): void {
    if (this.closed || this.watching) return;
    this.watching = watchIndex(this, { indexDir: this.opts.indexDir, pollMs, logger: this.opts.logger });
  }

  /** Stops watching; resolves when a build or reload in progress has finished. */
  async close(): Promise<void> {
    this.closed = true;
    this.watching?.stop();
    this.watching = undefined;
    await this.chain.catch(() => undefined);
  }

  /** Refreshes when CURRENT names a generation other than the one served (one small read otherwise). */
  async refreshIfMoved(): Promise<boolean> {
    const name = await currentGenerationName(this.opts.indexDir);
    return name !== undefined && name !== path.basename(this.serving.generation) ? this.refresh() : false;
  }

  /**
   * When the collection changed (the library's counter moved) and nobody is building, makes sure
   * the served index matches it: after a `paperbot add` killed between its commit and its build.
   */
  async catchUp(): Promise<void> {
    if (this.closed) return;
    const version = this.opts.collectionVersion?.();
    if (version === undefined || version === this.lastVersion) return;
    // Changed by someone. If they are still building, their commit will reach us through refresh().
    if (await buildLockHolder(this.opts.indexDir)) return;
    const collection = await this.opts.loadCollection();
    this.lastVersion = version;
    if (collection.hash !== this.serving.collectionHash) {
      this.opts.logger.info('index: the collection changed and no one indexed it; rebuilding');
      await this.rebuild();
    }
  }

  private async prepare(): Promise<Collection> {
    const { opts } = this;
    let collection = await opts.loadCollection();
    let status = await indexStatus(opts.indexDir, collection, opts.embedder, opts.vocabulary);
    if (status.state === 'missing' || status.state === 'stale') {
      opts.logger.info({ reason: status.reason }, status.state === 'missing' ? 'building the index' : 'updating the index');
      collection = (await this.buildLocked()).collection;
      status = await indexStatus(opts.indexDir, collection, opts.embedder, opts.vocabulary);
    }
    if (status.state === 'model-mismatch') {
      this.modelNote = `${status.reason ?? 'the index was built with another model'}; searching lexically until then`;
      opts.logger.warn(this.modelNote);
    }
    let opened = await this.openIndex(status.state !== 'model-mismatch', collection);
    if (!opened.live) {
      // Derived data: a damaged index (truncated file, garbage) is rebuilt from the collection.
      opts.logger.warn({ problem: opened.problem }, 'the index is unreadable; rebuilding it from the collection');
      collection = (await this.buildLocked(true)).collection;
      opened = await this.openIndex(status.state !== 'model-mismatch', collection);
      if (!opened.live) throw new Error(`the index in ${opts.indexDir} could not be rebuilt: ${opened.problem ?? 'unknown problem'}`);
    }
    await this.serve(opened.live, 'open', collection);
    return collection;
  }

  /** `collection`: when it was read from a generation's papers.bin, that file is not read again for the same generation. */
  private openIndex(withVectors: boolean, collection?: Collection): ReturnType<typeof openLiveIndex> {
    return openLiveIndex(this.opts.indexDir, {
      withVectors: withVectors && Boolean(this.opts.embedder),
      kernel: this.opts.kernel,
      ...(collection?.fromGeneration ? { papers: { generation: collection.fromGeneration, papers: collection.papers } } : {}),
    });
  }

  /** Under the build lock: read the collection, bring the index up to date with it. */
  private async buildLocked(force = false): Promise<{ collection: Collection; result: IngestResult }> {
    const { opts } = this;
    return withBuildLock(
      opts.indexDir,
      async () => {
        const collection = await opts.loadCollection();
        const result = await ingest({
          collection,
          indexDir: opts.indexDir,
          embedder: opts.embedder,
          force,
          logger: opts.logger,
          onProgress: opts.onProgress,
          ...(opts.vocabulary ? { vocabulary: opts.vocabulary } : {}),
          ...(this.serving ? { reuse: this.reusable() } : {}),
        });
        return { collection, result };
      },
      { ...opts.lock, onWait: (holder) => opts.logger.info({ holder: holder?.pid }, 'index: waiting for another build to finish') },
    );
  }

  private async build(reason: string): Promise<RebuildResult> {
    const version = this.opts.collectionVersion?.();
    const external = this.opts.externalBuild;
    if (external && this.serving && this.serving.engine.papers.length >= external.minPapers) {
      const before = this.serving.generation;
      await external.run();
      if (version !== undefined) this.lastVersion = version;
      await this.reload(reason);
      return { generation: this.serving.generation, built: this.serving.generation !== before };
    }
    const { collection, result } = await this.buildLocked();
    if (version !== undefined) this.lastVersion = version;
    const swapped = await this.reload(reason, collection);
    if (!swapped && this.serving.generation !== result.generationDir) {
      // CURRENT moved on again (another process committed after us): reload() served that one.
      this.opts.logger.debug({ built: result.generationDir, serving: this.serving.generation }, 'index: a newer generation was committed meanwhile');
    }
    return { generation: this.serving.generation, built: !result.upToDate, ingest: result };
  }

  /** Loads the generation CURRENT names and serves it, unless it is being served. */
  private async reload(reason: string, collection?: Collection): Promise<boolean> {
    if (this.closed && reason === 'watch') return false;
    const inspection = await inspectCurrentGeneration(this.opts.indexDir);
    const generation = inspection.generation;
    if (!generation || generation.dir === this.serving?.generation) return false;
    const { manifest } = generation;
    const embedder = this.opts.embedder;
    if (embedder && manifest.modelId !== embedder.modelId && reason === 'watch') {
      // Built elsewhere without our model (or with another): rebuild with ours, reusing the vectors we hold.
      this.opts.logger.info({ generation: generation.dir, model: manifest.modelId }, 'index: a generation without our model was committed; rebuilding with it');
      void this.rebuild().catch((err) => this.opts.logger.error({ err }, 'index: rebuild failed'));
      return false;
    }
    const opened = await this.openIndex(!embedder || manifest.modelId === embedder.modelId, collection);
    if (!opened.live) {
      this.opts.logger.warn({ problem: opened.problem }, 'index: the new generation is unreadable; still serving the previous one');
      return false;
    }
    // Our collection only if this is the generation built from it (another process may have committed since).
    await this.serve(opened.live, reason, collection?.hash === opened.live.generation.manifest.collectionHash ? collection : undefined);
    return true;
  }

  /** Builds the engine for a generation off to the side, then swaps it in with one assignment. */
  private async serve(index: LiveIndex, reason: string, collection?: Collection): Promise<void> {
    const { manifest } = index.generation;
    // The generation's own snapshot, unless the caller holds the collection (at start-up: the same
    // papers, or newer ones an index built with another model could not take; served lexically).
    const papers = collection?.papers ?? index.papers;
    const sameCollection = (collection?.hash ?? manifest.collectionHash) === manifest.collectionHash;
    const lexical = sameCollection ? await loadLexicalIndex(index.generation.dir, this.opts.vocabulary) : null;
    if (!lexical) this.opts.logger.info('building the lexical index in memory (the saved one is missing or from other code)');
    const vectors = index.vectors;
    const engine = new PaperEngine({
      papers,
      lexical: lexical ?? undefined,
      ...(this.opts.vocabulary ? { vocabulary: this.opts.vocabulary } : {}),
      vectors,
      embedder: vectors ? this.opts.embedder : null,
      modelNote: this.modelNote,
      indexBuiltAt: manifest.builtAt,
      collectionHash: collection?.hash ?? manifest.collectionHash,
      // Saved with the lexical index it was derived from: only together with it.
      ...(lexical ? { similarity: () => loadSimilarity(index.generation.dir) } : {}),
      titleIndex: () => loadTitleIndex(index.generation.dir),
    });
    const previous = this.serving;
    this.serving = {
      engine,
      generation: index.generation.dir,
      collectionHash: collection?.hash ?? manifest.collectionHash,
      vectors,
      modelId: vectors ? manifest.modelId : null,
    };
    if (previous) this.opts.logger.info({ generation: index.generation.dir, papers: papers.length, reason }, 'index: serving the new generation');
    this.opts.onSwap?.({ generation: index.generation.dir, papers: papers.length, reason });
  }

  /** What the serving engine's vectors can give a build (by content hash). */
  private reusable(): ReusableVectors | undefined {
    const s = this.serving;
    if (!s.vectors || !s.modelId) return undefined;
    const hashes = new Map(s.engine.papers.map((p) => [p.id, p.hash]));
    const vectors = s.vectors;
    return { modelId: s.modelId, dims: vectors.dims, hashOf: (id) => hashes.get(id), vectorOf: (id) => vectors.vectorOf(id) };
  }
}
