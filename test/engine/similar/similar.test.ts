import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCollectionText } from '../../../src/collection/load.js';
import { PaperEngine } from '../../../src/engine/engine.js';
import { LexicalIndex } from '../../../src/engine/lexical/index.js';
import { LatentSpace, symmetricEigen } from '../../../src/engine/similar/lsa.js';
import { PaperSimilarity, SIMILARITY_OPTIONS } from '../../../src/engine/similar/index.js';
import { DocumentVectors, DEFAULT_VECTOR_OPTIONS } from '../../../src/engine/similar/vectors.js';
import { VectorFileStore } from '../../../src/store/vector-file.js';
import { HashEmbedder } from '../../helpers/hash-embedder.js';

const TOPICS: Record<string, string[]> = {
  kv: ['key value cache compression for long context inference', 'quantizing the key value cache to two bits', 'evicting cache entries of attention keys and values'],
  inpaint: ['filling missing regions of images by inpainting', 'image inpainting with large masks and transformers', 'reference guided inpainting of damaged photographs'],
  audio: ['neural audio codec at low bitrate', 'speech tokenizer with residual vector quantization for audio', 'compressing music and speech audio with neural networks'],
};
const jsonl = Object.entries(TOPICS)
  .flatMap(([topic, texts]) => texts.map((t, i) => JSON.stringify({ id: `${topic}-${i}`, title: t, abstract: `${t}. We study ${t} and report results on standard benchmarks.` })))
  .join('\n');
const papers = parseCollectionText(jsonl, 'topics.jsonl').papers;

describe('document vectors', () => {
  const vectors = new DocumentVectors(LexicalIndex.build(papers).termSequences(), { ...DEFAULT_VECTOR_OPTIONS, minDf: 1 });

  it('are unit length, and a paper is most like itself', () => {
    for (const [d, v] of vectors.vectors.entries()) {
      expect(v.weights.reduce((s, w) => s + w * w, 0)).toBeCloseTo(1, 5);
      const cos = vectors.cosines(v);
      expect(cos[d]).toBeCloseTo(1, 5);
      expect(Math.max(...cos)).toBeCloseTo(cos[d]!, 5);
    }
  });

  it('give pasted text a vector in the same space', () => {
    const cos = vectors.cosines(vectors.vectorOfText('audio codec bitrate'));
    const best = cos.indexOf(Math.max(...cos));
    expect(papers[best]!.id).toMatch(/^audio-/);
  });
});

describe('latent space', () => {
  it('symmetricEigen decomposes a symmetric matrix', () => {
    const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
    expect([...values].sort()).toEqual([expect.closeTo(1, 6), expect.closeTo(3, 6)]);
    const big = values.indexOf(Math.max(...values));
    expect(Math.abs(vectors[0]![big]!)).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('embeds papers on one topic closer than papers on another', () => {
    const vectors = new DocumentVectors(LexicalIndex.build(papers).termSequences(), { ...DEFAULT_VECTOR_OPTIONS, minDf: 1 });
    const space = LatentSpace.fit(vectors.vectors, vectors.termCount, vectors.df, { dims: 3, maxTerms: 1000, maxDocs: 100, powerIterations: 2 })!;
    const e = vectors.vectors.map((v) => space.embed(v));
    const cos = (a: number, b: number) => e[a]!.reduce((s, x, k) => s + x * e[b]![k]!, 0);
    expect(cos(0, 1)).toBeGreaterThan(cos(0, 4));
    expect(cos(6, 7)).toBeGreaterThan(cos(6, 2));
  });
});

describe('PaperEngine.similar', () => {
  it('ranks a paper\'s own topic first, never the paper itself, for an id, a title and pasted text', async () => {
    const engine = new PaperEngine({ papers });
    for (const [topic, texts] of Object.entries(TOPICS)) {
      const byId = await engine.similar(`${topic}-0`, { k: 2 });
      expect(byId.hits.map((h) => h.paper.id).sort()).toEqual([`${topic}-1`, `${topic}-2`]);
      const byTitle = await engine.similar(texts[1]!, { k: 2 });
      expect(byTitle.hits.map((h) => h.paper.id)).not.toContain(`${topic}-1`);
    }
    const pasted = await engine.similar('We quantize the cache of attention keys and values for long inputs.', { k: 3 });
    expect(pasted.hits.map((h) => h.paper.id).every((id) => id.startsWith('kv-'))).toBe(true);
  });

  it('applies the filters', async () => {
    const engine = new PaperEngine({ papers });
    await expect(engine.similar('kv-0', { filters: { since: '2020-01-01' } })).rejects.toThrow(/no publication dates/);
  });

  it('with a model loaded, fuses the dense cosine (weighted score fusion) and still never returns the paper', async () => {
    const embedder = new HashEmbedder({ dims: 64 });
    const vectors = await embedder.embedDocuments(papers.map((p) => `${p.title}\n${p.abstract}`));
    const store = await VectorFileStore.create(path.join(mkdtempSync(path.join(tmpdir(), 'similar-')), 'v'), 64, papers.map((p, i) => ({ id: p.id, vector: vectors[i]! })));
    const hybrid = new PaperEngine({ papers, vectors: store, embedder });
    expect(hybrid.mode).toBe('hybrid');
    const result = await hybrid.similar('inpaint-0', { k: 8 });
    expect(result.hits.map((h) => h.paper.id)).not.toContain('inpaint-0');
    expect(result.hits.slice(0, 2).map((h) => h.paper.id).sort()).toEqual(['inpaint-1', 'inpaint-2']);
    // Scores are the weighted sum: with the dense side, they differ from the lexical-only ones.
    const lexicalOnly = await new PaperEngine({ papers }).similar('inpaint-0', { k: 8 });
    expect(result.hits[0]!.score).not.toBeCloseTo(lexicalOnly.hits[0]!.score, 6);
  });

  it('dense weight 1 ranks by the dense cosine alone', () => {
    const terms = LexicalIndex.build(papers).termSequences();
    const s = new PaperSimilarity(papers, terms, { ...SIMILARITY_OPTIONS, denseWeight: 1 });
    const dense = new Map([['audio-2', 0.9], ['kv-1', 0.5]]);
    expect(s.rank({ paper: 0 }, 2, undefined, dense).map((r) => r.id)).toEqual(['audio-2', 'kv-1']);
  });
});
