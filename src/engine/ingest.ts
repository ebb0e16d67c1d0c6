/**
 * Builds the on-disk index from a collection, incrementally and crash-safely:
 * unchanged papers keep their vectors, only new or edited ones are embedded,
 * and the result becomes live only once it is complete (see store/index-dir.ts).
 */
import type { Logger } from 'pino';
import type { Collection, Paper } from '../collection/types.js';
import type { Embedder } from '../embedding/types.js';
import {
  INDEX_FORMAT_VERSION,
  commitGeneration,
  createGeneration,
  discardGeneration,
  inspectCurrentGeneration,
  vectorsDirOf,
  writeManifest,
  writePapersSnapshot,
  type Generation,
  type IndexManifest,
} from '../store/index-dir.js';
import { VectraStore, type VectorRow } from '../store/vectra-store.js';
import { hasCurrentLexicalIndex, saveLexicalIndex } from './lexical/cache.js';
import type { VocabularySetting } from './vocab/select.js';

const EMBED_BATCH = 32;

export interface IngestOptions {
  collection: Collection;
  indexDir: string;
  /** null = lexical only: no vectors are built. */
  embedder: Embedder | null;
  /** Re-embed everything even when nothing changed. */
  force?: boolean;
  logger?: Logger;
  /** Embedding progress over the papers that need embedding (reused ones are not counted). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Vectors already in memory (the running bot's), reused by content hash when the previous
   * generation on disk has none for a paper (e.g. another process built it without the model).
   */
  reuse?: ReusableVectors;
  /** VOCABULARY: which data/vocab files the lexical index uses (default auto). */
  vocabulary?: VocabularySetting;
}

/** Vectors of some papers, made by `modelId`; `hashOf` is the content hash each was embedded from. */
export interface ReusableVectors {
  modelId: string;
  dims: number;
  hashOf(id: string): string | undefined;
  vectorOf(id: string): ArrayLike<number> | undefined;
}

export interface IngestResult {
  /** The live generation after this call (the old one when up to date). */
  generationDir: string;
  embedded: number;
  reused: number;
  /** Papers in the previous index that are not in the collection any more. */
  removed: number;
  tookMs: number;
  /** Nothing changed, nothing was written. */
  upToDate: boolean;
}

export type IndexState = 'ok' | 'missing' | 'stale' | 'model-mismatch';

export interface IndexStatus {
  state: IndexState;
  /** A sentence for the person running paperbot; set unless state is 'ok'. */
  reason?: string;
  manifest?: IndexManifest;
}

export async function ingest(opts: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const { collection, indexDir, embedder, logger } = opts;
  const inspection = await inspectCurrentGeneration(indexDir);
  if (inspection.problem) logger?.warn({ indexDir, problem: inspection.problem }, 'index unreadable, rebuilding');
  const previous = inspection.generation;
  const previousVectors = previous && embedder ? await openReusableVectors(previous, embedder, logger) : null;

  if (
    previous &&
    !opts.force &&
    isUpToDate(previous.manifest, collection, embedder, previousVectors !== null) &&
    hasCurrentLexicalIndex(previous.dir, opts.vocabulary)
  ) {
    logger?.info({ generation: previous.dir, papers: collection.papers.length }, 'index is up to date');
    return { generationDir: previous.dir, embedded: 0, reused: 0, removed: 0, tookMs: performance.now() - started, upToDate: true };
  }

  const genDir = await createGeneration(indexDir);
  try {
    const oldHashes = new Map(previous?.manifest.papers.map((p) => [p.id, p.hash]) ?? []);
    const reusable = opts.force ? null : previousVectors;
    let embedded = 0;
    let reused = 0;
    if (embedder) {
      const memory = !opts.force && opts.reuse?.modelId === embedder.modelId && opts.reuse.dims === embedder.dims ? opts.reuse : undefined;
      const rows = await vectorRows(collection.papers, embedder, reusable, oldHashes, opts.onProgress, memory);
      embedded = rows.embedded;
      reused = rows.reused;
      await VectraStore.create(vectorsDirOf(genDir), embedder.dims, rows.rows);
    }
    await writePapersSnapshot(genDir, collection.papers);
    await saveLexicalIndex(genDir, collection.papers, opts.vocabulary);
    await writeManifest(genDir, {
      formatVersion: INDEX_FORMAT_VERSION,
      modelId: embedder?.modelId ?? null,
      dims: embedder?.dims ?? null,
      collectionHash: collection.hash,
      paperCount: collection.papers.length,
      builtAt: new Date().toISOString(),
      papers: collection.papers.map((p) => ({ id: p.id, hash: p.hash })),
    });
    await commitGeneration(indexDir, genDir, {
      onWait: (holder) => logger?.info({ holder }, 'waiting for another process to finish updating the index'),
    });
    const current = new Set(collection.papers.map((p) => p.id));
    const removed = [...oldHashes.keys()].filter((id) => !current.has(id)).length;
    const tookMs = performance.now() - started;
    logger?.info({ generation: genDir, papers: collection.papers.length, embedded, reused, removed, tookMs: Math.round(tookMs) }, 'index built');
    return { generationDir: genDir, embedded, reused, removed, tookMs, upToDate: false };
  } catch (err) {
    // The previous generation is still live; drop our half-built one.
    await discardGeneration(genDir).catch(() => undefined);
    throw err;
  }
}

/** Is the live index usable with this collection and embedder, and if not, why. */
export async function indexStatus(
  indexDir: string,
  collection: Collection,
  embedder: Embedder | null,
  vocabulary?: VocabularySetting,
): Promise<IndexStatus> {
  const { generation, problem } = await inspectCurrentGeneration(indexDir);
  if (!generation) {
    const reason = problem ? `the index is unreadable (${problem}); run "paperbot ingest" to rebuild it` : 'there is no index yet; run "paperbot ingest" to build it';
    return { state: 'missing', reason };
  }
  const { manifest } = generation;
  // An index with vectors serves lexical-only search fine (it only needs papers.json), so no embedder = no mismatch.
  if (embedder && (manifest.modelId !== embedder.modelId || manifest.dims !== embedder.dims)) {
    const built = manifest.modelId ? `model ${manifest.modelId} (${manifest.dims} dims)` : 'no model (lexical only)';
    return {
      state: 'model-mismatch',
      reason: `index was built with ${built} but EMBEDDING_MODEL is ${embedder.modelId} (${embedder.dims} dims); run "paperbot ingest" to rebuild`,
      manifest,
    };
  }
  if (!hasCurrentLexicalIndex(generation.dir, vocabulary)) {
    return { state: 'stale', reason: 'the index was built by another version of paperbot; it is rebuilt (embeddings are reused)', manifest };
  }
  if (manifest.collectionHash !== collection.hash) {
    return {
      state: 'stale',
      reason: `the collection changed since the index was built (${manifest.paperCount} papers indexed, ${collection.papers.length} in the collection now); run "paperbot ingest" to update it`,
      manifest,
    };
  }
  return { state: 'ok', manifest };
}

function isUpToDate(manifest: IndexManifest, collection: Collection, embedder: Embedder | null, vectorsUsable: boolean): boolean {
  if (manifest.collectionHash !== collection.hash) return false;
  // Lexical-only keeps whatever index there is: extra vectors do no harm.
  if (!embedder) return true;
  return manifest.modelId === embedder.modelId && manifest.dims === embedder.dims && vectorsUsable;
}

/** The previous vectors when they were built by this same model; null when absent, different or damaged. */
async function openReusableVectors(previous: Generation, embedder: Embedder, logger?: Logger): Promise<VectraStore | null> {
  const { manifest } = previous;
  if (manifest.modelId !== embedder.modelId || manifest.dims !== embedder.dims) {
    if (manifest.modelId) logger?.info({ was: manifest.modelId, now: embedder.modelId }, 'embedding model changed, re-embedding everything');
    return null;
  }
  try {
    const store = await VectraStore.open(vectorsDirOf(previous.dir));
    if (store.dims !== embedder.dims) throw new Error(`vectors have ${store.dims} dims, manifest says ${manifest.dims}`);
    return store;
  } catch (err) {
    logger?.warn({ generation: previous.dir, err: (err as Error).message }, 'vector index unreadable, re-embedding everything');
    return null;
  }
}

async function vectorRows(
  papers: Paper[],
  embedder: Embedder,
  previous: VectraStore | null,
  oldHashes: Map<string, string>,
  onProgress?: (done: number, total: number) => void,
  memory?: ReusableVectors,
): Promise<{ rows: VectorRow[]; embedded: number; reused: number }> {
  const vectors = new Map<string, ArrayLike<number>>();
  const toEmbed: Paper[] = [];
  for (const paper of papers) {
    const old =
      (previous && oldHashes.get(paper.id) === paper.hash ? previous.vectorOf(paper.id) : undefined) ??
      (memory && memory.hashOf(paper.id) === paper.hash ? memory.vectorOf(paper.id) : undefined);
    if (old) vectors.set(paper.id, Float32Array.from(old));
    else toEmbed.push(paper);
  }
  const reused = vectors.size;
  onProgress?.(0, toEmbed.length);
  for (let start = 0; start < toEmbed.length; start += EMBED_BATCH) {
    const batch = toEmbed.slice(start, start + EMBED_BATCH);
    const embedded = await embedder.embedDocuments(batch.map(documentText));
    if (embedded.length !== batch.length) throw new Error(`embedder returned ${embedded.length} vectors for ${batch.length} texts`);
    // Float32 right away: half the memory of number[] while a large collection is embedded.
    batch.forEach((paper, i) => vectors.set(paper.id, Float32Array.from(embedded[i]!)));
    onProgress?.(start + batch.length, toEmbed.length);
  }
  return { rows: papers.map((p) => ({ id: p.id, vector: vectors.get(p.id)! })), embedded: toEmbed.length, reused };
}

/** What a paper is embedded as: its title and abstract. */
export function documentText(paper: Pick<Paper, 'title' | 'abstract'>): string {
  return `${paper.title}\n\n${paper.abstract}`;
}
