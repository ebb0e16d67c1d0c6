import type { Collection, LibraryChanges } from '../collection/types.js';
import { loadCollection } from '../collection/load.js';
import type { CoreConfig } from '../config.js';
import { LEXICAL_ONLY_NOTE, loadEmbedder } from '../embedding/load.js';
import type { Embedder } from '../embedding/types.js';
import type { Logger } from '../logger.js';
import type { PaperEngine } from './engine.js';
import { LiveEngine } from './live.js';

export interface OpenEngineOptions {
  config: CoreConfig;
  logger: Logger;
  /** Use this embedder instead of loading EMBEDDING_MODEL (tests, benchmarks). `null` = lexical only. */
  embedder?: Embedder | null;
  /** Progress of an (automatic) index build. */
  onProgress?: (done: number, total: number) => void;
  /** Additions and removals from the state database (else the files alone are the collection). */
  library?: CollectionChangesSource;
}

export interface OpenedEngine {
  engine: PaperEngine;
  collection: Collection;
  embedder: Embedder | null;
  /** Follows the collection: rebuild() after a change, watch() for other processes' builds. */
  live: LiveEngine;
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

/** The state database's changes to the collection files (the LibraryStore), as openEngine needs them. */
export interface CollectionChangesSource {
  changes(): LibraryChanges;
  /** Goes up with every change. */
  version(): number;
}

/** The live collection: the configured files plus the additions, minus the removals. */
export function collectionLoader(config: Pick<CoreConfig, 'papersPaths'>, library?: CollectionChangesSource): () => Promise<Collection> {
  return () => loadCollection(config.papersPaths, library?.changes());
}

/**
 * Loads the collection and the model, makes sure the index matches them (building it
 * when missing or out of date), and opens the engine. A model that cannot be had, or an
 * index built with another model, leaves the engine in lexical mode with one clear warning.
 * The LiveEngine it returns follows later changes (see live.ts); `engine` is its current one.
 */
export async function openEngine(options: OpenEngineOptions): Promise<OpenedEngine> {
  const { config, logger } = options;
  const load = collectionLoader(config, options.library);
  // The collection first: a missing file is reported before waiting for a model.
  reportCollection(await load(), logger);
  const { embedder, note } = await resolveEmbedder(config, logger, options.embedder);
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
  });
  return { engine: live.current(), collection, embedder, live };
}
