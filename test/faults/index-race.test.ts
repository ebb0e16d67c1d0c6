/**
 * Fault 8: concurrent index writers and readers. Two `paperbot ingest --force` loops and an
 * engine-style opener run at once against one INDEX_DIR, while this process watches CURRENT.
 * Every ingest must succeed, every open must find a whole index, and CURRENT must never name a
 * generation that has been deleted (before the index lock, one writer's sweep could delete the
 * generation the other had just made live, or its CURRENT.tmp-* mid-commit).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPERS_TXT, expectNoSecrets, FAKE_BOT_TOKEN, report, repoRoot, sleep, spawnTs, tempDir, type Proc } from './support.js';

const CHILD = path.join(repoRoot, 'test/faults/helpers/index-race-child.ts');
const INGESTS = 20;
let dir: string;
let captured = '';

beforeAll(() => {
  dir = tempDir('index-race');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two ingests and an opener at once', () => {
  it('no failed ingest, no failed open, no lost live generation', async () => {
    const indexDir = path.join(dir, 'index');
    const env = { PAPERS_PATH: PAPERS_TXT, INDEX_DIR: indexDir, EMBEDDING_MODEL: 'none', LOG_LEVEL: 'warn', DISCORD_TOKEN: FAKE_BOT_TOKEN };
    // A first index, so the opener has something from the start.
    const first = spawnTs(CHILD, ['ingest', '1'], env);
    await first.exited;
    expect(first.output).toContain('ingest ok');

    const writers: Proc[] = [spawnTs(CHILD, ['ingest', String(INGESTS)], env), spawnTs(CHILD, ['ingest', String(INGESTS)], env)];
    const opener = spawnTs(CHILD, ['open', '600000'], env);
    // Watch CURRENT: the generation it names must exist (re-read once if CURRENT moved meanwhile).
    let looks = 0;
    const lost: string[] = [];
    let writing = true;
    const watch = (async () => {
      const current = path.join(indexDir, 'CURRENT');
      while (writing) {
        const name = readFileSync(current, 'utf8').trim();
        if (!existsSync(path.join(indexDir, name, 'manifest.json'))) {
          const again = readFileSync(current, 'utf8').trim();
          if (again === name && !existsSync(path.join(indexDir, name, 'manifest.json'))) lost.push(name);
        }
        looks++;
        await sleep(3);
      }
    })();
    await Promise.all(writers.map((w) => w.exited));
    writing = false;
    await watch;
    opener.kill9();
    await opener.exited;

    const lines = [...writers, opener].flatMap((p) => p.output.split('\n'));
    captured += [...writers, opener, first].map((p) => p.output).join('');
    const ingestOk = lines.filter((l) => l === 'ingest ok').length;
    const ingestFail = lines.filter((l) => l.startsWith('ingest fail'));
    const openOk = lines.filter((l) => l.startsWith('open ok')).length;
    const openFail = lines.filter((l) => l.startsWith('open fail'));
    report(
      `index-race ingests=${ingestOk}/${2 * INGESTS} ingest-failures=${ingestFail.length} opens=${openOk} open-failures=${openFail.length} ` +
        `current-checks=${looks} lost-live-generations=${lost.length}`,
    );
    expect(ingestFail, ingestFail.join('\n')).toEqual([]);
    expect(openFail, openFail.slice(0, 5).join('\n')).toEqual([]);
    expect(lost).toEqual([]);
    expect(ingestOk).toBe(2 * INGESTS);
    expect(openOk).toBeGreaterThan(20);
    // Afterwards: one whole generation, no lock or temp file left behind.
    const left = (await import('node:fs')).readdirSync(indexDir).sort();
    expect(left.filter((f) => f.startsWith('gen-'))).toHaveLength(1);
    expect(left.filter((f) => f === 'LOCK' || f.startsWith('CURRENT.tmp-') || f === 'LOCK.break')).toEqual([]);
  });

  it('never logs the bot token', () => {
    expectNoSecrets('index-race', captured + '\n(no log lines expected beyond results)', [FAKE_BOT_TOKEN]);
  });
});
