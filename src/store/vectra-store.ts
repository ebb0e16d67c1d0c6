/**
 * The dense side of retrieval, stored as a Vectra LocalIndex.
 *
 * Vectra owns the on-disk index (its folder, index file, storage and load
 * path); we plug in a compact binary codec (float32 rows instead of JSON
 * numbers: ~4x smaller, loads fast, no ~68k-item JSON string limit) and answer
 * queries from an in-memory row matrix with a SIMD kernel, because Vectra's
 * queryItems has no "exclude" and is slower (50k rows: ~23 ms CPU at 64 dims,
 * ~51 ms at 384, against ~2 ms and ~8 ms here).
 *
 * Vectra's writes are not atomic; that is fine because every index is written
 * into a fresh generation folder that only becomes live after it is complete
 * (see index-dir.ts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { allocateRows, type RowKernel, type RowMatrix, type VectorKernel } from './row-matrix.js';
import type { IndexCodec, IndexData, IndexItem, LocalIndex as VectraLocalIndex } from 'vectra';
import type { VectorHit, VectorStore } from './types.js';

/** A stored or damaged index that cannot be loaded; the caller should rebuild. */
export class VectorIndexUnreadableError extends Error {
  override readonly name = 'VectorIndexUnreadableError';
}

/** The index file inside a Vectra index folder. */
export const VECTOR_INDEX_FILE = 'index.f32';

export interface VectorRow {
  id: string;
  vector: ArrayLike<number>;
}

export class VectraStore implements VectorStore {
  private readonly rowOf = new Map<string, number>();

  private constructor(
    readonly dims: number,
    private readonly ids: string[],
    /** Each row L2-normalised, so cosine is a dot product. */
    private readonly rows: RowMatrix & { kernel: RowKernel },
  ) {
    ids.forEach((id, row) => this.rowOf.set(id, row));
  }

  get size(): number {
    return this.ids.length;
  }

  /** The scoring implementation in use (diagnostics). */
  get kernel(): RowKernel {
    return this.rows.kernel;
  }

  /**
   * Writes a new Vectra index in `dir` (which must not hold one yet).
   * All rows go to disk in one write: Vectra's insertItem scans every item for
   * a duplicate id (O(n^2): ~1 min at 50k rows), so we check ids ourselves and
   * hand the whole IndexData to Vectra's codec and storage.
   */
  static async create(dir: string, dims: number, rows: Iterable<VectorRow>): Promise<VectraStore> {
    const codec = new Float32RowsCodec(dims);
    const index = newLocalIndex(dir, codec);
    await index.createIndex({ version: 1 });
    const items: IndexItem[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      if (row.vector.length !== dims) throw new Error(`vector of ${row.id} has ${row.vector.length} dims, expected ${dims}`);
      if (seen.has(row.id)) throw new Error(`duplicate id in vector index: ${row.id}`);
      seen.add(row.id);
      // Vectra only reads vector[i] and .length, so a Float32Array is fine and halves memory.
      const vector = Float32Array.from(row.vector);
      items.push({ id: row.id, metadata: {}, vector: vector as unknown as number[], norm: l2norm(vector) });
    }
    await index.storage.upsertFile(path.join(dir, index.indexName), codec.serializeIndex({ version: 1, metadata_config: {}, items }));
    return VectraStore.fromItems(items, dims);
  }

  /**
   * Loads an index written by `create`. Throws VectorIndexUnreadableError when it is missing or damaged.
   * `kernel` picks the scoring implementation (config VECTOR_KERNEL; default auto).
   */
  static async open(dir: string, opts: { kernel?: VectorKernel } = {}): Promise<VectraStore> {
    const codec = new Float32RowsCodec();
    const index = newLocalIndex(dir, codec);
    let items: IndexItem[];
    try {
      items = await index.listItems();
    } catch (err) {
      throw new VectorIndexUnreadableError(`vector index in ${dir} is unreadable: ${(err as Error).message}`);
    }
    return VectraStore.fromItems(items, codec.dims ?? 0, opts.kernel);
  }

  private static fromItems(items: IndexItem[], dims: number, kernel?: VectorKernel): VectraStore {
    const rows = allocateRows(items.length, dims, kernel);
    items.forEach((item, r) => rows.setRow(r, item.vector, 1 / (item.norm || 1)));
    return new VectraStore(
      dims,
      items.map((i) => i.id),
      rows,
    );
  }

  vectorOf(id: string): number[] | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : Array.from(this.rows.row(row));
  }

  async query(vector: number[], k: number, exclude?: ReadonlySet<string>): Promise<VectorHit[]> {
    return this.querySync(vector, k, exclude);
  }

  /** Exact brute-force cosine top-k over all rows. */
  querySync(vector: ArrayLike<number>, k: number, exclude?: ReadonlySet<string>): VectorHit[] {
    if (vector.length !== this.dims) throw new Error(`query vector has ${vector.length} dims, the index has ${this.dims}`);
    if (k <= 0 || this.ids.length === 0) return [];
    const scores = this.rows.scores(normalised(vector));
    const top = new TopK(k);
    for (let row = 0; row < scores.length; row++) {
      const score = scores[row]!;
      if (top.accepts(score) && !(exclude && exclude.has(this.ids[row]!))) top.push(row, score);
    }
    return top.sorted().map(({ row, score }) => ({ id: this.ids[row]!, score }));
  }
}

/** Keeps the k best (row, score) pairs; k is small (tens), so a sorted array beats a heap. */
class TopK {
  private readonly rows: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}

  accepts(score: number): boolean {
    return this.scores.length < this.k || score > this.scores[this.scores.length - 1]!;
  }

  push(row: number, score: number): void {
    let i = this.scores.length;
    if (i === this.k) i--;
    while (i > 0 && this.scores[i - 1]! < score) {
      this.scores[i] = this.scores[i - 1]!;
      this.rows[i] = this.rows[i - 1]!;
      i--;
    }
    this.scores[i] = score;
    this.rows[i] = row;
  }

  sorted(): { row: number; score: number }[] {
    return this.rows.map((row, i) => ({ row, score: this.scores[i]! }));
  }
}

function l2norm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  return Math.sqrt(sum);
}

function normalised(v: ArrayLike<number>): Float32Array {
  const norm = l2norm(v) || 1;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

type LocalIndexClass = typeof VectraLocalIndex;
let localIndexClass: LocalIndexClass | undefined;

/**
 * Loads only Vectra's LocalIndex module: the package entry also loads its gRPC
 * server, web fetchers and embedding helpers (~0.8 s, and a path to a second
 * copy of @huggingface/transformers); LocalIndex alone is ~0.1 s.
 */
function newLocalIndex(dir: string, codec: IndexCodec): VectraLocalIndex {
  if (!localIndexClass) {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('vectra');
    const mod = require(entry.replace(/index\.js$/, 'LocalIndex.js')) as { LocalIndex: LocalIndexClass };
    localIndexClass = mod.LocalIndex;
  }
  return new localIndexClass(dir, VECTOR_INDEX_FILE, undefined, codec);
}

const MAGIC = 'PBVEC001';

/**
 * Vectra IndexCodec for fixed-dims float32 rows:
 *   MAGIC | u32 header length | JSON header {version, metadata_config, dims, count, ids, norms} | pad to 4 | float32 rows
 * The exact-length check catches a truncated file. Little-endian, as on every platform we run on.
 */
export class Float32RowsCodec implements IndexCodec {
  readonly extension = '.f32';
  /** Set at construction for writing, or from the file header once read. */
  dims: number | undefined;

  constructor(dims?: number) {
    this.dims = dims;
  }

  serializeIndex(data: IndexData): Buffer {
    const dims = this.dims ?? data.items[0]?.vector.length ?? 0;
    const header = Buffer.from(
      JSON.stringify({
        version: data.version,
        metadata_config: data.metadata_config,
        dims,
        count: data.items.length,
        ids: data.items.map((i) => i.id),
        norms: data.items.map((i) => i.norm),
      }),
    );
    const rowsStart = align4(MAGIC.length + 4 + header.length);
    const out = Buffer.alloc(rowsStart + data.items.length * dims * 4);
    out.write(MAGIC, 0, 'latin1');
    out.writeUInt32LE(header.length, MAGIC.length);
    header.copy(out, MAGIC.length + 4);
    const rows = new Float32Array(out.buffer, out.byteOffset + rowsStart, data.items.length * dims);
    data.items.forEach((item, r) => {
      if (item.vector.length !== dims) throw new Error(`vector of ${item.id} has ${item.vector.length} dims, expected ${dims}`);
      rows.set(item.vector, r * dims);
    });
    return out;
  }

  deserializeIndex(buffer: Buffer): IndexData {
    if (buffer.length < MAGIC.length + 4 || buffer.toString('latin1', 0, MAGIC.length) !== MAGIC) {
      throw new Error('not a paperbot vector file');
    }
    const headerLength = buffer.readUInt32LE(MAGIC.length);
    const headerEnd = MAGIC.length + 4 + headerLength;
    if (headerEnd > buffer.length) throw new Error('vector file is truncated (header)');
    const header = parseHeader(buffer.toString('utf8', MAGIC.length + 4, headerEnd));
    const rowsStart = align4(headerEnd);
    const floats = header.count * header.dims;
    if (buffer.length !== rowsStart + floats * 4) throw new Error(`vector file is truncated or padded (${buffer.length} bytes, expected ${rowsStart + floats * 4})`);
    // Float32Array views need 4-byte alignment; a pooled Buffer may not give it.
    const aligned = (buffer.byteOffset + rowsStart) % 4 === 0 ? buffer : Buffer.from(buffer);
    const rows = new Float32Array(aligned.buffer, aligned.byteOffset + rowsStart, floats);
    this.dims = header.dims;
    return {
      version: header.version,
      metadata_config: header.metadata_config,
      items: header.ids.map((id, r) => ({
        id,
        metadata: {},
        vector: rows.subarray(r * header.dims, (r + 1) * header.dims) as unknown as number[],
        norm: header.norms[r]!,
      })),
    };
  }

  // Catalogs and metadata files are for Vectra's document index, which we do not use.
  serializeCatalog(catalog: Parameters<IndexCodec['serializeCatalog']>[0]): Buffer {
    return Buffer.from(JSON.stringify(catalog));
  }
  deserializeCatalog(buffer: Buffer): ReturnType<IndexCodec['deserializeCatalog']> {
    return JSON.parse(buffer.toString('utf8'));
  }
  serializeMetadata(metadata: Parameters<IndexCodec['serializeMetadata']>[0]): Buffer {
    return Buffer.from(JSON.stringify(metadata));
  }
  deserializeMetadata(buffer: Buffer): ReturnType<IndexCodec['deserializeMetadata']> {
    return JSON.parse(buffer.toString('utf8'));
  }
}

interface RowsHeader {
  version: number;
  metadata_config: IndexData['metadata_config'];
  dims: number;
  count: number;
  ids: string[];
  norms: number[];
}

function parseHeader(text: string): RowsHeader {
  let h: Partial<RowsHeader>;
  try {
    h = JSON.parse(text) as Partial<RowsHeader>;
  } catch {
    throw new Error('vector file header is not valid JSON');
  }
  const ok =
    typeof h.version === 'number' &&
    Number.isInteger(h.dims) &&
    Number.isInteger(h.count) &&
    Array.isArray(h.ids) &&
    Array.isArray(h.norms) &&
    h.ids.length === h.count &&
    h.norms.length === h.count;
  if (!ok) throw new Error('vector file header is malformed');
  return { ...(h as RowsHeader), metadata_config: h.metadata_config ?? {} };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
