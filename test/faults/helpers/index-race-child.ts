/**
 * One side of the index race (test/faults/index-race.test.ts):
 *   ingest <n>  — `paperbot ingest --force` n times in a row, as the CLI runs it (runCli);
 *   open <ms>   — opens the live index over and over for <ms>, as the engine does at start-up.
 * With PAPERS_PATH, INDEX_DIR, EMBEDDING_MODEL=none. Prints one line per attempt: "ingest ok|fail …",
 * "open ok <papers>|fail <problem>", then "done".
 */
import { Writable } from 'node:stream';
import { runCli } from '../../../src/cli/run.js';
import { loadCoreConfig } from '../../../src/config.js';
import { openLiveIndex } from '../../../src/store/index-dir.js';

const [mode, arg] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);

if (mode === 'ingest') {
  for (let i = 0; i < Number(arg); i++) {
    let err = '';
    const stderr = new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) });
    const code = await runCli(['ingest', '--force'], { stdin: process.stdin, stdout: new Writable({ write: (_c, _e, cb) => cb() }), stderr, env: process.env, cwd: process.cwd(), embedder: null });
    say(code === 0 ? 'ingest ok' : `ingest fail ${JSON.stringify(err.slice(-400))}`);
  }
} else if (mode === 'open') {
  const config = loadCoreConfig(process.env, process.cwd());
  const end = Date.now() + Number(arg);
  while (Date.now() < end) {
    const opened = await openLiveIndex(config.indexDir, { withVectors: false }).catch((e: unknown) => ({ live: null, problem: `threw ${(e as Error).message}` }));
    say(opened.live ? `open ok ${opened.live.papers.length}` : `open fail ${JSON.stringify(opened.problem ?? 'no index')}`);
  }
}
say('done');
