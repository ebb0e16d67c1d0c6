import { fnv1a } from '../../src/random.js';
import type { Embedder } from '../../src/embedding/types.js';

export interface HashEmbedderOptions {
  dims?: number;
  /** Recorded in the index manifest; defaults to `hash-embedder-<dims>`. */
  modelId?: string;
  /** Texts per embedDocuments batch (progress is reported per batch). */
  batchSize?: number;
  /** Artificial delay per batch, to make builds slow enough to interrupt. */
  delayMsPerBatch?: number;
}

/**
 * A deterministic stand-in for a real model: feature hashing of lower-cased
 * word tokens into signed buckets, L2-normalised. Texts sharing words get
 * similar vectors, which is all the store and ingest tests need.
 */
export class HashEmbedder implements Embedder {
  readonly dims: number;
  readonly modelId: string;
  private readonly batchSize: number;
  private readonly delayMs: number;
  /** How many documents were embedded in all, so tests can count re-embeds. */
  documentsEmbedded = 0;

  constructor(options: HashEmbedderOptions = {}) {
    this.dims = options.dims ?? 64;
    this.modelId = options.modelId ?? `hash-embedder-${this.dims}`;
    this.batchSize = options.batchSize ?? 32;
    this.delayMs = options.delayMsPerBatch ?? 0;
  }

  async embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]> {
    const out: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      for (const text of texts.slice(start, start + this.batchSize)) out.push(this.embed(text));
      this.documentsEmbedded += Math.min(this.batchSize, texts.length - start);
      onProgress?.(out.length, texts.length);
    }
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  embed(text: string): number[] {
    const v = new Array<number>(this.dims).fill(0);
    for (const token of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const h = fnv1a(token);
      v[h % this.dims]! += h & 0x80000000 ? -1 : 1;
    }
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    // An empty text still gets a unit vector, so cosine stays defined.
    if (norm === 0) {
      v[0] = 1;
      return v;
    }
    return v.map((x) => x / norm);
  }
}

