/**
 * `paperbot <args>` exactly as the CLI runs it (runCli), except that the embedder is the HashEmbedder
 * (HASH_DIMS, default 64; HASH_DELAY_MS per batch, default 0), so an add's index build lasts long
 * enough to be killed while embedding, writing or committing.
 *
 *   PAPERS_PATH=... INDEX_DIR=... STATE_PATH=... ARXIV_API_BASE=... node --import tsx collection-cli-child.ts add 2501.00001
 */
import { runCli } from '../../../src/cli/run.js';
import { HashEmbedder } from '../../helpers/hash-embedder.js';

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  embedder: new HashEmbedder({ dims: Number(process.env.HASH_DIMS ?? 64), delayMsPerBatch: Number(process.env.HASH_DELAY_MS ?? 0) }),
});
process.exitCode = code;
