/** `npm run ingest -- [--force] [files...]`: the same as `paperbot ingest`. */
import { runCli } from '../src/cli/run.js';

process.exitCode = await runCli(['ingest', ...process.argv.slice(2)], {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
