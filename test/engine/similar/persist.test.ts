/**
 * The similar-papers state is derived at ingest and kept in the index generation (similar.bin); read
 * back, it gives exactly the neighbours and scores of deriving it again, and a damaged file is
 * derived again instead of served.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCollection } from '../../../src/collection/load.js';
import { PaperEngine } from '../../../src/engine/engine.js';
import { LexicalIndex } from '../../../src/engine/lexical/index.js';
import { PaperSimilarity } from '../../../src/engine/similar/index.js';
import { loadSimilarity, saveSimilarity } from '../../../src/engine/similar/persist.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'pb-similar-saved-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saved similar-papers state', () => {
  it('gives the same neighbours and scores as deriving it, for papers and for pasted text', async () => {
    const { papers } = await loadCollection([path.join(ROOT, 'data/papers.txt')]);
    const lexical = LexicalIndex.build(papers);
    await saveSimilarity(dir, new PaperSimilarity(papers, lexical.termSequences()).save());
    expect(readdirSync(dir)).toContain('similar.bin');
    expect(loadSimilarity(dir)?.vectors.vectorOffsets.length).toBe(papers.length + 1);
    const derived = new PaperEngine({ papers, lexical });
    const saved = new PaperEngine({ papers, lexical, similarity: () => loadSimilarity(dir) });
    for (const target of [papers[0]!.id, papers[100]!.id, papers[211]!.id, 'diffusion models for video generation']) {
      const a = await derived.similar(target, { k: 10 });
      const b = await saved.similar(target, { k: 10 });
      expect(b.hits.map((h) => [h.paper.id, h.score])).toEqual(a.hits.map((h) => [h.paper.id, h.score]));
      expect(a.hits.length).toBe(10);
    }
  });

  it('treats a damaged file as absent', () => {
    const file = path.join(dir, 'similar.bin');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    expect(loadSimilarity(dir)).toBeUndefined();
    writeFileSync(file, 'garbage');
    expect(loadSimilarity(dir)).toBeUndefined();
    expect(loadSimilarity(path.join(dir, 'missing'))).toBeUndefined();
  });
});
