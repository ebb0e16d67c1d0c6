/**
 * Rebuilds of large collections run as `paperbot ingest` in a child process (the bot's event loop
 * stays free): the real CLI, real files, the generation it commits served by the LiveEngine.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config.js';
import { ingestInChildProcess } from '../../src/engine/ingest-process.js';
import { openEngine } from '../../src/engine/open.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const line = (title: string, abstract: string) => `${JSON.stringify({ title, abstract })}\n`;

let dir: string;
let env: Record<string, string>;
let logs: { msg: string; pid?: number }[];
const logger = () => pino({ level: 'info' }, { write: (s: string) => void logs.push(JSON.parse(s)) });

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'paperbot-ingest-process-'));
  writeFileSync(
    path.join(dir, 'papers.jsonl'),
    line('Alder Trees in Wet Soils', 'Alder roots tolerate flooding.') + line('Birch Bark Chemistry', 'Betulin in birch bark.') + line('Cedar Oils and Insects', 'Cedar oils repel moths.'),
  );
  env = { PAPERS_PATH: path.join(dir, 'papers.jsonl'), INDEX_DIR: path.join(dir, 'index'), STATE_PATH: path.join(dir, 'state.sqlite'), EMBEDDING_MODEL: 'none', LOG_LEVEL: 'info' };
  logs = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function openWithChildBuilds(childEnv: Record<string, string>) {
  const log = logger();
  const config = loadCoreConfig(env, ROOT);
  const run = () => ingestInChildProcess({ logger: log, env: { ...process.env, ...childEnv }, cwd: ROOT, timeoutMs: 60_000 });
  return openEngine({ config, logger: log, embedder: null, externalBuild: { minPapers: 0, run } });
}

describe('rebuilds in a child process', () => {
  it('a changed collection is indexed by paperbot ingest in another process, then served here', async () => {
    const { live } = await openWithChildBuilds(env);
    const before = live.generation;
    appendFileSync(env.PAPERS_PATH!, line('Dogwood Flowering Times', 'Dogwood blossoms open earlier in warm springs.'));
    const result = await live.rebuild();
    expect(result.built).toBe(true);
    expect(live.generation).not.toBe(before);
    expect((await live.current().find('dogwood blossoms')).hits[0]?.paper.title).toBe('Dogwood Flowering Times');
    const built = logs.find((l) => l.msg === 'index: built in a child process');
    expect(built?.pid, 'built by another process').toBeGreaterThan(0);
    expect(built?.pid).not.toBe(process.pid);
    await live.close();
  }, 60_000);

  it('a failing child: the rebuild rejects saying why, and the previous generation is still served', async () => {
    const { live } = await openWithChildBuilds({ ...env, PAPERS_PATH: path.join(dir, 'missing.jsonl') });
    const before = live.generation;
    appendFileSync(env.PAPERS_PATH!, line('Elm Disease Spread', 'Elm bark beetles carry the fungus.'));
    await expect(live.rebuild()).rejects.toThrow(/paperbot ingest \(child process\) failed, exit code 2.*missing\.jsonl/s);
    expect(live.generation).toBe(before);
    expect((await live.current().find('birch bark')).hits[0]?.paper.title).toBe('Birch Bark Chemistry');
    await live.close();
  }, 60_000);
});
