/**
 * Fault 5: start-up over damaged files.
 *  - Index: CURRENT, manifest.json, papers.bin or the vector file truncated, filled with
 *    garbage or emptied → start-up notices, the index is rebuilt from the collection, queries work.
 *  - State (SQLite): garbage bytes or a truncated file → the real bot process refuses to start with
 *    a clear error naming the path and what to do (non-zero exit), and leaves the file untouched.
 */
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config.js';
import { openEngine } from '../../src/engine/open.js';
import { createLogger } from '../../src/logger.js';
import { inspectCurrentGeneration, readPapersSnapshot, vectorsDirOf } from '../../src/store/index-dir.js';
import { StateStore } from '../../src/store/state.js';
import { VectorFileStore } from '../../src/store/vector-file.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { HashEmbedder } from '../helpers/hash-embedder.js';
import { FAKE_BOT_TOKEN, PAPERS_TXT, botEnv, expectNoSecrets, report, repoRoot, spawnBot, tempDir } from './support.js';

const DIMS = 32;
let root: string;
let template: string;
let captured = '';
const rows: string[] = [];

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
  return { logger: createLogger({ level: 'info', secrets: [FAKE_BOT_TOKEN], destination: sink }), text: () => lines.join('') };
}

async function start(indexDir: string) {
  const log = capturingLogger();
  const config = loadCoreConfig({ PAPERS_PATH: PAPERS_TXT, INDEX_DIR: indexDir, EMBEDDING_MODEL: 'none' }, repoRoot);
  const opened = await openEngine({ config, logger: log.logger, embedder: new HashEmbedder({ dims: DIMS }) });
  captured += log.text();
  return { ...opened, log: log.text() };
}

beforeAll(async () => {
  root = tempDir('corrupt');
  template = path.join(root, 'template');
  const { engine } = await start(template);
  expect(engine.info().mode).toBe('hybrid');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

type Damage = 'truncated' | 'garbage' | 'empty';
const damage: Record<Damage, (file: string) => void> = {
  truncated: (f) => writeFileSync(f, readFileSync(f).subarray(0, Math.floor(statSync(f).size / 2))),
  garbage: (f) => writeFileSync(f, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256))),
  empty: (f) => writeFileSync(f, ''),
};

function targetFile(indexDir: string, which: string): string {
  const gen = readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim();
  if (which === 'CURRENT') return path.join(indexDir, 'CURRENT');
  if (which === 'vectors') {
    const dir = vectorsDirOf(path.join(indexDir, gen));
    const biggest = readdirSync(dir).sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0]!;
    return path.join(dir, biggest);
  }
  return path.join(indexDir, gen, which);
}

describe('start-up over a damaged index', () => {
  const files = ['CURRENT', 'manifest.json', 'papers.bin', 'vectors'];
  for (const which of files) {
    for (const kind of Object.keys(damage) as Damage[]) {
      it(`${which} ${kind}: rebuilt, queries work`, async () => {
        const indexDir = path.join(root, `${which}-${kind}`);
        cpSync(template, indexDir, { recursive: true });
        const file = targetFile(indexDir, which);
        damage[kind](file);

        const { engine, collection, log } = await start(indexDir);
        expect(engine.info()).toMatchObject({ papers: collection.papers.length, mode: 'hybrid' });
        const probe = collection.papers[17]!;
        expect((await engine.find(probe.title, { k: 3 })).hits.map((h) => h.paper.id)).toContain(probe.id);

        // The index on disk is whole again.
        const { generation, problem } = await inspectCurrentGeneration(indexDir);
        expect(problem).toBeUndefined();
        expect((await readPapersSnapshot(generation!.dir)).length).toBe(collection.papers.length);
        expect((await VectorFileStore.open(vectorsDirOf(generation!.dir))).size).toBe(collection.papers.length);
        const detected = /unreadable|rebuild|building the index|re-embedding/i.test(log);
        rows.push(`${which}/${kind}:${detected ? 'detected' : 'silent'}`);
        expect(detected, `start-up said nothing about the damage:\n${log}`).toBe(true);
      });
    }
  }
});

describe('start-up over a damaged state database', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake?.close();
  });

  for (const kind of ['garbage', 'truncated'] as const) {
    it(`${kind} SQLite file: refuses to start, names the path, leaves the file alone`, async () => {
      const dir = path.join(root, `state-${kind}`);
      const env = botEnv(fake, dir, { INDEX_DIR: path.join(root, 'template-copy-' + kind) });
      cpSync(template, env.INDEX_DIR!, { recursive: true });
      const dbPath = env.STATE_PATH!;
      // A real database with some settings in it, then damaged.
      const state = StateStore.open(dbPath);
      for (let i = 0; i < 200; i++) state.daily.updateSettings(String(100000000000000000n + BigInt(i)), { time: '08:00', channelId: fake.channelId }, { channelId: null, time: '09:00', timezone: 'UTC', count: 3 });
      state.close();
      if (kind === 'garbage') damage.garbage(dbPath);
      else writeFileSync(dbPath, readFileSync(dbPath).subarray(0, 100)); // header survives, the pages don't
      const before = readFileSync(dbPath);

      const bot = spawnBot(env);
      const exit = await bot.exited;
      captured += bot.output;
      const after = readFileSync(dbPath);
      const said = bot.output.split('\n').filter((l) => l.startsWith('paperbot:')).join(' ');
      rows.push(`state/${kind}: exit=${exit.code} file-unchanged=${before.equals(after)}`);
      expect(exit.code, bot.output.slice(-2000)).not.toBe(0);
      expect(exit.code).not.toBeNull();
      expect(said).toContain(dbPath);
      expect(said).toMatch(/restore|backup|move|delete|remove|rename/i);
      expect(after.equals(before), 'the damaged state file was changed').toBe(true);
      expect(fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)).toEqual([]);
    });
  }

  it('summary and secrets', () => {
    report(`corrupt-start cases=${rows.length} ${rows.join(' ')}`);
    expectNoSecrets('corrupt-start', captured, [FAKE_BOT_TOKEN]);
  });
});
