// An exemplar SVM (as arxiv-sanity ranks "similar" papers): a linear SVM trained with the one
// paper as the positive example and every other paper as a negative, over the documents' sparse
// vectors; its decision values rank the collection. L2-regularised squared-hinge loss solved by
// dual coordinate descent (as liblinear does), classes balanced, with a bias feature.
import type { SparseVector } from '../../src/engine/similar/vectors.js';

export interface SvmOptions {
  c: number;
  epochs: number;
  tolerance: number;
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = { c: 0.1, epochs: 50, tolerance: 1e-4 };

/** Decision values of an exemplar SVM for `positive` (an index into `vectors`, or an outside vector). */
export function exemplarSvmScores(
  vectors: readonly SparseVector[],
  termCount: number,
  positive: number | SparseVector,
  options: SvmOptions = DEFAULT_SVM_OPTIONS,
): Float64Array {
  // Training set: the positive first, then every other document as a negative.
  const examples: SparseVector[] = [];
  const labels: number[] = [];
  if (typeof positive === 'number') {
    examples.push(vectors[positive]!);
    labels.push(1);
    vectors.forEach((v, i) => {
      if (i !== positive) {
        examples.push(v);
        labels.push(-1);
      }
    });
  } else {
    examples.push(positive);
    labels.push(1);
    for (const v of vectors) {
      examples.push(v);
      labels.push(-1);
    }
  }
  const n = examples.length;
  const negatives = n - 1;
  // class_weight=balanced: C_class = C · n / (2 · n_class).
  const cPos = (options.c * n) / 2;
  const cNeg = (options.c * n) / (2 * Math.max(1, negatives));
  const w = new Float64Array(termCount + 1); // last: bias
  const bias = termCount;
  const alpha = new Float64Array(n);
  const diag = labels.map((y) => 1 / (2 * (y > 0 ? cPos : cNeg)));
  const qii = examples.map((x, i) => x.weights.reduce((s, v) => s + v * v, 0) + 1 + diag[i]!);
  const order = Array.from({ length: n }, (_, i) => i);
  let seed = 1;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // Deterministic shuffle.
    for (let i = n - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let maxChange = 0;
    for (const i of order) {
      const x = examples[i]!;
      const y = labels[i]!;
      let dot = w[bias]!;
      for (let k = 0; k < x.terms.length; k++) dot += w[x.terms[k]!]! * x.weights[k]!;
      const g = y * dot - 1 + diag[i]! * alpha[i]!;
      const pg = alpha[i]! > 0 ? g : Math.min(g, 0);
      if (pg === 0) continue;
      const old = alpha[i]!;
      alpha[i] = Math.max(old - g / qii[i]!, 0);
      const delta = (alpha[i]! - old) * y;
      if (delta === 0) continue;
      maxChange = Math.max(maxChange, Math.abs(alpha[i]! - old));
      for (let k = 0; k < x.terms.length; k++) w[x.terms[k]!]! += delta * x.weights[k]!;
      w[bias]! += delta;
    }
    if (maxChange < options.tolerance) break;
  }
  return Float64Array.from(vectors, (x) => {
    let dot = w[bias]!;
    for (let k = 0; k < x.terms.length; k++) dot += w[x.terms[k]!]! * x.weights[k]!;
    return dot;
  });
}
