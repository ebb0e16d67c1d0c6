// A latent topic space (LSA): a truncated SVD of the documents' TF-IDF vectors, found with a
// randomized range finder (Halko, Martinsson & Tropp 2011). Two papers on one topic that use
// different words ("sentence encoder", "text embedding") end up close in it.
import type { SparseVector } from './vectors.js';

export interface LatentOptions {
  /** Dimensions kept. */
  dims: number;
  /** Only the most widespread terms span the space (the rest fold in as nothing). */
  maxTerms: number;
  /** Documents the space is fitted on (an even sample of a larger collection). */
  maxDocs: number;
  powerIterations: number;
}

/**
 * A place in the latent space seen at several scales: `coords` (not normalised) and, per scale,
 * 1 / the length of its first `scales[s]` coordinates (0 when they are all zero).
 */
export interface ScaledEmbedding {
  coords: Float32Array;
  inverseNorms: Float32Array;
}

/** Prefix lengths for a space of `dims` dimensions: `fractions` of it, increasing, each at least 1. */
export function latentScales(dims: number, fractions: readonly number[]): number[] {
  const scales = fractions.map((f) => Math.max(1, Math.min(dims, Math.round(f * dims))));
  return [...new Set(scales)].sort((a, b) => a - b);
}

/**
 * Mean over the scales of the (non-negative) cosine of the first `scales[s]` coordinates: the
 * coarse scales say "same broad field", the finest "same topic".
 */
export function multiScaleCosine(a: ScaledEmbedding, b: ScaledEmbedding, scales: readonly number[]): number {
  let dot = 0;
  let sum = 0;
  let d = 0;
  for (let s = 0; s < scales.length; s++) {
    for (const end = scales[s]!; d < end; d++) dot += a.coords[d]! * b.coords[d]!;
    sum += Math.max(0, dot * a.inverseNorms[s]! * b.inverseNorms[s]!);
  }
  return scales.length ? sum / scales.length : 0;
}

export class LatentSpace {
  private constructor(
    /** Term id → column in `basis`, -1 for terms outside the space. */
    private readonly column: Int32Array,
    /** Right singular vectors, row-major: basis[c * dims + d]. */
    private readonly basis: Float32Array,
    readonly dims: number,
  ) {}

  /** Fits the space to `vectors` (term ids below `termCount`, `df` per term). */
  static fit(vectors: readonly SparseVector[], termCount: number, df: ArrayLike<number>, options: LatentOptions): LatentSpace | null {
    const step = Math.max(1, vectors.length / options.maxDocs);
    const rows: SparseVector[] = [];
    for (let i = 0; i < vectors.length; i += step) rows.push(vectors[Math.floor(i)]!);
    const ranked = Array.from({ length: termCount }, (_, t) => t).sort((a, b) => df[b]! - df[a]! || a - b);
    const column = new Int32Array(termCount).fill(-1);
    ranked.slice(0, options.maxTerms).forEach((t, c) => (column[t] = c));
    const m = Math.min(termCount, options.maxTerms);
    const dims = Math.min(options.dims, rows.length - 1, m - 1);
    if (dims < 2) return null;
    const l = Math.min(dims + 10, rows.length, m);
    const n = rows.length;
    const random = seeded(17);
    // Row-major dense blocks: Y (n × l) over documents, Z (m × l) over terms.
    // Y = X Ω, then power iterations Z = Xᵀ Q, Y = X Z, each orthonormalised.
    let z: Float64Array = Float64Array.from({ length: m * l }, () => gaussian(random));
    let y: Float64Array = orthonormalize(multiply(rows, column, z, n, l), n, l);
    for (let it = 0; it < options.powerIterations; it++) {
      z = orthonormalize(multiplyTransposed(rows, column, y, m, l), m, l);
      y = orthonormalize(multiply(rows, column, z, n, l), n, l);
    }
    // B = Qᵀ X, Z = Bᵀ (m × l). C = B Bᵀ = Zᵀ Z (l × l) = W Λ Wᵀ; right singular vectors V = Z W Λ^-½.
    z = multiplyTransposed(rows, column, y, m, l);
    const c: number[][] = Array.from({ length: l }, () => new Array<number>(l).fill(0));
    for (let r = 0; r < m; r++) {
      const row = r * l;
      for (let i = 0; i < l; i++) {
        const zi = z[row + i]!;
        if (zi === 0) continue;
        const ci = c[i]!;
        for (let j = i; j < l; j++) ci[j]! += zi * z[row + j]!;
      }
    }
    for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) c[i]![j] = c[j]![i]!;
    const { values, vectors: w } = symmetricEigen(c);
    const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]!).slice(0, dims);
    const basis = new Float32Array(m * dims);
    order.forEach((e, d) => {
      const sigma = Math.sqrt(Math.max(values[e]!, 1e-12));
      for (let r = 0; r < m; r++) {
        let sum = 0;
        for (let j = 0; j < l; j++) sum += z[r * l + j]! * w[j]![e]!;
        basis[r * dims + d] = sum / sigma;
      }
    });
    return new LatentSpace(column, basis, dims);
  }

  /** A document's (or a pasted text's) place in the space, unit length (zeros when it has no spanning term). */
  embed(v: SparseVector): Float32Array {
    const out = this.project(v);
    let norm = 0;
    for (let d = 0; d < this.dims; d++) norm += out[d]! * out[d]!;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < this.dims; d++) out[d]! /= norm;
    return out;
  }

  /** The place of `v` seen at each of `scales` (prefix lengths, increasing, at most `dims`). */
  embedScaled(v: SparseVector, scales: readonly number[]): ScaledEmbedding {
    const coords = this.project(v);
    const inverseNorms = new Float32Array(scales.length);
    let squares = 0;
    let d = 0;
    scales.forEach((end, s) => {
      for (; d < end; d++) squares += coords[d]! * coords[d]!;
      inverseNorms[s] = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    });
    return { coords, inverseNorms };
  }

  /** Coordinates of `v` on the basis, largest singular value first. */
  private project(v: SparseVector): Float32Array {
    const out = new Float32Array(this.dims);
    for (let i = 0; i < v.terms.length; i++) {
      const c = this.column[v.terms[i]!]!;
      if (c < 0) continue;
      const w = v.weights[i]!;
      const row = c * this.dims;
      for (let d = 0; d < this.dims; d++) out[d]! += w * this.basis[row + d]!;
    }
    return out;
  }
}

/** X · B for B (m × l, row-major over the term space): n × l. */
function multiply(rows: readonly SparseVector[], column: Int32Array, b: Float64Array, n: number, l: number): Float64Array {
  const out = new Float64Array(n * l);
  rows.forEach((x, i) => {
    const at = i * l;
    for (let k = 0; k < x.terms.length; k++) {
      const c = column[x.terms[k]!]!;
      if (c < 0) continue;
      const w = x.weights[k]!;
      const from = c * l;
      for (let j = 0; j < l; j++) out[at + j]! += w * b[from + j]!;
    }
  });
  return out;
}

/** Xᵀ · A for A (n × l, row-major over the documents): m × l. */
function multiplyTransposed(rows: readonly SparseVector[], column: Int32Array, a: Float64Array, m: number, l: number): Float64Array {
  const out = new Float64Array(m * l);
  rows.forEach((x, i) => {
    const from = i * l;
    for (let k = 0; k < x.terms.length; k++) {
      const c = column[x.terms[k]!]!;
      if (c < 0) continue;
      const w = x.weights[k]!;
      const at = c * l;
      for (let j = 0; j < l; j++) out[at + j]! += w * a[from + j]!;
    }
  });
  return out;
}

/** Modified Gram-Schmidt on the l columns of a row-major (rows × l) block; a vanishing column becomes zeros. */
function orthonormalize(block: Float64Array, rows: number, l: number): Float64Array {
  for (let j = 0; j < l; j++) {
    for (let i = 0; i < j; i++) {
      let p = 0;
      for (let r = 0; r < rows; r++) p += block[r * l + i]! * block[r * l + j]!;
      for (let r = 0; r < rows; r++) block[r * l + j]! -= p * block[r * l + i]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += block[r * l + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let r = 0; r < rows; r++) block[r * l + j] = norm > 1e-10 ? block[r * l + j]! / norm : 0;
  }
  return block;
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi): vectors[i][e] is entry i of vector e. */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v: number[][] = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-15) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]!), vectors: v };
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}
