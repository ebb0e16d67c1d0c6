/**
 * One row of the scaling table, in its own process so peak RSS is this size's alone.
 *   tsx scripts/bench-scale.ts build <dir> <count> <modelDir>   → ingest a synthetic collection
 *   tsx scripts/bench-scale.ts query <dir> <count> <modelDir>   → load + 200 queries
 * Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { loadCollection } from '../src/collection/load.js';
import { TransformersEmbedder } from '../src/embedding/transformers.js';
import { openEngine } from '../src/engine/open.js';
import { PaperEngine } from '../src/engine/engine.js';
import { ingest } from '../src/engine/ingest.js';
import { createLogger } from '../src/logger.js';
import { loadCoreConfig } from '../src/config.js';
import { syntheticQueries } from './lib/synthetic.js';
import { summary } from './lib/stats.js';

const [mode, dir, countArg, modelDir] = process.argv.slice(2);
if (!mode || !dir || !countArg || !modelDir) throw new Error('usage: bench-scale build|query <dir> <count> <modelDir>');
const logger = createLogger({ level: 'silent' });
const file = path.join(dir, 'papers.jsonl');
const indexDir = path.join(dir, 'index');
const embedder = await TransformersEmbedder.create({ model: modelDir, cacheDir: path.join(dir, 'models'), allowRemote: false });

if (mode === 'build') {
  const t0 = performance.now();
  const collection = await loadCollection([file]);
  const res = await ingest({ collection, indexDir, embedder, logger });
  console.log(JSON.stringify({ ingestMs: performance.now() - t0, papers: collection.papers.length, embedded: res.embedded }));
} else {
  const config = loadCoreConfig({ PAPERS_PATH: file, INDEX_DIR: indexDir, LOG_LEVEL: 'silent' }, dir);
  const t0 = performance.now();
  const { engine } = await openEngine({ config, logger, embedder });
  const loadMs = performance.now() - t0;
  const queries = syntheticQueries(220);
  const hybrid: number[] = [];
  for (const q of queries.slice(0, 20)) await engine.find(q); // warm-up
  for (const q of queries) {
    const t = performance.now();
    await engine.find(q);
    hybrid.push(performance.now() - t);
  }
  // Peak RSS of the loaded hybrid engine, before the lexical-only engine is added below.
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const lexicalEngine = new PaperEngine({ papers: engine.papers });
  const lexical: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await lexicalEngine.find(q);
    lexical.push(performance.now() - t);
  }
  console.log(
    JSON.stringify({
      loadMs,
      lexical: summary(lexical),
      hybrid: summary(hybrid),
      maxRssMb,
      mode: engine.mode,
    }),
  );
}
