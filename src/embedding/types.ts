/** Turns text into vectors. Heavy implementations are built with an async `create()`. */
export interface Embedder {
  /** Model id or local folder, as recorded in the index manifest. */
  readonly modelId: string;
  readonly dims: number;
  /** Documents (title + abstract). Vectors are L2-normalised. */
  embedDocuments(texts: string[], onProgress?: (done: number, total: number) => void): Promise<number[][]>;
  /** A search query (a model may prefix its query instruction). L2-normalised. */
  embedQuery(text: string): Promise<number[]>;
  dispose?(): Promise<void>;
}
