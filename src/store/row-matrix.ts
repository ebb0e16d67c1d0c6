/**
 * Fixed-width float32 rows and "dot product of one query with every row".
 *
 * Brute force is exact and simple, but a plain JS loop over 50k x 384 floats
 * takes ~20-50 ms; a small WebAssembly SIMD kernel (f32x4; source in
 * kernels/dots.wat, assembled to kernels/dots.wasm) does it 4-6x faster. Rows
 * then live in WebAssembly memory, padded to a multiple of 4. Where SIMD is
 * unavailable the same API falls back to an unrolled JS loop.
 */
import { readFileSync } from 'node:fs';


export interface RowMatrix {
  readonly count: number;
  readonly dims: number;
  /** Floats per stored row (dims, or dims padded to a multiple of 4 for SIMD). */
  readonly stride: number;
  /** Copies `values * scale` into row `r`. */
  setRow(r: number, values: ArrayLike<number>, scale: number): void;
  /** A view of row `r` (do not keep it across calls). */
  row(r: number): Float32Array;
  /** dot(query, row) for every row; the result is reused by the next call. */
  scores(query: Float32Array): Float32Array;
  /** The rows as stored (count × stride float32, little-endian): to save them, or to fill them from a file in one read. */
  bytes(): Uint8Array;
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
  readonly stride: number;
  constructor(
    readonly count: number,
    readonly dims: number,
  ) {
    // Padded like the SIMD rows, so that both keep (and save) rows in one layout.
    this.stride = strideFor(dims);
    this.data = new Float32Array(count * this.stride);
    this.out = new Float32Array(count);
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  }
  setRow(r: number, values: ArrayLike<number>, scale: number): void {
    for (let d = 0; d < this.dims; d++) this.data[r * this.stride + d] = values[d]! * scale;
  }
  row(r: number): Float32Array {
    return this.data.subarray(r * this.stride, r * this.stride + this.dims);
  }
  scores(q: Float32Array): Float32Array {
    const { data, dims, out, stride } = this;
    const d4 = dims & ~3;
    for (let r = 0, base = 0; r < this.count; r++, base += stride) {
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
  readonly stride: number;
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
    this.stride = strideFor(dims);
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

  bytes(): Uint8Array {
    return new Uint8Array(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  }

  scores(q: Float32Array): Float32Array {
    this.query.set(q.subarray(0, this.dims));
    this.dots(this.layout.query, this.layout.rows, this.count, this.stride / 4, this.layout.out);
    return this.out;
  }
}

/** Floats per stored row: dims rounded up to a multiple of 4 (one f32x4). */
function strideFor(dims: number): number {
  return (dims + 3) & ~3;
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

let compiled: WebAssembly.Module | null | undefined;

/** The assembled kernel; built from kernels/dots.wat by `npm run build:wasm`, copied into dist/ by `npm run build`. */
export const DOTS_WASM_URL = new URL('./kernels/dots.wasm', import.meta.url);

function simdKernel(): WebAssembly.Module | null {
  if (compiled === undefined) {
    // A missing file is a packaging mistake, not a runtime without SIMD: say so instead of running 4× slower.
    const bytes = readFileSync(DOTS_WASM_URL);
    try {
      compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}
