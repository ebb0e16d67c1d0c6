// `npx tsx scripts/tune-similar.ts`: the /similar settings around the chosen ones, each changed
// alone, measured on every TUNING set (this collection's clusters, and the MED- and CISI-derived
// clusters of ../shared/data/ir when present). Choose what wins on all of them with a margin,
// not on one. Slow (minutes): each row rebuilds the similarity of three collections.
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../src/collection/load.js';
import { LexicalIndex } from '../src/engine/lexical/index.js';
import { PaperSimilarity, SIMILARITY_OPTIONS, type SimilarityOptions } from '../src/engine/similar/index.js';
import { DEFAULT_VECTOR_OPTIONS, DocumentVectors } from '../src/engine/similar/vectors.js';
import { irClusterSets, loadClusters, precisionAt5, type ClusterSet } from './lib/eval-similar.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const VARIANTS: [string, Partial<SimilarityOptions>][] = [
  ['chosen', {}],
  ['latent weight 0.4', { latentWeight: 0.4 }],
  ['latent weight 0.6', { latentWeight: 0.6 }],
  ['latent dims 64', { latentDims: 64 }],
  ['latent dims 150', { latentDims: 150 }],
  ['scales 1 (one scale)', { latentScales: [1] }],
  ['scales 0.1/0.3/1', { latentScales: [0.1, 0.3, 1] }],
  ['scales 0.15/0.4/1', { latentScales: [0.15, 0.4, 1] }],
  ['scales 0.1/0.2/0.5/1', { latentScales: [0.1, 0.2, 0.5, 1] }],
  ['expansion off', { expansion: { neighbours: 0, weight: 0 } }],
  ['expansion k 5', { expansion: { neighbours: 5, weight: 1 } }],
  ['expansion k 15', { expansion: { neighbours: 15, weight: 1 } }],
  ['expansion weight 0.5', { expansion: { neighbours: 10, weight: 0.5 } }],
  ['expansion weight 2', { expansion: { neighbours: 10, weight: 2 } }],
  ['title ×1', { vectors: { ...SIMILARITY_OPTIONS.vectors, titleWeight: 1 } }],
  ['no bigrams', { vectors: { ...SIMILARITY_OPTIONS.vectors, bigrams: false } }],
];

async function main(): Promise<void> {
  const { papers } = await loadCollection([`${ROOT}data/papers.txt`]);
  const sets: ClusterSet[] = [
    { name: 'tuning clusters', papers, clusters: loadClusters(papers, `${ROOT}test/eval/similar-clusters.json`) },
    ...(await irClusterSets(ROOT)),
  ];
  const prepared = sets.map((set) => ({ set, terms: LexicalIndex.build(set.papers).termSequences() }));
  const plain = prepared.map(({ set, terms }) => {
    const v = new DocumentVectors(terms, { ...DEFAULT_VECTOR_OPTIONS, minDf: 1, maxDfShare: 1 });
    return precisionAt5(set.clusters, (i) => {
      const scores = v.cosines(v.vectors[i]!);
      return Array.from(scores.keys()).filter((j) => j !== i && scores[j]! > 0).sort((a, b) => scores[b]! - scores[a]! || a - b);
    });
  });
  const base = await Promise.all(plain);
  console.log(`${'variant'.padEnd(24)}  ${sets.map((s) => s.name.padEnd(22)).join('  ')}  mean change`);
  console.log(`${'plain TF-IDF'.padEnd(24)}  ${base.map((p) => p.toFixed(3).padEnd(22)).join('  ')}`);
  for (const [name, change] of VARIANTS) {
    const ps: number[] = [];
    for (const { set, terms } of prepared) {
      const s = new PaperSimilarity(set.papers, terms, { ...SIMILARITY_OPTIONS, ...change });
      const index = new Map(set.papers.map((p, i) => [p.id, i]));
      ps.push(await precisionAt5(set.clusters, (i) => s.rank({ paper: i }, 10).map((r) => index.get(r.id)!)));
    }
    const rel = ps.map((p, i) => p / base[i]! - 1);
    const cells = ps.map((p, i) => `${p.toFixed(3)} (${(rel[i]! * 100).toFixed(1)}%)`.padEnd(22));
    console.log(`${name.padEnd(24)}  ${cells.join('  ')}  ${((rel.reduce((a, b) => a + b, 0) / rel.length) * 100).toFixed(1)}%`);
  }
}

await main();
