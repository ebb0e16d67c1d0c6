/**
 * Shared by any test that needs a real (tiny) embedding model: writes the fixture model into a
 * fresh temp folder and loads it through the production TransformersEmbedder, offline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TransformersEmbedder } from '../../src/embedding/transformers.js';
import { createTinyModel, type TinyModelOptions } from '../fixtures/tiny-model.js';

export interface TinyModelEnv {
  /** Folder holding the model files (inside `root`). */
  modelDir: string;
  /** Temp root; also usable as a throwaway cache dir. */
  root: string;
  embedder: TransformersEmbedder;
  cleanup(): Promise<void>;
}

export async function setupTinyEmbedder(opts: TinyModelOptions = {}): Promise<TinyModelEnv> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-tiny-model-'));
  const modelDir = await createTinyModel(path.join(root, 'tiny-bert'), opts);
  const embedder = await TransformersEmbedder.create({
    model: modelDir,
    cacheDir: path.join(root, 'cache'),
    allowRemote: false,
  });
  return {
    modelDir,
    root,
    embedder,
    cleanup: async () => {
      await embedder.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}
