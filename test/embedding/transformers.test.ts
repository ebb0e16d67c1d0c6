import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransformersEmbedder } from '../../src/embedding/transformers.js';
import { createTinyModel } from '../fixtures/tiny-model.js';
import { setupTinyEmbedder, type TinyModelEnv } from '../helpers/tiny-model-env.js';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (v: number[]) => Math.hypot(...v);

let tiny: TinyModelEnv;
beforeAll(async () => {
  tiny = await setupTinyEmbedder();
});
afterAll(async () => {
  await tiny?.cleanup();
});

describe('TransformersEmbedder with the tiny local model', () => {
  it('reports the model folder as given and the dims of the model', async () => {
    expect(tiny.embedder.modelId).toBe(tiny.modelDir);
    expect(tiny.embedder.dims).toBe(32);
    const v = await tiny.embedder.embedQuery('sparse attention for long context');
    expect(v).toHaveLength(32);
  });

  it('returns L2-normalised vectors, one per document, and reports batch progress', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `paper ${i} about diffusion models and video generation`);
    const progress: [number, number][] = [];
    const vectors = await tiny.embedder.embedDocuments(texts, (done, total) => progress.push([done, total]));
    expect(vectors).toHaveLength(20);
    for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 5);
    expect(progress).toEqual([
      [16, 20],
      [20, 20],
    ]);
  });

  it('is deterministic, and batching does not change a vector', async () => {
    const text = 'Reinforcement learning improves reasoning in large language models';
    const [alone] = await tiny.embedder.embedDocuments([text]);
    const [inBatch] = await tiny.embedder.embedDocuments([text, 'a much longer unrelated text about robots grasping objects in cluttered scenes']);
    expect(await tiny.embedder.embedDocuments([text])).toEqual([alone]);
    for (let i = 0; i < alone!.length; i++) expect(inBatch![i]).toBeCloseTo(alone![i]!, 5);
  });

  it('places texts that share words closer than unrelated texts', async () => {
    const [doc, paraphrase, unrelated] = await tiny.embedder.embedDocuments([
      'Diffusion models for high resolution video generation',
      'video generation with diffusion models',
      'robot grasping policy learned from human demonstrations',
    ]);
    expect(cosine(doc!, doc!)).toBeCloseTo(1, 5);
    expect(cosine(doc!, paraphrase!)).toBeGreaterThan(cosine(doc!, unrelated!) + 0.3);
  });

  it('truncates input to the 512-token window', async () => {
    const long = Array.from({ length: 600 }, () => 'video').join(' ');
    const [a, b] = await tiny.embedder.embedDocuments([long, `${long} robot grasping language reasoning`]);
    expect(a).toEqual(b); // the extra words fall beyond token 512
  });

  it('applies prefixes declared in a local paperbot.json', async () => {
    const dir = await createTinyModel(path.join(tiny.root, 'prefixed'));
    await writeFile(path.join(dir, 'paperbot.json'), JSON.stringify({ pooling: 'mean', queryPrefix: 'diffusion ' }));
    const embedder = await TransformersEmbedder.create({ model: dir, cacheDir: tiny.root, allowRemote: false });
    try {
      const query = await embedder.embedQuery('video');
      const [prefixedDoc, plainDoc] = await embedder.embedDocuments(['diffusion video', 'video']);
      expect(query).toEqual(prefixedDoc);
      expect(query).not.toEqual(plainDoc);
    } finally {
      await embedder.dispose();
    }
  });

  it('rejects a paperbot.json with an unknown pooling', async () => {
    const dir = await createTinyModel(path.join(tiny.root, 'bad-profile'), { hidden: 4, vocab: [] });
    await writeFile(path.join(dir, 'paperbot.json'), JSON.stringify({ pooling: 'max' }));
    await expect(TransformersEmbedder.create({ model: dir, cacheDir: tiny.root, allowRemote: false })).rejects.toThrow(
      /paperbot\.json is invalid/,
    );
  });
});
