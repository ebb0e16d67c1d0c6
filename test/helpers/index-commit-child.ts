/**
 * "Another process" committing an index generation, step by step on the parent's cue, for the
 * interleaving tests of the index lock (test/store/index-lock.test.ts).
 *
 *   node --import tsx test/helpers/index-commit-child.ts <indexDir> [pause-rename]
 *
 * Builds a small valid generation and prints "built <dir>"; on the stdin line "commit" commits it
 * (commitGeneration, which takes the index lock) and prints "committed" (or "failed <message>",
 * exit 1). With pause-rename it stops inside the commit, after writing CURRENT.tmp-* and before
 * renaming it over CURRENT: prints "tmp-written" and goes on at the stdin line "go".
 */
import { promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { commitGeneration } from '../../src/store/index-dir.js';
import { buildSyntheticGeneration } from '../store/synthetic.js';

const [indexDir, mode] = process.argv.slice(2);
if (!indexDir) {
  console.error('usage: index-commit-child <indexDir> [pause-rename]');
  process.exit(2);
}

const lines = createInterface({ input: process.stdin });
const waiting = new Map<string, () => void>();
lines.on('line', (line) => waiting.get(line.trim())?.());
const cue = (word: string) => new Promise<void>((resolve) => waiting.set(word, resolve));

const dir = await buildSyntheticGeneration(indexDir, 3, 9);

if (mode === 'pause-rename') {
  const rename = fs.rename.bind(fs);
  fs.rename = async (from, to) => {
    if (String(from).includes('CURRENT.tmp-')) {
      process.stdout.write('tmp-written\n');
      await cue('go');
    }
    return rename(from, to);
  };
}

process.stdout.write(`built ${dir}\n`);
await cue('commit');
try {
  await commitGeneration(indexDir, dir);
  process.stdout.write('committed\n');
  process.exit(0);
} catch (err) {
  process.stdout.write(`failed ${(err as Error).message}\n`);
  process.exit(1);
}
