// `npx tsx scripts/bench-similar.ts [papers]`: the cost of /similar, the previous method and the
// current one side by side in one process, on this collection (no argument) or on that many
// synthetic papers (words sampled from this collection; e.g. 50000). First call (builds the
// document vectors and the latent space), then per-paper and pasted-text latency.
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../src/collection/load.js';
import type { Paper } from '../src/collection/types.js';
import { LexicalIndex } from '../src/engine/lexical/index.js';
import { PaperSimilarity, SIMILARITY_OPTIONS } from '../src/engine/similar/index.js';
import { syntheticPapers } from './eval.js';
import { PREVIOUS_SIMILARITY } from './lib/eval-similar.js';
import { percentile } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  const { papers: real } = await loadCollection([`${ROOT}data/papers.txt`]);
  const count = Number(process.argv[2] ?? 0);
  const papers: Paper[] = count > 0 ? syntheticPapers(real, count).map((p) => ({ ...real[0]!, ...p })) : real;
  let started = performance.now();
  const terms = LexicalIndex.build(papers).termSequences();
  console.log(`${papers.length} papers: lexical index ${(performance.now() - started).toFixed(0)} ms`);
  const n = papers.length;
  const probe = (i: number) => (i * 7919) % n;
  for (const [name, options] of [['previous', { ...SIMILARITY_OPTIONS, ...PREVIOUS_SIMILARITY(n) }], ['current', SIMILARITY_OPTIONS]] as const) {
    const similarity = new PaperSimilarity(papers, terms, options);
    started = performance.now();
    similarity.rank({ paper: 0 }, 50);
    const first = performance.now() - started;
    const time = (f: () => void) => {
      const t = performance.now();
      f();
      return performance.now() - t;
    };
    const cold = Array.from({ length: 40 }, (_, i) => time(() => similarity.rank({ paper: probe(i + 1) }, 50)));
    const warm = Array.from({ length: 40 }, (_, i) => time(() => similarity.rank({ paper: probe(i + 1) }, 50)));
    const text = Array.from({ length: 20 }, (_, i) => {
      const p = papers[probe(i + 100)]!;
      return time(() => similarity.rank({ text: `${p.title}. ${p.abstract}` }, 50));
    });
    const f = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} / p95 ${percentile(xs, 95).toFixed(1)} ms`;
    console.log(`${name.padEnd(8)}  first call (builds) ${first.toFixed(0)} ms · a paper ${f(cold)} (first time), ${f(warm)} (again) · pasted text ${f(text)}`);
  }
}

await main();
