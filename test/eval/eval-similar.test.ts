import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/collection/types.js';
import { clustersFromJudgements, precisionAt5 } from '../../scripts/lib/eval-similar.js';

const papers = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ id, title: id, abstract: id }) as Paper);

describe('/similar evaluation on judged collections', () => {
  it('makes one cluster per query of its relevant documents, leaving out queries with fewer than 3', () => {
    const clusters = clustersFromJudgements(papers, [
      { query: 'q1', relevant: { a: 1, c: 1, e: 1 } },
      { query: 'q2', relevant: { b: 1, d: 1 } },
      { query: 'q3', relevant: { a: 1, b: 1, f: 1, g: 1 } },
    ]);
    expect(clusters).toEqual([
      { topic: 'q1', members: [0, 2, 4] },
      { topic: 'q3', members: [0, 1, 5, 6] },
    ]);
  });

  it('precision@5 is the share of the top 5 (the paper itself left out) in the paper\'s cluster', async () => {
    const clusters = [{ topic: 't', members: [0, 1, 2] }];
    // Paper 0 ranks itself first, then 1, 3, 2, 4, 5: two of its top 5 (1, 3, 2, 4, 5) are in the cluster.
    const rank = (p: number) => (p === 0 ? [0, 1, 3, 2, 4, 5] : [3, 4, 5, 6, p === 1 ? 2 : 1]);
    expect(await precisionAt5(clusters, rank)).toBeCloseTo((2 / 5 + 1 / 5 + 1 / 5) / 3, 10);
  });
});
