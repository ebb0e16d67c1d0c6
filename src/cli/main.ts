#!/usr/bin/env node
import { runCli } from './run.js';

// Entry point for `npm run paperbot -- ...` and the `paperbot` bin.
runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`paperbot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
