export interface RankedId {
  id: string;
  score: number;
}

/**
 * Reciprocal rank fusion: robust to the two rankers' incomparable score scales.
 * `weights` lets the stronger ranker count more; k=60 is the usual constant.
 */
export function reciprocalRankFusion(lists: readonly (readonly RankedId[])[], weights?: readonly number[], k = 60): RankedId[] {
  const fused = new Map<string, number>();
  lists.forEach((list, li) => {
    const w = weights?.[li] ?? 1;
    list.forEach((item, rank) => {
      fused.set(item.id, (fused.get(item.id) ?? 0) + w / (k + rank + 1));
    });
  });
  return [...fused.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
