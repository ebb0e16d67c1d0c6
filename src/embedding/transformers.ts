/**
 * Sentence embeddings with @huggingface/transformers (ONNX Runtime on CPU). A model is either a
 * Hugging Face id (downloaded once into `cacheDir`) or a local folder in the same layout
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx).
 */
import path from 'node:path';
import { env, LogLevel, mean_pooling, pipeline } from '@huggingface/transformers';
import type { FeatureExtractionPipeline, ProgressInfo, Tensor } from '@huggingface/transformers';
import type { Logger } from 'pino';
import type { Embedder } from './types.js';
import { type ModelProfile, profileForModel, readFolderProfile } from './profiles.js';
import { forgetModelDownloads, guardModelFetch } from './fetch-guard.js';
import { resolveLocalModelFolder } from './local-folder.js';

export { ModelFolderMissingError, resolveLocalModelFolder } from './local-folder.js';

export interface TransformersEmbedderOptions {
  /** Hugging Face model id (e.g. `Xenova/bge-small-en-v1.5`) or a local folder path. */
  model: string;
  /** Where downloaded models are cached (data/models). */
  cacheDir: string;
  /** May files be fetched from huggingface.co? false = cache or local folder only. */
  allowRemote: boolean;
  /** A download request with no response for this long is aborted (default 10 s). */
  timeoutMs?: number;
  /** Download/load progress as reported by transformers.js. */
  onProgress?: (info: ProgressInfo) => void;
  logger?: Logger;
  /** ONNX weights to use; fp32 = onnx/model.onnx, q8 = onnx/model_quantized.onnx. Default fp32. */
  dtype?: 'fp32' | 'q8';
}

/** Thrown when a local folder was asked for but does not exist (message names the folder). */
/** BERT-family models have 512 positions; longer inputs are truncated by the tokenizer. */
const MAX_TOKENS = 512;
const BATCH_SIZE = 16;
const PROBE_TEXT = 'dimension probe';

export class TransformersEmbedder implements Embedder {
  private constructor(
    readonly modelId: string,
    readonly dims: number,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly profile: ModelProfile,
    private readonly maxTokens: number,
  ) {}

  static async create(opts: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const localFolder = resolveLocalModelFolder(opts.model);
    // transformers.js treats a relative `org/name` as a Hub id, so local folders go in absolute.
    const source = localFolder ?? opts.model;

    env.cacheDir = opts.cacheDir;
    env.allowLocalModels = true;
    env.logLevel = LogLevel.ERROR; // also lowers onnxruntime's session log severity
    guardModelFetch(opts.timeoutMs ?? 10_000);

    const profile = { ...profileForModel(source), ...(localFolder ? await readFolderProfile(localFolder) : {}) };
    const extractor = await pipeline('feature-extraction', source, {
      cache_dir: opts.cacheDir,
      local_files_only: !opts.allowRemote,
      dtype: opts.dtype ?? 'fp32',
      device: 'cpu',
      session_options: { logSeverityLevel: 3 }, // errors only: hides ORT's unused-initializer chatter
      ...(opts.onProgress ? { progress_callback: opts.onProgress } : {}),
    });
    forgetModelDownloads();

    const positions = Number((extractor.model.config as { max_position_embeddings?: unknown }).max_position_embeddings);
    const tokenizerMax = extractor.tokenizer.model_max_length;
    const maxTokens = Math.min(
      MAX_TOKENS,
      Number.isFinite(positions) && positions > 0 ? positions : MAX_TOKENS,
      Number.isFinite(tokenizerMax) && tokenizerMax > 0 ? tokenizerMax : MAX_TOKENS,
    );

    const modelId = opts.model; // as configured, so the index manifest matches the setting
    const probe = new TransformersEmbedder(modelId, 0, extractor, profile, maxTokens);
    const [vector] = await probe.embed([PROBE_TEXT]);
    const dims = vector?.length ?? 0;
    opts.logger?.info({ model: opts.model, source, dims, pooling: profile.pooling, maxTokens }, 'embedding model loaded');
    return new TransformersEmbedder(modelId, dims, extractor, profile, maxTokens);
  }

  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += BATCH_SIZE) {
      const batch = texts.slice(start, start + BATCH_SIZE).map((t) => this.profile.docPrefix + t);
      vectors.push(...(await this.embed(batch)));
      onProgress?.(vectors.length, texts.length);
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embed([this.profile.queryPrefix + text]);
    if (!vector) throw new Error('embedding model returned no vector');
    return vector;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }

  /** Tokenise (truncating to the model window), run, pool, L2-normalise. */
  private async embed(texts: string[]): Promise<number[][]> {
    const inputs = this.extractor.tokenizer(texts, { padding: true, truncation: true, max_length: this.maxTokens });
    const outputs = (await this.extractor.model(inputs)) as { last_hidden_state?: Tensor };
    const hidden = outputs.last_hidden_state;
    if (!hidden) throw new Error(`model "${this.modelId}" has no last_hidden_state output`);
    const pooled = this.profile.pooling === 'cls' ? hidden.slice(null, 0) : mean_pooling(hidden, inputs.attention_mask);
    return (pooled.tolist() as number[][]).map(l2Normalise);
  }
}

function l2Normalise(v: number[]): number[] {
  const norm = Math.hypot(...v);
  // An all-zero vector (e.g. empty text in a toy model) cannot be normalised; keep it as is.
  return norm > 0 ? v.map((x) => x / norm) : v;
}
