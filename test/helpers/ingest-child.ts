/**
 * Child process for the kill -9 tests: ingests a synthetic collection into an
 * index folder, slowly enough that the parent can kill it mid-build or mid-commit.
 *
 *   node --import tsx test/helpers/ingest-child.ts <indexDir> <paperCount> <variant> <delayMsPerBatch>
 *
 * Prints "started" once running and "embedded" when all vectors are done (just before the commit).
 */
import { ingest } from '../../src/engine/ingest.js';
import { syntheticCollection } from '../store/synthetic.js';
import { HashEmbedder } from './hash-embedder.js';

const [indexDir, count, variant, delay] = process.argv.slice(2);
if (!indexDir || !count || !variant) {
  console.error('usage: ingest-child <indexDir> <paperCount> <variant> [delayMsPerBatch]');
  process.exit(2);
}

const embedder = new HashEmbedder({ dims: 16, delayMsPerBatch: Number(delay ?? 0) });
const collection = syntheticCollection(Number(count), Number(variant));
process.stdout.write('started\n');
const result = await ingest({
  collection,
  indexDir,
  embedder,
  force: true,
  onProgress: (done, total) => {
    if (done === total) process.stdout.write('embedded\n');
  },
});
process.stdout.write(`done ${result.generationDir}\n`);
