/**
 * The living collection under kill -9, with the bot answering throughout:
 *
 *   1. `paperbot add <id>` killed at moments spread over start-up, the arXiv fetch, after the SQLite
 *      commit (while the paper is embedded), and while the generation is written and committed. After
 *      each kill: the state database opens (not corrupt); the paper is in SQLite at most once; if it is
 *      there, the running bot serves it within seconds (its poll sees the unindexed change and builds)
 *      and a fresh open (a restart) serves it; if not, nobody serves it. Retrying the add ends with the
 *      paper exactly once.
 *   2. `paperbot feed --add 2` killed at moments spread over the fetch, the run's commit and the adds:
 *      the state opens, every feed item and addition is there at most once, a rerun works.
 *   3. Two `paperbot add`s at once (different papers, and the same paper twice): all end up in SQLite
 *      and in the live index without any further build.
 * Meanwhile a bot in this process (same collection, index and state; fake Discord) answers a /find
 * every 150 ms; every one must answer.
 */
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config.js';
import { openEngine } from '../../src/engine/open.js';
import { readCurrentGeneration, readPapersSnapshot } from '../../src/store/index-dir.js';
import { StateStore } from '../../src/store/state.js';
import { startFakeDiscord, type FakeDiscord, type InteractionExchange } from '../fake-discord/index.js';
import { startFakeArxiv, type FakeArxiv, type FakeArxivPaper } from '../fakes/arxiv.js';
import { HashEmbedder } from '../helpers/hash-embedder.js';
import { ROOT, sharedEnv, startLibraryBot, TOKEN, type LibraryBot } from '../helpers/library-bot.js';
import { ARRIVALS, FEED_CATEGORY } from '../library/arrivals.js';
import { expectNoSecrets, lcg, report, repoRoot, sleep, spawnTs, tempDir, type Proc } from './support.js';

const CHILD = path.join(repoRoot, 'test/faults/helpers/collection-cli-child.ts');
const DIMS = 64;
const EMBED_DELAY_MS = 400;
const ADD_KILLS = 12;
const FEED_KILLS = 6;
type Phase = 'start' | 'fetch' | 'committed' | 'writing';
type Landed = Phase | 'after-build' | 'finished';
const PHASES: Phase[] = ['start', 'fetch', 'committed', 'writing'];

let dir: string;
let arxiv: FakeArxiv;
let fake: FakeDiscord;
let bot: LibraryBot;
let env: Record<string, string>;
let captured = '';
const random = lcg(Number(process.env.FAULTS_SEED ?? 20260811));

/** Papers only this test adds: one per kill, each with a made-up word so /find can name it. */
function paperFor(i: number): FakeArxivPaper {
  const word = `brambling${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`;
  return {
    id: `2503.${String(10000 + i).padStart(5, '0')}`,
    title: `${word[0]!.toUpperCase()}${word.slice(1)}: A Study of Cache Budgets Number ${i}`,
    abstract: `We study ${word}, a scheme for cache budgets in language model serving, variant ${i}.`,
    authors: ['Test Author'],
    published: '2025-03-01',
    categories: ['cs.CL'],
  };
}

const isMsg = (re: RegExp) => (l: Record<string, unknown>) => typeof l.msg === 'string' && re.test(l.msg);

function child(args: string[], extra: Record<string, string> = {}): Proc {
  return spawnTs(CHILD, args, { ...env, LOG_LEVEL: 'info', HASH_DIMS: String(DIMS), HASH_DELAY_MS: String(EMBED_DELAY_MS), DISCORD_TOKEN: TOKEN, ...extra });
}

/** /find every 150 ms through the fake Discord while `work` runs; returns how many answered and how many did not. */
async function whileAnswering<T>(work: () => Promise<T>): Promise<{ result: T; asked: number; failed: string[] }> {
  const exchanges: InteractionExchange[] = [];
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      exchanges.push(fake.slashCommand('find', { query: n % 2 ? 'cache budgets' : 'image generation', k: 3 }, { userId: String(400000000000000000n + BigInt(++n)) }));
      await sleep(150);
    }
  })();
  try {
    const result = await work();
    return { result, ...(await settle()) };
  } finally {
    running = false;
    await loop;
  }
  async function settle(): Promise<{ asked: number; failed: string[] }> {
    running = false;
    await loop;
    const failed: string[] = [];
    for (const ex of exchanges) {
      try {
        const msg = await ex.waitForFinal(undefined, 20_000);
        if (msg.ephemeral || msg.embeds.length === 0) failed.push(`${ex.label}: ${msg.content}`);
      } catch (err) {
        failed.push(`${ex.label}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    return { asked: exchanges.length, failed };
  }
}

/** What the state database says about an arXiv id, opened fresh (proves it is not corrupt). */
function stored(arxivId: string): number {
  const state = StateStore.open(path.join(dir, 'state.sqlite'));
  try {
    expect(state.db.pragma('quick_check', { simple: true })).toBe('ok');
    return state.library.additions().filter((a) => a.record.arxivId === arxivId).length;
  } finally {
    state.close();
  }
}

/** A fresh open (a restart): builds first if the collection changed, then serves. Counts the paper. */
async function servedAfterRestart(arxivId: string): Promise<number> {
  const state = StateStore.open(path.join(dir, 'state.sqlite'));
  try {
    const config = loadCoreConfig(env, ROOT);
    const { engine, live } = await openEngine({ config, logger: pino({ level: 'silent' }), library: state.library, embedder: new HashEmbedder({ dims: DIMS }) });
    await live.close();
    return engine.papers.filter((p) => p.arxivId === arxivId).length;
  } finally {
    state.close();
  }
}

async function botServes(arxivId: string, want: number, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = -1;
  while (Date.now() < deadline) {
    count = bot.live.current().papers.filter((p) => p.arxivId === arxivId).length;
    if (count === want) return count;
    await sleep(100);
  }
  return count;
}

beforeAll(async () => {
  dir = tempDir('collection');
  const papers = [...ARRIVALS, ...Array.from({ length: ADD_KILLS + 8 }, (_, i) => paperFor(i))];
  arxiv = await startFakeArxiv({ papers });
  env = { ...sharedEnv(dir, arxiv.baseUrl), EMBEDDING_MODEL: 'none', FEEDS: `arxiv:cat:${FEED_CATEGORY}`, UPSTREAM_RETRIES: '0' };
  fake = await startFakeDiscord({ timeoutMs: 20_000 });
  // The bot holds the same "model" as the children (same id): builds reuse each other's vectors.
  bot = await startLibraryBot(fake, dir, arxiv.baseUrl, { embedder: new HashEmbedder({ dims: DIMS }), pollMs: 300 });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await arxiv?.close();
});

describe('kill -9 of paperbot add', () => {
  it(`leaves each paper fully added and served, or absent, never twice, across ${ADD_KILLS} kills; the bot answers throughout`, async () => {
    const landed: Record<Landed, number> = { start: 0, fetch: 0, committed: 0, writing: 0, 'after-build': 0, finished: 0 };
    const outcome = { present: 0, absent: 0 };
    const { asked, failed } = await whileAnswering(async () => {
      for (let i = 0; i < ADD_KILLS; i++) {
        const phase = PHASES[i % PHASES.length]!;
        const paper = paperFor(i);
        if (phase === 'fetch') arxiv.fail({ kind: 'slow', delayMs: 600 });
        const proc = child(['add', paper.id]);
        if (phase === 'start') await sleep(random() * 900);
        else if (phase === 'fetch') {
          const t0 = Date.now();
          while (!arxiv.requests.some((r) => r.query.get('id_list') === paper.id) && Date.now() - t0 < 20_000 && !proc.exitInfo) await sleep(10);
          await sleep(random() * 500);
        } else if (phase === 'committed') {
          await proc.waitForLog(isMsg(/^library: paper added; indexing$/), 30_000).catch(() => undefined);
          await sleep(random() * EMBED_DELAY_MS * 0.8);
        } else {
          await proc.waitForLog(isMsg(/^embedding 1\/1$/), 30_000).catch(() => undefined);
          await sleep(random() * 40);
        }
        proc.kill9();
        const exit = await proc.exited;
        captured += proc.output;
        arxiv.clearFaults();
        // Where the kill really landed, from what the child had logged (and whether arXiv was asked).
        const logs = proc.logs();
        const where: Landed =
          exit.signal !== 'SIGKILL' ? 'finished'
          : logs.some(isMsg(/^index built$/)) ? 'after-build'
          : logs.some(isMsg(/^embedding 1\/1$/)) ? 'writing'
          : logs.some(isMsg(/^library: paper added; indexing$/)) ? 'committed'
          : arxiv.requests.some((r) => r.query.get('id_list') === paper.id) ? 'fetch'
          : 'start';
        landed[where]++;

        // The state opens; the paper is there at most once; the bot and a restart agree with SQLite.
        const count = stored(paper.id);
        expect(count, `kill ${i} (${phase})`).toBeLessThanOrEqual(1);
        expect(await botServes(paper.id, count), `the bot serves what SQLite holds after kill ${i}`).toBe(count);
        expect(await servedAfterRestart(paper.id), `a restart serves what SQLite holds after kill ${i}`).toBe(count);
        outcome[count ? 'present' : 'absent']++;

        // Retrying ends with exactly one.
        const retry = child(['add', paper.id, '--json'], { HASH_DELAY_MS: '0' });
        const done = await retry.exited;
        captured += retry.output;
        expect(done.code, retry.output.slice(-2000)).toBe(0);
        expect(JSON.parse(retry.output.split('\n').find((l) => l.startsWith('{"status"'))!).status).toBe(count ? 'exists' : 'added');
        expect(stored(paper.id)).toBe(1);
        expect(await botServes(paper.id, 1)).toBe(1);
      }
    });
    report(
      `collection-add-kills survived=${ADD_KILLS}/${ADD_KILLS} landed=${JSON.stringify(landed)} present-after-kill=${outcome.present} ` +
        `absent-after-kill=${outcome.absent} finds-during=${asked} finds-failed=${failed.length}`,
    );
    expect(failed).toEqual([]);
    expect(asked).toBeGreaterThan(20);
    // The kills must really land in each phase, or this proves little.
    expect(landed.committed + landed.writing, JSON.stringify(landed)).toBeGreaterThanOrEqual(4);
    expect(landed.start + landed.fetch, JSON.stringify(landed)).toBeGreaterThanOrEqual(3);
    expect(outcome.present).toBeGreaterThan(0);
    expect(outcome.absent).toBeGreaterThan(0);
  });
});

describe('kill -9 of paperbot feed --add 2', () => {
  it(`never stores a feed item or an addition twice, and a rerun works, across ${FEED_KILLS} kills`, async () => {
    let killedMidRun = 0;
    const { asked, failed } = await whileAnswering(async () => {
      for (let i = 0; i < FEED_KILLS; i++) {
        arxiv.fail({ kind: 'slow', delayMs: 400 });
        const proc = child(['feed', '--json', '--add', '2']);
        await sleep(800 + random() * 2500);
        proc.kill9();
        const exit = await proc.exited;
        captured += proc.output;
        arxiv.clearFaults();
        if (exit.signal === 'SIGKILL') killedMidRun++;
        const state = StateStore.open(path.join(dir, 'state.sqlite'));
        try {
          expect(state.db.pragma('quick_check', { simple: true })).toBe('ok');
          const items = state.db.prepare('SELECT arxiv_id FROM feed_item').all() as { arxiv_id: string }[];
          expect(new Set(items.map((r) => r.arxiv_id)).size).toBe(items.length);
          const adds = state.library.additions().map((a) => a.record.arxivId);
          expect(new Set(adds).size).toBe(adds.length);
        } finally {
          state.close();
        }
      }
      const rerun = child(['feed', '--json'], { HASH_DELAY_MS: '0' });
      const done = await rerun.exited;
      captured += rerun.output;
      expect(done.code, rerun.output.slice(-2000)).toBe(0);
    });
    const arrivalsServed = ARRIVALS.map((p) => bot.live.current().papers.filter((q) => q.arxivId === p.id).length);
    report(`collection-feed-kills survived=${FEED_KILLS}/${FEED_KILLS} killed-mid-run=${killedMidRun} arrivals-served=${arrivalsServed.join('')} finds-during=${asked} finds-failed=${failed.length}`);
    expect(arrivalsServed.every((n) => n <= 1)).toBe(true);
    expect(failed).toEqual([]);
  });
});

describe('two paperbot adds at once', () => {
  it('both papers end up in SQLite and in the live index, without another build; the same paper twice is stored once', async () => {
    let rounds = 0;
    for (let round = 0; round < 3; round++) {
      const a = paperFor(ADD_KILLS + 2 * round);
      const b = paperFor(ADD_KILLS + 2 * round + 1);
      const procs = [child(['add', a.id]), child(['add', b.id]), child(['add', a.id])];
      const exits = await Promise.all(procs.map((p) => p.exited));
      procs.forEach((p) => (captured += p.output));
      exits.forEach((e, i) => expect(e.code, procs[i]!.output.slice(-2000)).toBe(0));
      expect(stored(a.id)).toBe(1);
      expect(stored(b.id)).toBe(1);
      // The last committed generation already holds both (each build read SQLite under the lock).
      const gen = await readCurrentGeneration(path.join(dir, 'index'));
      const ids = (await readPapersSnapshot(gen!.dir)).map((p) => p.arxivId);
      expect(ids.filter((x) => x === a.id)).toHaveLength(1);
      expect(ids.filter((x) => x === b.id)).toHaveLength(1);
      expect(await botServes(a.id, 1)).toBe(1);
      expect(await botServes(b.id, 1)).toBe(1);
      rounds++;
    }
    report(`collection-concurrent-adds rounds=${rounds} processes=${rounds * 3} each-paper-once=yes`);
  });

  it('never logs a secret', () => {
    expectNoSecrets('collection', captured + bot.logText(), [TOKEN]);
  });
});
