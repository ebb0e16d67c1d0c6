import { describe, expect, it } from 'vitest';
import { evaluateRetrieval, ndcgAt, recallAt, reciprocalRank } from '../../scripts/lib/metrics.js';

describe('retrieval metrics', () => {
  const relevant = { a: 2, b: 1, c: 1 };
  const ranked = ['x', 'a', 'y', 'b'];

  it('computes MRR and recall', () => {
    expect(reciprocalRank(ranked, relevant)).toBe(0.5);
    expect(reciprocalRank(['x'], relevant)).toBe(0);
    expect(recallAt(ranked, relevant, 10)).toBeCloseTo(2 / 3);
    expect(recallAt(ranked, relevant, 2)).toBeCloseTo(1 / 3);
  });

  it('computes graded nDCG by hand', () => {
    // DCG = 2/log2(3) + 1/log2(5); ideal = 2/log2(2) + 1/log2(3) + 1/log2(4)
    const dcg = 2 / Math.log2(3) + 1 / Math.log2(5);
    const ideal = 2 + 1 / Math.log2(3) + 0.5;
    expect(ndcgAt(ranked, relevant)).toBeCloseTo(dcg / ideal, 10);
    expect(ndcgAt(['a', 'b', 'c'], relevant)).toBeCloseTo(1, 10);
  });

  it('averages per split', async () => {
    const report = await evaluateRetrieval('t', (q) => (q === 'good' ? ['a'] : ['z']), [
      { query: 'good', split: 'tune', relevant: { a: 2 } },
      { query: 'bad', split: 'holdout', relevant: { a: 2 } },
    ]);
    expect(report.tune.mrr).toBe(1);
    expect(report.holdout.mrr).toBe(0);
    expect(report.all.ndcg10).toBe(0.5);
  });
});
