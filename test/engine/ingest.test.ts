import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexStatus, ingest } from '../../src/engine/ingest.js';
import { openLiveIndex, readCurrentGeneration, readPapersSnapshot, vectorsDirOf, writePapersSnapshot } from '../../src/store/index-dir.js';
import { VECTOR_INDEX_FILE, VectorFileStore } from '../../src/store/vector-file.js';
import { HashEmbedder } from '../helpers/hash-embedder.js';
import { collectionOf, syntheticCollection, syntheticPaper } from '../store/synthetic.js';

let indexDir: string;
beforeEach(async () => {
  indexDir = await mkdtemp(path.join(tmpdir(), 'pb-ingest-'));
});
afterEach(async () => {
  await rm(indexDir, { recursive: true, force: true });
});

async function liveStore() {
  const gen = (await readCurrentGeneration(indexDir))!;
  return { gen, store: await VectorFileStore.open(vectorsDirOf(gen.dir)), papers: await readPapersSnapshot(gen.dir) };
}

describe('ingest', () => {
  it('builds an index whose nearest neighbour of each paper is the paper itself', async () => {
    const embedder = new HashEmbedder();
    const collection = syntheticCollection(40);
    const progress: [number, number][] = [];
    const result = await ingest({ collection, indexDir, embedder, onProgress: (d, t) => progress.push([d, t]) });
    expect(result).toMatchObject({ embedded: 40, reused: 0, removed: 0, upToDate: false });
    expect(progress.at(-1)).toEqual([40, 40]);
    expect(progress.length).toBeGreaterThan(2); // batches, not one call at the end

    const { gen, store, papers } = await liveStore();
    expect(gen.dir).toBe(result.generationDir);
    expect(gen.manifest).toMatchObject({ modelId: 'hash-embedder-64', dims: 64, collectionHash: collection.hash, paperCount: 40 });
    expect(papers.map((p) => p.id)).toEqual(collection.papers.map((p) => p.id));
    const paper = collection.papers[17]!;
    const hits = await store.query(await embedder.embedQuery(`${paper.title}\n\n${paper.abstract}`), 1);
    expect(hits[0]!.id).toBe(paper.id);
  });

  it('re-embeds only the changed paper, drops removed ones, and is a no-op when nothing changed', async () => {
    const embedder = new HashEmbedder();
    const papers = Array.from({ length: 30 }, (_, i) => syntheticPaper(i));
    await ingest({ collection: collectionOf(papers), indexDir, embedder });
    const before = (await liveStore()).store.vectorOf('paper-3');

    const edited = papers.map((p, i) => (i === 5 ? syntheticPaper(5, 9) : p));
    const second = await ingest({ collection: collectionOf(edited), indexDir, embedder });
    expect(second).toMatchObject({ embedded: 1, reused: 29, removed: 0, upToDate: false });
    const afterEdit = await liveStore();
    expect(afterEdit.store.vectorOf('paper-3')).toEqual(before);
    expect(afterEdit.store.vectorOf('paper-5')).toEqual(embedder.embed(`${edited[5]!.title}\n\n${edited[5]!.abstract}`).map((x) => Math.fround(x)));
    expect(afterEdit.papers.find((p) => p.id === 'paper-5')!.abstract).toContain('Variant 9');

    const shrunk = edited.filter((p) => p.id !== 'paper-7');
    const third = await ingest({ collection: collectionOf(shrunk), indexDir, embedder });
    expect(third).toMatchObject({ embedded: 0, reused: 29, removed: 1 });
    const afterRemove = await liveStore();
    expect(afterRemove.store.vectorOf('paper-7')).toBeUndefined();
    expect(afterRemove.store.size).toBe(29);
    expect(afterRemove.papers.some((p) => p.id === 'paper-7')).toBe(false);

    const counted = embedder.documentsEmbedded;
    const fourth = await ingest({ collection: collectionOf(shrunk), indexDir, embedder });
    expect(fourth).toMatchObject({ upToDate: true, embedded: 0, generationDir: third.generationDir });
    expect(embedder.documentsEmbedded).toBe(counted);

    const forced = await ingest({ collection: collectionOf(shrunk), indexDir, embedder, force: true });
    expect(forced).toMatchObject({ upToDate: false, embedded: 29, reused: 0 });
    // Only the live generation is left on disk.
    expect((await readdir(indexDir)).filter((e) => e.startsWith('gen-'))).toEqual([path.basename(forced.generationDir)]);
  });

  it('re-embeds everything when the model changes', async () => {
    const collection = syntheticCollection(20);
    await ingest({ collection, indexDir, embedder: new HashEmbedder({ dims: 64 }) });
    const other = new HashEmbedder({ dims: 32, modelId: 'other-model' });
    const result = await ingest({ collection, indexDir, embedder: other });
    expect(result).toMatchObject({ embedded: 20, reused: 0, upToDate: false });
    const { gen, store } = await liveStore();
    expect(gen.manifest).toMatchObject({ modelId: 'other-model', dims: 32 });
    expect(store.dims).toBe(32);
  });

  it('builds a lexical-only index without vectors', async () => {
    const collection = syntheticCollection(10);
    const result = await ingest({ collection, indexDir, embedder: null });
    expect(result).toMatchObject({ embedded: 0, upToDate: false });
    const gen = (await readCurrentGeneration(indexDir))!;
    expect(gen.manifest).toMatchObject({ modelId: null, dims: null, paperCount: 10 });
    expect(await readdir(gen.dir)).not.toContain('vectors');
    expect((await ingest({ collection, indexDir, embedder: null })).upToDate).toBe(true);
  });

  it('rebuilds when the live vectors are damaged even though the manifest says up to date', async () => {
    const embedder = new HashEmbedder();
    const collection = syntheticCollection(12);
    const first = await ingest({ collection, indexDir, embedder });
    await writeFile(path.join(vectorsDirOf(first.generationDir), VECTOR_INDEX_FILE), 'garbage');
    const again = await ingest({ collection, indexDir, embedder });
    expect(again).toMatchObject({ upToDate: false, embedded: 12, reused: 0 });
    expect((await liveStore()).store.size).toBe(12);
  });

  it('rebuilds from scratch over an unreadable CURRENT or manifest', async () => {
    const embedder = new HashEmbedder();
    const collection = syntheticCollection(8);
    await ingest({ collection, indexDir, embedder });
    await writeFile(path.join(indexDir, 'CURRENT'), '\u0000\u0000garb');
    const result = await ingest({ collection, indexDir, embedder });
    expect(result).toMatchObject({ upToDate: false, embedded: 8 });
    expect((await liveStore()).store.size).toBe(8);
  });

  it('cleans up half-built generations left by a dead process', async () => {
    const embedder = new HashEmbedder();
    await mkdir(path.join(indexDir, 'gen-1-deadbeef', 'vectors'), { recursive: true });
    await writeFile(path.join(indexDir, 'gen-1-deadbeef', '.building'), '999999999');
    const result = await ingest({ collection: syntheticCollection(5), indexDir, embedder });
    expect((await readdir(indexDir)).sort()).toEqual(['CURRENT', path.basename(result.generationDir)]);
  });
});

describe('indexStatus', () => {
  const embedder = new HashEmbedder({ dims: 64 });
  const collection = syntheticCollection(10);

  it('is missing before the first ingest, and says why when the index is unreadable', async () => {
    expect(await indexStatus(indexDir, collection, embedder)).toMatchObject({ state: 'missing', reason: expect.stringContaining('paperbot ingest') });
    await writeFile(path.join(indexDir, 'CURRENT'), 'gen-5-abc\n');
    const status = await indexStatus(indexDir, collection, embedder);
    expect(status.state).toBe('missing');
    expect(status.reason).toMatch(/unreadable.*gen-5-abc/);
  });

  it('is ok after ingest, stale after a collection change', async () => {
    await ingest({ collection, indexDir, embedder });
    expect(await indexStatus(indexDir, collection, embedder)).toMatchObject({ state: 'ok' });
    const changed = syntheticCollection(11);
    const status = await indexStatus(indexDir, changed, embedder);
    expect(status.state).toBe('stale');
    expect(status.reason).toMatch(/10 papers indexed, 11 in the collection/);
  });

  it('reports a model mismatch with both models named, but serves lexical-only runs', async () => {
    await ingest({ collection, indexDir, embedder });
    const other = new HashEmbedder({ dims: 384, modelId: 'Xenova/bge-small-en-v1.5' });
    const status = await indexStatus(indexDir, collection, other);
    expect(status.state).toBe('model-mismatch');
    expect(status.reason).toBe(
      'index was built with model hash-embedder-64 (64 dims) but EMBEDDING_MODEL is Xenova/bge-small-en-v1.5 (384 dims); run "paperbot ingest" to rebuild',
    );
    expect((await indexStatus(indexDir, collection, null)).state).toBe('ok');
  });

  it('reports a lexical-only index as a mismatch once a model is configured', async () => {
    await ingest({ collection, indexDir, embedder: null });
    const status = await indexStatus(indexDir, collection, embedder);
    expect(status).toMatchObject({ state: 'model-mismatch', reason: expect.stringContaining('no model (lexical only)') });
  });
});

describe('openLiveIndex', () => {
  it('loads papers and vectors of the live generation, or only papers when asked', async () => {
    const collection = syntheticCollection(15);
    await ingest({ collection, indexDir, embedder: new HashEmbedder() });
    const { live, problem } = await openLiveIndex(indexDir, { withVectors: true });
    expect(problem).toBeUndefined();
    expect(live!.papers.map((p) => p.id)).toEqual(collection.papers.map((p) => p.id));
    expect(live!.vectors!.size).toBe(15);
    expect((await openLiveIndex(indexDir, { withVectors: false })).live!.vectors).toBeNull();
  });

  it('reports a damaged generation instead of throwing', async () => {
    expect(await openLiveIndex(indexDir, { withVectors: true })).toEqual({ live: null, problem: undefined });
    const result = await ingest({ collection: syntheticCollection(6), indexDir, embedder: new HashEmbedder() });
    await writeFile(path.join(vectorsDirOf(result.generationDir), VECTOR_INDEX_FILE), 'PBVEC002');
    const damaged = await openLiveIndex(indexDir, { withVectors: true });
    expect(damaged.live).toBeNull();
    expect(damaged.problem).toMatch(/is damaged: vector index .* unreadable/);

    await writePapersSnapshot(result.generationDir, []);
    expect((await openLiveIndex(indexDir, { withVectors: false })).problem).toMatch(/holds 0 papers, the manifest 6/);
    await writeFile(path.join(result.generationDir, 'papers.bin'), 'PBBIN001');
    expect((await openLiveIndex(indexDir, { withVectors: false })).problem).toMatch(/is damaged: papers.bin is not a paperbot index file/);
  });
});
