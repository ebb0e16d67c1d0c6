export interface VectorHit {
  id: string;
  /** Cosine similarity, higher is nearer. */
  score: number;
}

/** The dense side of retrieval. Vectra today; Postgres + pgvector would fit the same seam. */
export interface VectorStore {
  readonly dims: number;
  readonly size: number;
  /** k nearest by cosine; `exclude` ids never come back. */
  query(vector: number[], k: number, exclude?: ReadonlySet<string>): Promise<VectorHit[]>;
  /** The stored vector of a paper, for similar(paperId). */
  vectorOf(id: string): number[] | undefined;
}
