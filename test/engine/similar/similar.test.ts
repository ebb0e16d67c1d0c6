import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCollectionText } from '../../../src/collection/load.js';
import { PaperEngine } from '../../../src/engine/engine.js';
import { LexicalIndex } from '../../../src/engine/lexical/index.js';
import { LatentSpace, latentScales, multiScaleCosine, symmetricEigen } from '../../../src/engine/similar/lsa.js';
import { PaperSimilarity, SIMILARITY_OPTIONS } from '../../../src/engine/similar/index.js';
import { DocumentVectors, DEFAULT_VECTOR_OPTIONS } from '../../../src/engine/similar/vectors.js';
import { VectraStore } from '../../../src/store/vectra-store.js';
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

  it('cosinesWith gives the same cosines as the full pass, for the documents asked', () => {
    const v = vectors.vectorOfText('cache of attention keys, audio codec');
    const all = vectors.cosines(v);
    const some = vectors.cosinesWith(v, [8, 0, 3]);
    expect([...some].map((x) => x.toFixed(6))).toEqual([all[8]!, all[0]!, all[3]!].map((x) => x.toFixed(6)));
    expect(some.some((x) => x > 0)).toBe(true);
    // The scratch is cleared: a second call with another vector is not polluted by the first.
    expect(vectors.cosinesWith(vectors.vectorOfText('inpainting'), [8])[0]).toBeCloseTo(all.length ? vectors.cosines(vectors.vectorOfText('inpainting'))[8]! : 0, 6);
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

describe('multi-scale latent cosine', () => {
  it('scales are increasing shares of the dimensions, at least 1, no repeats', () => {
    expect(latentScales(100, [0.2, 0.5, 1])).toEqual([20, 50, 100]);
    expect(latentScales(4, [0.2, 0.5, 1])).toEqual([1, 2, 4]);
    expect(latentScales(2, [0.2, 0.3, 1])).toEqual([1, 2]);
  });

  it('is the mean of the non-negative cosines of the leading coordinates', () => {
    const vectors = new DocumentVectors(LexicalIndex.build(papers).termSequences(), { ...DEFAULT_VECTOR_OPTIONS, minDf: 1 });
    const space = LatentSpace.fit(vectors.vectors, vectors.termCount, vectors.df, { dims: 6, maxTerms: 1000, maxDocs: 100, powerIterations: 2 })!;
    const scales = latentScales(space.dims, [0.5, 1]);
    const [a, b] = [space.embedScaled(vectors.vectors[0]!, scales), space.embedScaled(vectors.vectors[1]!, scales)];
    const cosine = (p: number) => {
      const x = a.coords.slice(0, p);
      const y = b.coords.slice(0, p);
      const dot = x.reduce((s, v, i) => s + v * y[i]!, 0);
      return Math.max(0, dot / Math.hypot(...x) / Math.hypot(...y));
    };
    expect(multiScaleCosine(a, b, scales)).toBeCloseTo((cosine(scales[0]!) + cosine(scales[1]!)) / 2, 5);
    expect(multiScaleCosine(a, a, scales)).toBeCloseTo(1, 5);
    // A text with no word of the space is like nothing in it.
    const empty = space.embedScaled({ terms: new Uint32Array(), weights: new Float32Array() }, scales);
    expect(multiScaleCosine(a, empty, scales)).toBe(0);
  });
});

describe('neighbourhood expansion', () => {
  // The target shares "long context" with both C and D; C is about what the target's closest
  // papers are about (evicting attention keys from the kv cache), D is not.
  const texts: Record<string, string> = {
    target: 'kv cache quantization for long context',
    n1: 'kv cache eviction of attention keys',
    n2: 'kv cache eviction policy for attention keys and values',
    n3: 'kv cache compression by evicting attention keys',
    c: 'attention keys eviction for long context',
    d: 'long context retrieval benchmark',
    e: 'retrieval benchmark for question answering',
    f: 'question answering benchmark with retrieval',
  };
  const docs = parseCollectionText(
    Object.entries(texts).map(([id, t]) => JSON.stringify({ id, title: t, abstract: `${t}.` })).join('\n'),
    'expansion.jsonl',
  ).papers;
  const terms = LexicalIndex.build(docs).termSequences();
  const options = { ...SIMILARITY_OPTIONS, latentWeight: 0, vectors: { ...SIMILARITY_OPTIONS.vectors, minDf: 1 } };

  for (const [how, target] of [['a paper', { paper: 0 }], ['pasted text (the same path)', { text: texts.target! }]] as const) {
    it(`lifts a paper that is like the target's nearest papers above one that only shares words with the target: ${how}`, () => {
      const expanded = new PaperSimilarity(docs, terms, options);
      const plain = new PaperSimilarity(docs, terms, { ...options, expansion: { neighbours: 0, weight: 0 } });
      const score = (s: PaperSimilarity, id: string) => s.rank(target, 10).find((r) => r.id === id)?.score ?? 0;
      expect(score(expanded, 'c') / score(expanded, 'd')).toBeGreaterThan(score(plain, 'c') / score(plain, 'd'));
      const ranked = expanded.rank(target, 10);
      expect(ranked.findIndex((r) => r.id === 'c')).toBeLessThan(ranked.findIndex((r) => r.id === 'd'));
      for (const r of ranked) expect(r.score).toBeLessThanOrEqual(1 + 1e-9);
      if ('paper' in target) expect(ranked.map((r) => r.id)).not.toContain('target');
    });
  }
});

describe('candidates under a filter', () => {
  it('finds the papers a filter keeps even when more than 200 papers it rejects are closer', () => {
    const near = Array.from({ length: 230 }, (_, i) => ({ id: `near-${i}`, title: `sparse attention kernels part ${i}`, abstract: 'Sparse attention kernels for long sequences on accelerators.' }));
    const far = Array.from({ length: 3 }, (_, i) => ({ id: `far-${i}`, title: `graph kernels ${i}`, abstract: 'Kernels on graphs for molecules, run on accelerators.' }));
    // Other papers, so that the words of the close ones are not in most papers.
    const other = Array.from({ length: 300 }, (_, i) => ({ id: `other-${i}`, title: `protein folding study ${i}`, abstract: 'Protein structure prediction from sequences.' }));
    const all = parseCollectionText([...near, ...far, ...other].map((p) => JSON.stringify(p)).join('\n'), 'filter.jsonl').papers;
    const s = new PaperSimilarity(all, LexicalIndex.build(all).termSequences());
    const target = { text: 'sparse attention kernels on accelerators' };
    expect(s.rank(target, 5).every((r) => r.id.startsWith('near-'))).toBe(true);
    const kept = s.rank(target, 5, (id) => id.startsWith('far-'));
    expect(kept.map((r) => r.id).sort()).toEqual(['far-0', 'far-1', 'far-2']);
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
    const store = await VectraStore.create(path.join(mkdtempSync(path.join(tmpdir(), 'similar-')), 'v'), 64, papers.map((p, i) => ({ id: p.id, vector: vectors[i]! })));
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
