import { performance } from 'node:perf_hooks';
import { sourcesUnchanged } from '../collection/sources.js';
import type { Collection } from '../collection/types.js';
import type { CoreConfig } from '../config.js';
import { LEXICAL_ONLY_NOTE, loadEmbedder } from '../embedding/load.js';
import type { Embedder } from '../embedding/types.js';
import type { Logger } from '../logger.js';
import { inspectCurrentGeneration, openLiveIndex, readCollectionSnapshot } from '../store/index-dir.js';
import { PaperEngine } from './engine.js';
import { indexStatus, ingest } from './ingest.js';
import { loadLexicalIndex } from './lexical/cache.js';

export interface OpenEngineOptions {
  config: CoreConfig;
  logger: Logger;
  /** Use this embedder instead of loading EMBEDDING_MODEL (tests, benchmarks). `null` = lexical only. */
  embedder?: Embedder | null;
  /** Progress of an (automatic) index build. */
  onProgress?: (done: number, total: number) => void;
}

export interface OpenedEngine {
  engine: PaperEngine;
  collection: Collection;
  embedder: Embedder | null;
  /** Where start-up time went (ms per step), for `npm run bench`. */
  timings: Record<string, number>;
}

/** Records how long each start-up step took. */
function stopwatch(): { lap(name: string): void; timings: Record<string, number> } {
  const timings: Record<string, number> = {};
  let last = performance.now();
  return {
    timings,
    lap(name) {
      const now = performance.now();
      timings[name] = (timings[name] ?? 0) + now - last;
      last = now;
    },
  };
}

/**
 * The collection: from the live index generation when its files are the ones the generation was
 * built from (no parsing), else read and parsed from the files (the parsers load only then).
 */
export async function currentCollection(config: Pick<CoreConfig, 'indexDir' | 'papersPaths'>): Promise<{ collection: Collection; fromIndex: boolean }> {
  const { generation } = await inspectCurrentGeneration(config.indexDir);
  if (generation && (await sourcesUnchanged(generation.manifest.sources, config.papersPaths))) {
    // A damaged snapshot is read from the files instead; the index is then rebuilt as usual.
    const collection = await readCollectionSnapshot(generation.dir).catch(() => null);
    if (collection && collection.hash === generation.manifest.collectionHash) return { collection, fromIndex: true };
  }
  const { loadCollection } = await import('../collection/load.js');
  return { collection: await loadCollection(config.papersPaths), fromIndex: false };
}

export function reportCollection(collection: Collection, logger: Logger): void {
  for (const p of collection.problems) logger.warn({ file: p.file, line: p.line }, `skipped record: ${p.message}`);
  for (const d of collection.duplicates) {
    logger.warn({ id: d.id, sources: d.sources }, `duplicate paper kept once: ${d.title.slice(0, 120)}`);
  }
  for (const s of collection.sameTitle ?? []) {
    logger.info({ ids: s.ids }, `same title, ${s.ids.length} different papers (all kept): ${s.title.slice(0, 120)}`);
  }
}

/**
 * The embedder to use: the caller's (tests, benchmarks), none for EMBEDDING_MODEL=none, else the
 * configured model, or none with a note when it cannot be loaded. Shared by queries and `ingest`.
 */
export async function resolveEmbedder(
  config: CoreConfig,
  logger: Logger,
  override?: Embedder | null,
): Promise<{ embedder: Embedder | null; note?: string }> {
  if (override !== undefined) return { embedder: override, note: override ? undefined : 'lexical only (no embedding model)' };
  if (!config.embeddingModel) return { embedder: null, note: LEXICAL_ONLY_NOTE };
  const loaded = await loadEmbedder({ model: config.embeddingModel, cacheDir: config.modelCacheDir, timeoutMs: config.modelLoadTimeoutMs, logger });
  return { embedder: loaded.embedder, note: loaded.note };
}

/**
 * Loads the collection and the model, makes sure the index matches them (building it
 * when missing or out of date), and opens the engine. A model that cannot be had, or an
 * index built with another model, leaves the engine in lexical mode with one clear warning.
 */
export async function openEngine(options: OpenEngineOptions): Promise<OpenedEngine> {
  const { config, logger } = options;
  const clock = stopwatch();
  const { collection, fromIndex } = await currentCollection(config);
  clock.lap(fromIndex ? 'collection (from the index)' : 'collection (parsed)');
  reportCollection(collection, logger);

  const { embedder, note } = await resolveEmbedder(config, logger, options.embedder);
  let modelNote = note;
  clock.lap('model');

  const { vocabulary } = config;
  let status = await indexStatus(config.indexDir, collection, embedder, vocabulary);
  if (status.state === 'missing' || status.state === 'stale') {
    logger.info({ reason: status.reason }, status.state === 'missing' ? 'building the index' : 'updating the index');
    await ingest({ collection, indexDir: config.indexDir, embedder, logger, onProgress: options.onProgress, vocabulary });
    status = await indexStatus(config.indexDir, collection, embedder, vocabulary);
  }
  clock.lap('index check');

  const mismatch = status.state === 'model-mismatch';
  if (mismatch) {
    modelNote = `${status.reason ?? 'the index was built with another model'}; searching lexically until then`;
    logger.warn(modelNote);
  }
  const withVectors = Boolean(embedder) && !mismatch;
  const known = { hash: collection.hash, papers: collection.papers };
  let opened = await openLiveIndex(config.indexDir, { withVectors, kernel: config.vectorKernel, papers: known });
  if (!opened.live) {
    // Derived data: a damaged index (truncated file, garbage) is rebuilt from the collection.
    logger.warn({ problem: opened.problem }, 'the index is unreadable; rebuilding it from the collection');
    await ingest({ collection, indexDir: config.indexDir, embedder, force: true, logger, onProgress: options.onProgress, vocabulary });
    opened = await openLiveIndex(config.indexDir, { withVectors, kernel: config.vectorKernel, papers: known });
    if (!opened.live) throw new Error(`the index in ${config.indexDir} could not be rebuilt: ${opened.problem ?? 'unknown problem'}`);
  }
  const vectors = opened.live.vectors;
  clock.lap('vectors');
  // The saved lexical index serves only the collection it was built from (a model mismatch skips re-ingest).
  const sameCollection = opened.live.generation.manifest.collectionHash === collection.hash;
  const lexical = sameCollection ? await loadLexicalIndex(opened.live.generation.dir, vocabulary) : null;
  if (!lexical) logger.info('building the lexical index in memory (the saved one is missing or from other code)');
  clock.lap('lexical index');

  const engine = new PaperEngine({
    papers: collection.papers,
    lexical: lexical ?? undefined,
    vocabulary,
    vectors,
    embedder: vectors ? embedder : null,
    modelNote,
    indexBuiltAt: opened.live.generation.manifest.builtAt,
    collectionHash: collection.hash,
  });
  clock.lap('engine');
  return { engine, collection, embedder, timings: clock.timings };
}
