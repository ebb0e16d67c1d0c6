/**
 * The dense side of retrieval: one file of float32 rows, read straight into the memory of the SIMD
 * kernel (row-matrix.ts) and searched by exact brute-force cosine.
 *
 *   <dir>/rows.f32 = MAGIC | u32 header length | JSON header {dims, count, stride, ids} | zero pad to 16
 *                    | count × stride float32 (little-endian), each row L2-normalised, zero-padded to stride
 *
 * The row section is laid out as the kernel keeps rows in memory, so opening is one read into it, no
 * decoding. The exact-length check catches a truncated file.
 *
 * Why not Vectra: its own formats (JsonCodec, ProtobufCodec) store each vector as a list of numbers,
 * decoded into JS arrays at load; at 50k × 384 that takes seconds and 1–1.5 GB (`npm run bench`
 * measures both), and its queryItems scans those arrays in plain JS. Each index is written once, into a
 * fresh generation folder that only becomes live when complete (index-dir.ts), so we need none of
 * Vectra's update machinery either.
 */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { allocateRows, type RowKernel, type RowMatrix, type VectorKernel } from './row-matrix.js';
import type { VectorHit, VectorStore } from './types.js';

/** A stored or damaged index that cannot be loaded; the caller should rebuild. */
export class VectorIndexUnreadableError extends Error {
  override readonly name = 'VectorIndexUnreadableError';
}

/** The rows file inside a vectors folder. */
export const VECTOR_INDEX_FILE = 'rows.f32';

export interface VectorRow {
  id: string;
  vector: ArrayLike<number>;
}

const MAGIC = 'PBVEC002';
const HEADER_START = MAGIC.length + 4;

interface RowsHeader {
  dims: number;
  count: number;
  stride: number;
  ids: string[];
}

export class VectorFileStore implements VectorStore {
  private rowOfId: Map<string, number> | undefined;

  private constructor(
    readonly dims: number,
    private readonly ids: string[],
    /** Each row L2-normalised, so cosine is a dot product. */
    private readonly rows: RowMatrix & { kernel: RowKernel },
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** The scoring implementation in use (diagnostics). */
  get kernel(): RowKernel {
    return this.rows.kernel;
  }

  /** Writes the rows file in `dir` (created if needed) and returns the store over the rows. */
  static async create(dir: string, dims: number, input: Iterable<VectorRow>, opts: { kernel?: VectorKernel } = {}): Promise<VectorFileStore> {
    const list = [...input];
    const seen = new Set<string>();
    for (const row of list) {
      if (row.vector.length !== dims) throw new Error(`vector of ${row.id} has ${row.vector.length} dims, expected ${dims}`);
      if (seen.has(row.id)) throw new Error(`duplicate id in vector index: ${row.id}`);
      seen.add(row.id);
    }
    const rows = allocateRows(list.length, dims, opts.kernel);
    list.forEach((row, r) => {
      // Rounded to float32 first, then scaled by the float32 vector's norm (as stored since the first index format).
      const vector = Float32Array.from(row.vector);
      rows.setRow(r, vector, 1 / (l2norm(vector) || 1));
    });
    const ids = list.map((r) => r.id);
    const header = Buffer.from(JSON.stringify({ dims, count: list.length, stride: rows.stride, ids } satisfies RowsHeader));
    const prefix = Buffer.alloc(align16(HEADER_START + header.length));
    prefix.write(MAGIC, 0, 'latin1');
    prefix.writeUInt32LE(header.length, MAGIC.length);
    header.copy(prefix, HEADER_START);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, VECTOR_INDEX_FILE), Buffer.concat([prefix, rows.bytes()]));
    return new VectorFileStore(dims, ids, rows);
  }

  /**
   * Opens a rows file written by `create`. Throws VectorIndexUnreadableError when it is missing or damaged.
   * `kernel` picks the scoring implementation (config VECTOR_KERNEL; default auto).
   */
  static async open(dir: string, opts: { kernel?: VectorKernel } = {}): Promise<VectorFileStore> {
    const file = path.join(dir, VECTOR_INDEX_FILE);
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (err) {
      throw new VectorIndexUnreadableError(`vector index ${file} is unreadable: ${(err as Error).message}`);
    }
    try {
      const size = fstatSync(fd).size;
      const start = Buffer.alloc(HEADER_START);
      if (size < HEADER_START || readSync(fd, start, 0, HEADER_START, 0) !== HEADER_START || start.toString('latin1', 0, MAGIC.length) !== MAGIC) {
        throw new Error('not a paperbot vector file');
      }
      const headerLength = start.readUInt32LE(MAGIC.length);
      if (HEADER_START + headerLength > size) throw new Error('vector file is truncated (header)');
      const headerBytes = Buffer.alloc(headerLength);
      readSync(fd, headerBytes, 0, headerLength, HEADER_START);
      const header = parseHeader(headerBytes.toString('utf8'));
      const rowsStart = align16(HEADER_START + headerLength);
      const rows = allocateRows(header.count, header.dims, opts.kernel);
      if (rows.stride !== header.stride) throw new Error(`vector file rows have stride ${header.stride}, expected ${rows.stride}`);
      const target = rows.bytes();
      if (size !== rowsStart + target.byteLength) throw new Error(`vector file is truncated or padded (${size} bytes, expected ${rowsStart + target.byteLength})`);
      // Straight into the kernel's memory, in pieces (one read is capped at 2 GB).
      for (let done = 0; done < target.byteLength; ) {
        const n = readSync(fd, target, done, Math.min(target.byteLength - done, 1 << 30), rowsStart + done);
        if (n <= 0) throw new Error('vector file is truncated (rows)');
        done += n;
      }
      return new VectorFileStore(header.dims, header.ids, rows);
    } catch (err) {
      throw new VectorIndexUnreadableError(`vector index ${file} is unreadable: ${(err as Error).message}`);
    } finally {
      closeSync(fd);
    }
  }

  private rowOf(id: string): number | undefined {
    if (!this.rowOfId) {
      this.rowOfId = new Map();
      this.ids.forEach((rowId, row) => this.rowOfId!.set(rowId, row));
    }
    return this.rowOfId.get(id);
  }

  vectorOf(id: string): number[] | undefined {
    const row = this.rowOf(id);
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

function parseHeader(text: string): RowsHeader {
  let h: Partial<RowsHeader>;
  try {
    h = JSON.parse(text) as Partial<RowsHeader>;
  } catch {
    throw new Error('vector file header is not valid JSON');
  }
  const ok =
    Number.isInteger(h.dims) &&
    h.dims! > 0 &&
    Number.isInteger(h.count) &&
    h.count! >= 0 &&
    Number.isInteger(h.stride) &&
    Array.isArray(h.ids) &&
    h.ids.length === h.count &&
    h.ids.every((id) => typeof id === 'string');
  if (!ok) throw new Error('vector file header is malformed');
  return h as RowsHeader;
}

function align16(n: number): number {
  return (n + 15) & ~15;
}
