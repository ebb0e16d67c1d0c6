/**
 * Fixed-width float32 rows and "dot product of one query with every row".
 *
 * Brute force is exact and simple, but a plain JS loop over 50k x 384 floats
 * takes ~20-50 ms; a 120-byte WebAssembly SIMD kernel (f32x4) does it 4-6x
 * faster. Rows then live in WebAssembly memory, padded to a multiple of 4.
 * Where SIMD is unavailable the same API falls back to an unrolled JS loop.
 */

export interface RowMatrix {
  readonly count: number;
  readonly dims: number;
  /** Copies `values * scale` into row `r`. */
  setRow(r: number, values: ArrayLike<number>, scale: number): void;
  /** A view of row `r` (do not keep it across calls). */
  row(r: number): Float32Array;
  /** dot(query, row) for every row; the result is reused by the next call. */
  scores(query: Float32Array): Float32Array;
}

export type RowKernel = 'simd' | 'js';

/** The VECTOR_KERNEL setting: one implementation forced, or `auto` (SIMD when the runtime has it). */
export const VECTOR_KERNELS = ['auto', 'simd', 'js'] as const;
export type VectorKernel = (typeof VECTOR_KERNELS)[number];

/** `simd` throws when the runtime has no WebAssembly SIMD; `auto` then falls back to `js`. */
export function allocateRows(count: number, dims: number, kernel: VectorKernel = 'auto'): RowMatrix & { kernel: RowKernel } {
  const simd = kernel === 'js' ? null : simdKernel();
  if (kernel === 'simd' && !simd) throw new Error('WebAssembly SIMD is not available');
  return simd ? new WasmRows(count, dims, simd) : new JsRows(count, dims);
}

class JsRows implements RowMatrix {
  readonly kernel = 'js' as const;
  private readonly data: Float32Array;
  private readonly out: Float32Array;
  constructor(
    readonly count: number,
    readonly dims: number,
  ) {
    this.data = new Float32Array(count * dims);
    this.out = new Float32Array(count);
  }
  setRow(r: number, values: ArrayLike<number>, scale: number): void {
    for (let d = 0; d < this.dims; d++) this.data[r * this.dims + d] = values[d]! * scale;
  }
  row(r: number): Float32Array {
    return this.data.subarray(r * this.dims, (r + 1) * this.dims);
  }
  scores(q: Float32Array): Float32Array {
    const { data, dims, out } = this;
    const d4 = dims & ~3;
    for (let r = 0, base = 0; r < this.count; r++, base += dims) {
      // Four accumulators break the add dependency chain.
      let a = 0, b = 0, c = 0, e = 0, d = 0; // prettier-ignore
      for (; d < d4; d += 4) {
        a += q[d]! * data[base + d]!;
        b += q[d + 1]! * data[base + d + 1]!;
        c += q[d + 2]! * data[base + d + 2]!;
        e += q[d + 3]! * data[base + d + 3]!;
      }
      for (; d < dims; d++) a += q[d]! * data[base + d]!;
      out[r] = a + b + c + e;
    }
    return out;
  }
}

type DotsFn = (queryPtr: number, rowsPtr: number, count: number, vec4PerRow: number, outPtr: number) => void;

class WasmRows implements RowMatrix {
  readonly kernel = 'simd' as const;
  private readonly stride: number;
  private readonly query: Float32Array;
  private readonly out: Float32Array;
  private readonly data: Float32Array;
  private readonly dots: DotsFn;
  private readonly layout: { query: number; out: number; rows: number };

  constructor(
    readonly count: number,
    readonly dims: number,
    kernel: WebAssembly.Module,
  ) {
    this.stride = (dims + 3) & ~3;
    const query = 0;
    const out = align16(this.stride * 4);
    const rows = align16(out + count * 4);
    const bytes = rows + count * this.stride * 4;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const instance = new WebAssembly.Instance(kernel, { env: { memory } });
    this.dots = instance.exports.dots as DotsFn;
    this.layout = { query, out, rows };
    this.query = new Float32Array(memory.buffer, query, this.stride);
    this.out = new Float32Array(memory.buffer, out, count);
    this.data = new Float32Array(memory.buffer, rows, count * this.stride);
  }

  setRow(r: number, values: ArrayLike<number>, scale: number): void {
    const base = r * this.stride;
    for (let d = 0; d < this.dims; d++) this.data[base + d] = values[d]! * scale;
  }

  row(r: number): Float32Array {
    return this.data.subarray(r * this.stride, r * this.stride + this.dims);
  }

  scores(q: Float32Array): Float32Array {
    this.query.set(q.subarray(0, this.dims));
    this.dots(this.layout.query, this.layout.rows, this.count, this.stride / 4, this.layout.out);
    return this.out;
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

let compiled: WebAssembly.Module | null | undefined;

function simdKernel(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(DOTS_WASM);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Hand-assembled module, equivalent to:
 *   (func (export "dots") (param $q $m $n $vec4PerRow $out i32)
 *     for row < n: acc = f32x4(0); qp = q
 *       for j < vec4PerRow: acc += v128.load(qp) * v128.load(mp); qp += 16; mp += 16
 *       f32.store(out + 4*row, acc[0] + acc[1] + acc[2] + acc[3]))
 * with memory imported as env.memory.
 */
const DOTS_BODY = [
  0x02, 0x04, 0x7f, 0x01, 0x7b, // locals: row j qp mp (i32), acc (v128)
  0x20, 0x01, 0x21, 0x08, // mp = m
  0x02, 0x40, 0x03, 0x40, // block, loop (rows)
  0x20, 0x05, 0x20, 0x02, 0x4f, 0x0d, 0x01, // if row >= n break
  0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x21, 0x09, // acc = 0
  0x20, 0x00, 0x21, 0x07, // qp = q
  0x41, 0x00, 0x21, 0x06, // j = 0
  0x02, 0x40, 0x03, 0x40, // block, loop (columns)
  0x20, 0x06, 0x20, 0x03, 0x4f, 0x0d, 0x01, // if j >= vec4PerRow break
  0x20, 0x09, 0x20, 0x07, 0xfd, 0x00, 0x04, 0x00, 0x20, 0x08, 0xfd, 0x00, 0x04, 0x00, // acc, load qp, load mp
  0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, 0x21, 0x09, // acc += qp * mp
  0x20, 0x07, 0x41, 0x10, 0x6a, 0x21, 0x07, // qp += 16
  0x20, 0x08, 0x41, 0x10, 0x6a, 0x21, 0x08, // mp += 16
  0x20, 0x06, 0x41, 0x01, 0x6a, 0x21, 0x06, // j++
  0x0c, 0x00, 0x0b, 0x0b, // continue columns; end
  0x20, 0x04, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, // address out + row*4
  0x20, 0x09, 0xfd, 0x1f, 0x00, // horizontal sum of acc
  0x20, 0x09, 0xfd, 0x1f, 0x01, 0x92,
  0x20, 0x09, 0xfd, 0x1f, 0x02, 0x92,
  0x20, 0x09, 0xfd, 0x1f, 0x03, 0x92,
  0x38, 0x02, 0x00, // f32.store
  0x20, 0x05, 0x41, 0x01, 0x6a, 0x21, 0x05, // row++
  0x0c, 0x00, 0x0b, 0x0b, 0x0b, // continue rows; end; end function
];

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb128(content.length), ...content];
}

const DOTS_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type (i32 x5) -> ()
  ...section(2, [0x01, 0x03, ...utf8('env'), 0x06, ...utf8('memory'), 0x02, 0x00, 0x01]), // import env.memory
  ...section(3, [0x01, 0x00]), // one function of type 0
  ...section(7, [0x01, 0x04, ...utf8('dots'), 0x00, 0x00]), // export "dots"
  ...section(10, [0x01, ...leb128(DOTS_BODY.length), ...DOTS_BODY]), // code
]);

function utf8(s: string): number[] {
  return [...Buffer.from(s, 'utf8')];
}
