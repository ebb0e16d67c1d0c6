// /similar quality: precision@5 within topic clusters (test/eval/similar-clusters.json: a list of
// { topic, papers: [exact titles] }). For each paper of a cluster, how many of its 5 most similar
// papers are in the same cluster. Candidates are compared on the same clusters, and on clusters
// from other fields: the documents judged relevant to one query of a public IR test collection
// (../shared/data/ir, MED and CISI) form a topic cluster.
import { readFileSync } from 'node:fs';
import type { Paper } from '../../src/collection/types.js';
import { LexicalIndex } from '../../src/engine/lexical/index.js';
import { PaperSimilarity, SIMILARITY_OPTIONS, type SimilarityOptions } from '../../src/engine/similar/index.js';
import { DEFAULT_VECTOR_OPTIONS, DocumentVectors } from '../../src/engine/similar/vectors.js';
import { findIrDir, IR_COLLECTIONS, loadIrCollection } from './eval-ir.js';
import { exemplarSvmScores } from './similar-svm.js';

export interface Cluster {
  topic: string;
  /** Paper indices in the collection. */
  members: number[];
}

export function loadClusters(papers: readonly Paper[], file: string): Cluster[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { topic: string; papers: string[] }[];
  const byTitle = new Map<string, number>();
  papers.forEach((p, i) => byTitle.has(p.title) || byTitle.set(p.title, i));
  return raw.map((c) => ({
    topic: c.topic,
    members: c.papers.map((t) => {
      const i = byTitle.get(t);
      if (i === undefined) throw new Error(`${file}: cluster "${c.topic}" names an unknown paper: ${t}`);
      return i;
    }),
  }));
}

/**
 * Topic clusters from a judged IR collection (another field): the documents judged relevant to one
 * query form a cluster; queries with fewer than `minSize` relevant documents are left out.
 */
export function clustersFromJudgements(papers: readonly Paper[], queries: readonly { query: string; relevant: Record<string, number> }[], minSize = 3): Cluster[] {
  const index = new Map(papers.map((p, i) => [p.id, i]));
  return queries
    .map((q) => ({ topic: q.query, members: Object.keys(q.relevant).map((id) => index.get(id)!) }))
    .filter((c) => c.members.length >= minSize);
}

/** Mean precision@5 over every (cluster, member) pair; `rank` gives paper indices, best first. */
export async function precisionAt5(clusters: readonly Cluster[], rank: (paper: number) => Promise<number[]> | number[]): Promise<number> {
  let sum = 0;
  let n = 0;
  for (const c of clusters) {
    const members = new Set(c.members);
    for (const m of c.members) {
      const top = (await rank(m)).filter((j) => j !== m).slice(0, 5);
      sum += top.filter((j) => members.has(j)).length / 5;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** Paper indices by score, best first (`positive`: only those sharing something with the paper). */
const byScore = (scores: ArrayLike<number>, self: number, positive = true): number[] =>
  Array.from({ length: scores.length }, (_, j) => j)
    .filter((j) => j !== self && (!positive || scores[j]! > 0))
    .sort((a, b) => scores[b]! - scores[a]! || a - b);

/** The method paperbot used before neighbourhood expansion and multi-scale LSA (LSA of n/5 dimensions, 16–100). */
export const PREVIOUS_SIMILARITY = (papers: number): Partial<SimilarityOptions> => ({
  latentDims: Math.max(16, Math.min(100, Math.round(papers / 5))),
  latentScales: [1],
  expansion: { neighbours: 0, weight: 0 },
});

/** Every candidate method as a ranker of paper indices (the engine's own method is "paperbot"). */
export function similarCandidates(papers: readonly Paper[], options: { svm?: boolean } = {}): [string, (paper: number) => number[]][] {
  const lexical = LexicalIndex.build(papers);
  const terms = lexical.termSequences();
  const index = new Map(papers.map((p, i) => [p.id, i]));
  const similarity = (options: Partial<SimilarityOptions>) => {
    const s = new PaperSimilarity(papers, terms, { ...SIMILARITY_OPTIONS, ...options });
    return (i: number) => s.rank({ paper: i }, 20).map((r) => index.get(r.id)!);
  };
  const plain = new DocumentVectors(terms, { ...DEFAULT_VECTOR_OPTIONS, minDf: 1, maxDfShare: 1 });
  const noExpansion = { expansion: { neighbours: 0, weight: 0 } };
  return [
    ['query ranker on title×2 + abstract (first version)', (i) => {
      const p = papers[i]!;
      return lexical.search(`${p.title}. ${p.title}. ${p.abstract}`, { k: 20 }).map((h) => index.get(h.id)!).filter((j) => j !== i);
    }],
    ['plain TF-IDF cosine (uni+bigrams, sublinear tf)', (i) => byScore(plain.cosines(plain.vectors[i]!), i)],
    ...(options.svm === false ? [] : [['exemplar SVM over TF-IDF (C 0.1)', (i: number) => byScore(exemplarSvmScores(plain.vectors, plain.termCount, i), i, false)] as [string, (paper: number) => number[]]]),
    ['TF-IDF, title ×2, df ≥ 2, ≤ 50% of papers', similarity({ latentWeight: 0, ...noExpansion })],
    ['previous: TF-IDF + LSA n/5 dims (latent 0.5)', similarity(PREVIOUS_SIMILARITY(papers.length))],
    ['TF-IDF + LSA n/5 dims + expansion', similarity({ ...PREVIOUS_SIMILARITY(papers.length), expansion: SIMILARITY_OPTIONS.expansion })],
    ['TF-IDF + multi-scale LSA (1/5, 1/2, all of 100)', similarity(noExpansion)],
    ['TF-IDF + expansion (no LSA)', similarity({ latentWeight: 0 })],
    ['paperbot: TF-IDF + multi-scale LSA + expansion', similarity({})],
  ];
}

/** A column of the table: clusters over a collection. */
export interface ClusterSet {
  name: string;
  papers: readonly Paper[];
  clusters: Cluster[];
}

/** The tuning sets from other fields: topic clusters from the judgements of ../shared/data/ir (none when absent). */
export async function irClusterSets(root: string): Promise<ClusterSet[]> {
  const dir = findIrDir(root);
  if (!dir) return [];
  const sets: ClusterSet[] = [];
  for (const name of IR_COLLECTIONS) {
    const c = await loadIrCollection(dir, name);
    if (c) sets.push({ name: `${name.toUpperCase()} (${c.papers.length} docs)`, papers: c.papers, clusters: clustersFromJudgements(c.papers, c.queries) });
  }
  return sets;
}

/**
 * The table for `npm run eval`: P@5 per method (rows) and set (columns: this collection's clusters,
 * then the other fields' when ../shared/data/ir is there), with the change against plain TF-IDF.
 * `extra` rows (e.g. the loaded model) are measured on the first set only.
 */
export async function similarSection(
  papers: readonly Paper[],
  file: string,
  extra: [string, (paper: number) => Promise<number[]>][] = [],
  others: ClusterSet[] = [],
): Promise<string> {
  const sets: ClusterSet[] = [{ name: 'this collection', papers, clusters: loadClusters(papers, file) }, ...others];
  const results = new Map<string, (number | null)[]>();
  for (const [s, set] of sets.entries()) {
    const methods: [string, (paper: number) => Promise<number[]> | number[]][] = [...similarCandidates(set.papers, { svm: s === 0 }), ...(s === 0 ? extra : [])];
    for (const [name, rank] of methods) {
      const row = results.get(name) ?? sets.map(() => null);
      row[s] = await precisionAt5(set.clusters, rank);
      results.set(name, row);
    }
  }
  const plain = [...results.entries()].find(([name]) => name.startsWith('plain'))?.[1] ?? [];
  const cell = (p: number | null, s: number) => (p === null ? '—' : `${p.toFixed(3)} (${relative(p, plain[s] ?? null)})`);
  const header = ['method', ...sets.map((set) => `${set.name}: ${set.clusters.length} clusters, ${set.clusters.reduce((n, c) => n + c.members.length, 0)} papers`)];
  const body = [...results.entries()].map(([name, row]) => [name, ...row.map(cell)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return ['P@5 (change against plain TF-IDF)', line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const relative = (p: number, base: number | null) => (base ? `${p >= base ? '+' : ''}${((p / base - 1) * 100).toFixed(1)}%` : '');
