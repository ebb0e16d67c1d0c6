// /similar quality: precision@5 within topic clusters (test/eval/similar-clusters.json: a list of
// { topic, papers: [exact titles] }). For each paper of a cluster, how many of its 5 most similar
// papers are in the same cluster. Candidates are compared on the same clusters.
import { readFileSync } from 'node:fs';
import type { Paper } from '../../src/collection/types.js';
import { LexicalIndex } from '../../src/engine/lexical/index.js';
import { PaperSimilarity, SIMILARITY_OPTIONS } from '../../src/engine/similar/index.js';
import { DEFAULT_VECTOR_OPTIONS } from '../../src/engine/similar/vectors.js';
import { exemplarSvmScores } from './similar-svm.js';
import { DocumentVectors } from '../../src/engine/similar/vectors.js';

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

/** Every candidate method as a ranker of paper indices (the engine's own method is "paperbot"). */
export function similarCandidates(papers: readonly Paper[]): [string, (paper: number) => number[]][] {
  const lexical = LexicalIndex.build(papers);
  const terms = lexical.termSequences();
  const index = new Map(papers.map((p, i) => [p.id, i]));
  const similarity = (options: Partial<typeof SIMILARITY_OPTIONS>, vectors: Partial<typeof DEFAULT_VECTOR_OPTIONS> = {}) => {
    const s = new PaperSimilarity(papers, terms, { ...SIMILARITY_OPTIONS, ...options, vectors: { ...SIMILARITY_OPTIONS.vectors, ...vectors } });
    return (i: number) => s.rank({ paper: i }, 20).map((r) => index.get(r.id)!);
  };
  const plain = new DocumentVectors(terms, { ...DEFAULT_VECTOR_OPTIONS, minDf: 1, maxDfShare: 1 });
  return [
    ['query ranker on title×2 + abstract (before)', (i) => {
      const p = papers[i]!;
      return lexical.search(`${p.title}. ${p.title}. ${p.abstract}`, { k: 20 }).map((h) => index.get(h.id)!).filter((j) => j !== i);
    }],
    ['plain TF-IDF cosine (uni+bigrams, sublinear tf)', (i) => byScore(plain.cosines(plain.vectors[i]!), i)],
    ['TF-IDF, title ×2, df ≥ 2, ≤ 50% of papers', similarity({ latentWeight: 0 })],
    ['BM25-weighted vectors, title ×2', similarity({ latentWeight: 0 }, { weighting: 'bm25' })],
    ['exemplar SVM over TF-IDF (C 0.1)', (i) => byScore(exemplarSvmScores(plain.vectors, plain.termCount, i), i, false)],
    ['TF-IDF + LSA (latent 0.7)', similarity({ latentWeight: 0.7 })],
    ['paperbot: TF-IDF + LSA (latent 0.5)', similarity({})],
  ];
}

/** The table for `npm run eval`. */
export async function similarSection(papers: readonly Paper[], file: string, extra: [string, (paper: number) => Promise<number[]>][] = []): Promise<string> {
  const clusters = loadClusters(papers, file);
  const rows: [string, number][] = [];
  for (const [name, rank] of [...similarCandidates(papers), ...extra]) rows.push([name, await precisionAt5(clusters, rank)]);
  const width = Math.max(...rows.map(([n]) => n.length));
  const members = clusters.reduce((s, c) => s + c.members.length, 0);
  return [
    `${clusters.length} clusters, ${members} papers`,
    `${'method'.padEnd(width)}  P@5`,
    `${'-'.repeat(width)}  -----`,
    ...rows.map(([name, p]) => `${name.padEnd(width)}  ${p.toFixed(3)}`),
  ].join('\n');
}
