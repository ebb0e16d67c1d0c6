// Retrieval metrics over graded judgements, and a runner that scores any search function
// on the dev set so that lexical, hybrid and later variants share one table.

/** Graded judgements for one query: paper id → 2 (exactly about it) or 1 (partly). */
export type Judgements = Record<string, number>;

export interface EvalQuery {
  query: string;
  split: 'tune' | 'holdout';
  /** Keyed by paper id (after mapping titles to ids). */
  relevant: Judgements;
}

export interface MetricSet {
  mrr: number;
  recall10: number;
  ndcg10: number;
  queries: number;
}

/** Reciprocal rank of the first relevant result (any grade), 0 if none is in `ranked`. */
export function reciprocalRank(ranked: readonly string[], relevant: Judgements): number {
  const i = ranked.findIndex((id) => (relevant[id] ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Share of the relevant documents (any grade) found in the first `k`. */
export function recallAt(ranked: readonly string[], relevant: Judgements, k = 10): number {
  const all = Object.keys(relevant).filter((id) => relevant[id]! > 0);
  if (all.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return all.filter((id) => top.has(id)).length / all.length;
}

/** DCG with gain = grade and discount log2(rank + 1). */
export function dcg(grades: readonly number[]): number {
  return grades.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
}

/** nDCG@k; the ideal ranking is built from all judged documents. */
export function ndcgAt(ranked: readonly string[], relevant: Judgements, k = 10): number {
  const ideal = dcg(
    Object.values(relevant)
      .filter((g) => g > 0)
      .sort((a, b) => b - a)
      .slice(0, k),
  );
  if (ideal === 0) return 0;
  return dcg(ranked.slice(0, k).map((id) => relevant[id] ?? 0)) / ideal;
}

export function metricsFor(ranked: readonly string[], relevant: Judgements): MetricSet {
  return { mrr: reciprocalRank(ranked, relevant), recall10: recallAt(ranked, relevant), ndcg10: ndcgAt(ranked, relevant), queries: 1 };
}

export function meanMetrics(sets: readonly MetricSet[]): MetricSet {
  const n = sets.length || 1;
  const sum = (f: (m: MetricSet) => number) => sets.reduce((s, m) => s + f(m), 0) / n;
  return { mrr: sum((m) => m.mrr), recall10: sum((m) => m.recall10), ndcg10: sum((m) => m.ndcg10), queries: sets.length };
}

export interface RetrievalReport {
  name: string;
  tune: MetricSet;
  holdout: MetricSet;
  all: MetricSet;
  perQuery: { query: string; split: EvalQuery['split']; metrics: MetricSet; ranked: string[] }[];
}

/** Runs `search` (ranked paper ids, best first) on every query and averages per split. */
export async function evaluateRetrieval(
  name: string,
  search: (query: string) => Promise<string[]> | string[],
  queries: readonly EvalQuery[],
): Promise<RetrievalReport> {
  const perQuery: RetrievalReport['perQuery'] = [];
  for (const q of queries) {
    const ranked = await search(q.query);
    perQuery.push({ query: q.query, split: q.split, metrics: metricsFor(ranked, q.relevant), ranked });
  }
  const of = (split?: EvalQuery['split']) => meanMetrics(perQuery.filter((p) => !split || p.split === split).map((p) => p.metrics));
  return { name, tune: of('tune'), holdout: of('holdout'), all: of(), perQuery };
}

/** A plain-text table: one row per report and split. */
export function formatReports(reports: readonly RetrievalReport[]): string {
  const f = (x: number) => x.toFixed(3);
  const header = ['system', 'split', 'n', 'MRR', 'R@10', 'nDCG@10'];
  const rows = reports.flatMap((r) =>
    (['tune', 'holdout', 'all'] as const).map((s) => [r.name, s, String(r[s].queries), f(r[s].mrr), f(r[s].recall10), f(r[s].ndcg10)]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
