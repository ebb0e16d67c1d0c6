// Public test collections from other fields (../shared/data/ir/<name>/: corpus.jsonl, queries.jsonl,
// qrels.tsv): paperbot against plain BM25 on the same data, so that ranking is checked outside ML.
// Skipped cleanly when the folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCollection } from '../../src/collection/load.js';
import type { Paper } from '../../src/collection/types.js';
import { PaperEngine } from '../../src/engine/engine.js';
import { MAX_QUERY_CHARS } from '../../src/engine/validate.js';
import { PlainBM25 } from './bm25.js';
import { evaluateRetrieval, type EvalQuery, type MetricSet, type RetrievalReport } from './metrics.js';

export const IR_COLLECTIONS = ['med', 'cisi'] as const;

/** `<root>/../shared/data/ir`, or one level further up (a git worktree under the checkout's parent). */
export function findIrDir(root: string, explicit?: string): string | null {
  const candidates = explicit ? [explicit] : [path.resolve(root, '../shared/data/ir'), path.resolve(root, '../../shared/data/ir')];
  return candidates.find((dir) => existsSync(dir)) ?? null;
}

/** A query cut to at most `max` characters on a word boundary (the engine's query limit). */
export function cutQuery(text: string, max = MAX_QUERY_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const room = clean.slice(0, max + 1);
  const space = room.lastIndexOf(' ');
  return (space > 0 ? room.slice(0, space) : clean.slice(0, max)).trim();
}

export interface IrCollection {
  name: string;
  papers: Paper[];
  queries: EvalQuery[];
}

export async function loadIrCollection(dir: string, name: string): Promise<IrCollection | null> {
  const folder = path.join(dir, name);
  const files = ['corpus.jsonl', 'queries.jsonl', 'qrels.tsv'].map((f) => path.join(folder, f));
  if (!files.every((f) => existsSync(f))) return null;
  const { papers } = await loadCollection([files[0]!]);
  const ids = new Set(papers.map((p) => p.id));
  const judged = new Map<string, Record<string, number>>();
  for (const line of readFileSync(files[2]!, 'utf8').split('\n').slice(1)) {
    const [q, d, rel] = line.trim().split('\t');
    if (!q || !d || !(Number(rel) > 0)) continue;
    if (!ids.has(d)) throw new Error(`${name}: qrels name an unknown document ${d}`);
    const r = judged.get(q) ?? {};
    r[d] = Number(rel);
    judged.set(q, r);
  }
  const queries: EvalQuery[] = [];
  for (const line of readFileSync(files[1]!, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { id, query } = JSON.parse(line) as { id: string; query: string };
    const relevant = judged.get(String(id));
    if (relevant) queries.push({ query: cutQuery(query), split: 'tune', relevant });
  }
  return { name, papers, queries };
}

export async function irReports(c: IrCollection): Promise<RetrievalReport[]> {
  const bm25 = new PlainBM25(c.papers);
  const engine = new PaperEngine({ papers: c.papers });
  return [
    await evaluateRetrieval('plain BM25', (q) => bm25.search(q, 10), c.queries),
    await evaluateRetrieval('paperbot', async (q) => (await engine.find(q, { k: 10 })).hits.map((h) => h.paper.id), c.queries),
  ];
}

/** One table: a row per collection and system (nDCG@10, MRR@10, R@10), and paperbot − BM25. */
export function formatIrTable(rows: { name: string; docs: number; reports: RetrievalReport[] }[]): string {
  const f = (x: number) => x.toFixed(3);
  const header = ['collection', 'docs', 'queries', 'system', 'nDCG@10', 'MRR@10', 'R@10'];
  const body: string[][] = [];
  for (const row of rows) {
    for (const r of row.reports) {
      const m: MetricSet = r.all;
      body.push([row.name, String(row.docs), String(m.queries), r.name, f(m.ndcg10), f(m.mrr), f(m.recall10)]);
    }
    const [base, ours] = row.reports;
    if (base && ours) {
      const d = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
      body.push([row.name, '', '', 'paperbot − BM25', d(ours.all.ndcg10 - base.all.ndcg10), d(ours.all.mrr - base.all.mrr), d(ours.all.recall10 - base.all.recall10)]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The whole section for `npm run eval`: a table, or one line saying why it was skipped. */
export async function irSection(root: string): Promise<string> {
  const dir = findIrDir(root);
  if (!dir) return 'other fields: skipped (no ../shared/data/ir next to the repository)';
  const rows = [];
  for (const name of IR_COLLECTIONS) {
    const c = await loadIrCollection(dir, name);
    if (c) rows.push({ name, docs: c.papers.length, reports: await irReports(c) });
  }
  if (rows.length === 0) return `other fields: skipped (no collection in ${dir})`;
  return formatIrTable(rows);
}
