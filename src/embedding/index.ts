export type { Embedder } from './types.js';
export { loadEmbedder, LEXICAL_ONLY_NOTE } from './load.js';
export type { LoadEmbedderOptions, LoadedEmbedder } from './load.js';
export { TransformersEmbedder, ModelFolderMissingError } from './transformers.js';
export type { TransformersEmbedderOptions } from './transformers.js';
export { profileForModel } from './profiles.js';
export type { ModelProfile, Pooling } from './profiles.js';

/** The model we ship with: small (33M params, 384 dims), strong on retrieval, English. */
export const DEFAULT_MODEL = 'Xenova/bge-small-en-v1.5';
