import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, pipeline } from '@huggingface/transformers';
import { createTinyModel } from '../fixtures/tiny-model.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-tiny-fixture-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function folderBytes(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
    files.set(name, await readFile(path.join(dir, name)));
  }
  return files;
}

describe('createTinyModel', () => {
  it('writes the files transformers.js needs, deterministically and small', async () => {
    const a = await createTinyModel(path.join(root, 'a'));
    const b = await createTinyModel(path.join(root, 'b'));
    expect((await readdir(a)).sort()).toEqual(['config.json', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const filesA = await folderBytes(a);
    const filesB = await folderBytes(b);
    for (const [name, bytes] of filesA) expect(bytes.equals(filesB.get(name)!), name).toBe(true);
    expect((await stat(path.join(a, 'onnx/model.onnx'))).size).toBeLessThan(100_000);
    const config = JSON.parse(filesA.get('config.json')!.toString());
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 32 });
  });

  it('loads through the real feature-extraction pipeline with remote models disabled', async () => {
    const dir = await createTinyModel(path.join(root, 'pipe'), { hidden: 8 });
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    const extractor = await pipeline('feature-extraction', dir, { dtype: 'fp32' });
    try {
      const tokens = extractor.tokenizer.tokenize('Diffusion models for video generation');
      expect(tokens).toEqual(['diffusion', 'models', 'for', 'video', 'generation']);
      const out = await extractor(['large language models', 'video'], { pooling: 'none' });
      // [CLS] large language models [SEP] → 5 positions; the shorter text is padded.
      expect(out.dims).toEqual([2, 5, 8]);
      const pooled = await extractor('large language models', { pooling: 'mean', normalize: true });
      expect(pooled.dims).toEqual([1, 8]);
    } finally {
      await extractor.dispose();
    }
  });

  it('splits words outside its vocabulary into word pieces instead of [UNK]', async () => {
    const dir = await createTinyModel(path.join(root, 'small-vocab'), { vocab: ['model'], hidden: 4 });
    env.allowRemoteModels = false;
    const extractor = await pipeline('feature-extraction', dir, { dtype: 'fp32' });
    try {
      expect(extractor.tokenizer.tokenize('models zq')).toEqual(['model', '##s', 'z', '##q']);
    } finally {
      await extractor.dispose();
    }
  });
});
