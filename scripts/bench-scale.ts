/**
 * One row of the scaling table, in its own process so that load time and peak RSS are this size's alone.
 *   tsx scripts/bench-scale.ts build   <dir> <count> → synthetic collection + index with 384-dim vectors
 *   tsx scripts/bench-scale.ts lexical <dir> <count> → load (lexical) + first query + find latencies vs the plain index
 *   tsx scripts/bench-scale.ts hybrid  <dir> <count> → load (with vectors) + find latencies, vector query vs one read of the matrix, peak RSS
 * Prints one JSON line. The vectors are deterministic stand-ins (feature hashing, test/helpers/hash-embedder.ts):
 * timing and memory do not depend on what the numbers mean.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCoreConfig } from '../src/config.js';
import { openEngine } from '../src/engine/open.js';
import type { Engine } from '../src/engine/types.js';
import { createLogger } from '../src/logger.js';
import { inspectCurrentGeneration, vectorsDirOf } from '../src/store/index-dir.js';
import { VectorFileStore } from '../src/store/vector-file.js';
import { HashEmbedder } from '../test/helpers/hash-embedder.js';
import { PlainInvertedIndex } from './lib/plain-index.js';
import { summary } from './lib/stats.js';
import { syntheticQueries, writeSyntheticCollection } from './lib/synthetic.js';

export const BENCH_DIMS = 384;
export const BENCH_MODEL = `bench/hash-${BENCH_DIMS}`;

const [mode, dir, countArg] = process.argv.slice(2);
if (!mode || !dir || !countArg) throw new Error('usage: bench-scale build|lexical|hybrid <dir> <count>');
const logger = createLogger({ level: 'silent' });
const file = path.join(dir, 'papers.jsonl');
const indexDir = path.join(dir, 'index');
const embedder = new HashEmbedder({ dims: BENCH_DIMS, modelId: BENCH_MODEL, batchSize: 256 });
const config = loadCoreConfig({ PAPERS_PATH: file, INDEX_DIR: indexDir, LOG_LEVEL: 'silent' }, dir);
const queries = syntheticQueries(220);

async function latencies(run: (q: string) => Promise<unknown> | unknown, warm = 20, count = queries.length) {
  for (const q of queries.slice(0, warm)) await run(q);
  const out: number[] = [];
  for (const q of queries.slice(0, count)) {
    const t = performance.now();
    await run(q);
    out.push(performance.now() - t);
  }
  return summary(out);
}

async function open(withVectors: boolean): Promise<{ engine: Engine; loadMs: number; firstMs: number; timings?: unknown }> {
  const t0 = performance.now();
  const opened = await openEngine({ config, logger, embedder: withVectors ? embedder : null });
  const loadMs = performance.now() - t0;
  await opened.engine.find('kv cache quantization');
  return { engine: opened.engine, loadMs, firstMs: performance.now() - t0, timings: (opened as { timings?: unknown }).timings };
}

if (mode === 'build') {
  writeSyntheticCollection(file, Number(countArg));
  const t0 = performance.now();
  const { engine } = await openEngine({ config, logger, embedder });
  console.log(JSON.stringify({ ingestMs: performance.now() - t0, papers: engine.papers.length, mode: engine.mode }));
} else if (mode === 'lexical') {
  const { engine, loadMs, firstMs, timings } = await open(false);
  const find = await latencies((q) => engine.find(q));
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const plain = new PlainInvertedIndex(engine.papers);
  const plainFind = await latencies((q) => plain.search(q));
  console.log(JSON.stringify({ loadMs, firstMs, timings, find, plain: plainFind, maxRssMb, mode: engine.mode }));
} else if (mode === 'hybrid') {
  const { engine, loadMs, firstMs, timings } = await open(true);
  const find = await latencies((q) => engine.find(q));
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  // The dense side alone: one query vector against every row, and one plain read of a matrix that size.
  const generation = (await inspectCurrentGeneration(indexDir)).generation!;
  const store = await VectorFileStore.open(vectorsDirOf(generation.dir));
  const qv = await embedder.embedQuery('kv cache quantization');
  const vectorQuery = await latencies(() => store.query(qv, 100), 5, 50);
  const matrix = new Float32Array(engine.papers.length * BENCH_DIMS).map((_, i) => (i % 7) / 7);
  const read = await latencies(() => sumOf(matrix), 5, 20);
  console.log(JSON.stringify({ loadMs, firstMs, timings, find, vectorQuery, matrixRead: read, maxRssMb, mode: engine.mode }));
} else {
  throw new Error(`unknown mode ${mode}`);
}

/** One plain read of every float (four running sums, as the JS kernel does). */
function sumOf(m: Float32Array): number {
  let a = 0, b = 0, c = 0, d = 0; // prettier-ignore
  for (let i = 0; i + 3 < m.length; i += 4) {
    a += m[i]!;
    b += m[i + 1]!;
    c += m[i + 2]!;
    d += m[i + 3]!;
  }
  return a + b + c + d;
}

