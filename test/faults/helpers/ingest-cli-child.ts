/**
 * `paperbot ingest --force` exactly as the CLI runs it (runCli), except that the
 * embedder is the HashEmbedder with a per-batch delay, so a build lasts long enough
 * to be killed while starting, embedding, writing vectors or committing.
 *
 *   PAPERS_PATH=... INDEX_DIR=... node --import tsx test/faults/helpers/ingest-cli-child.ts <dims> <delayMsPerBatch>
 */
import { runCli } from '../../../src/cli/run.js';
import { HashEmbedder } from '../../helpers/hash-embedder.js';

const [dims, delay] = process.argv.slice(2);
const code = await runCli(['ingest', '--force'], {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  embedder: new HashEmbedder({ dims: Number(dims ?? 64), delayMsPerBatch: Number(delay ?? 0) }),
});
process.exitCode = code;
