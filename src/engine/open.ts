import { performance } from 'node:perf_hooks';
import { changesKey, sourcesUnchanged } from '../collection/sources.js';
import type { Collection, LibraryChanges } from '../collection/types.js';
import type { CoreConfig } from '../config.js';
import { LEXICAL_ONLY_NOTE, loadEmbedder } from '../embedding/load.js';
import type { Embedder } from '../embedding/types.js';
import type { Logger } from '../logger.js';
import { inspectCurrentGeneration, readCollectionSnapshot } from '../store/index-dir.js';
import type { PaperEngine } from './engine.js';
import { LiveEngine, type LiveEngineOptions } from './live.js';

export interface OpenEngineOptions {
  config: CoreConfig;
  logger: Logger;
  /** Use this embedder instead of loading EMBEDDING_MODEL (tests, benchmarks). `null` = lexical only. */
  embedder?: Embedder | null;
  /** Progress of an (automatic) index build. */
  onProgress?: (done: number, total: number) => void;
  /** Additions and removals from the state database (else the files alone are the collection). */
  library?: CollectionChangesSource;
  /** Rebuilds of large collections in another process (see LiveEngineOptions.externalBuild). */
  externalBuild?: LiveEngineOptions['externalBuild'];
}

export interface OpenedEngine {
  engine: PaperEngine;
  collection: Collection;
  embedder: Embedder | null;
  /** Follows the collection: rebuild() after a change, watch() for other processes' builds. */
  live: LiveEngine;
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
/** Where transformers.js downloads models from (its default remote host). */
const HUB_HOST = 'huggingface.co';

export async function resolveEmbedder(
  config: CoreConfig,
  logger: Logger,
  override?: Embedder | null,
): Promise<{ embedder: Embedder | null; note?: string }> {
  if (override !== undefined) return { embedder: override, note: override ? undefined : 'lexical only (no embedding model)' };
  if (!config.embeddingModel) return { embedder: null, note: LEXICAL_ONLY_NOTE };
  const loaded = await loadEmbedder({ model: config.embeddingModel, cacheDir: config.modelCacheDir, timeoutMs: config.modelLoadTimeoutMs, logger, probeHost: HUB_HOST });
  return { embedder: loaded.embedder, note: loaded.note };
}

/** The state database's changes to the collection files (the LibraryStore), as openEngine needs them. */
export interface CollectionChangesSource {
  changes(): LibraryChanges;
  /** Goes up with every change. */
  version(): number;
}

/**
 * The live collection (the configured files plus the additions, minus the removals): from the live
 * index generation when it was built from these very files and changes (nothing is parsed; the same
 * object while that holds), else read and parsed from the files (the parsers load only then).
 */
export async function currentCollection(
  config: Pick<CoreConfig, 'indexDir' | 'papersPaths'>,
  changes?: LibraryChanges,
  previous?: { generation: string; collection: Collection },
): Promise<{ collection: Collection; fromIndex?: string }> {
  const { generation } = await inspectCurrentGeneration(config.indexDir);
  const { manifest } = generation ?? {};
  if (generation && manifest && (manifest.changesKey ?? '') === changesKey(changes) && (await sourcesUnchanged(manifest.sources, config.papersPaths))) {
    if (previous?.generation === generation.dir) return { collection: previous.collection, fromIndex: generation.dir };
    // A damaged snapshot is read from the files instead; the index is then rebuilt as usual.
    const collection = await readCollectionSnapshot(generation.dir).catch(() => null);
    if (collection && collection.hash === manifest.collectionHash) {
      collection.fromGeneration = generation.dir;
      return { collection, fromIndex: generation.dir };
    }
  }
  const { loadCollection } = await import('../collection/load.js');
  return { collection: await loadCollection(config.papersPaths, changes) };
}

/** The live collection, as a loader for LiveEngine (see currentCollection). */
export function collectionLoader(config: Pick<CoreConfig, 'indexDir' | 'papersPaths'>, library?: CollectionChangesSource): () => Promise<Collection> {
  let last: { generation: string; collection: Collection } | undefined;
  return async () => {
    const { collection, fromIndex } = await currentCollection(config, library?.changes(), last);
    last = fromIndex ? { generation: fromIndex, collection } : undefined;
    return collection;
  };
}

/**
 * Loads the collection and the model, makes sure the index matches them (building it
 * when missing or out of date), and opens the engine. A model that cannot be had, or an
 * index built with another model, leaves the engine in lexical mode with one clear warning.
 * The LiveEngine it returns follows later changes (see live.ts); `engine` is its current one.
 */
export async function openEngine(options: OpenEngineOptions): Promise<OpenedEngine> {
  const { config, logger } = options;
  const clock = stopwatch();
  const load = collectionLoader(config, options.library);
  // The collection first: a missing file is reported before waiting for a model.
  reportCollection(await load(), logger);
  clock.lap('collection');
  const { embedder, note } = await resolveEmbedder(config, logger, options.embedder);
  clock.lap('model');
  const { live, collection } = await LiveEngine.open({
    indexDir: config.indexDir,
    embedder,
    modelNote: note,
    kernel: config.vectorKernel,
    vocabulary: config.vocabulary,
    loadCollection: load,
    ...(options.library ? { collectionVersion: () => options.library!.version() } : {}),
    logger,
    onProgress: options.onProgress,
    ...(options.externalBuild ? { externalBuild: options.externalBuild } : {}),
  });
  clock.lap('index (check, papers, vectors, lexical) and engine');
  return { engine: live.current(), collection, embedder, live, timings: clock.timings };
}
