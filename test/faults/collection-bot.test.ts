/**
 * The real bot process (src/index.ts, as deployed) with the living collection: it reads FEEDS at
 * start-up (its first run), the daily post then shows the three arrivals closest to the collection
 * under "New today" with Add buttons (a curator's click adds one), /add adds from the fake arXiv
 * and /find finds the paper at once, a
 * `paperbot add` in another real process is noticed and served without a restart, and SIGTERM exits
 * cleanly. This is the composition root's wiring, end to end.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../scripts/deploy-commands.js';
import { commands } from '../../commands/index.js';
import { StateStore } from '../../src/store/state.js';
import { startFakeDiscord, type FakeDiscord, type Json } from '../fake-discord/index.js';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv.js';
import { ARRIVALS, FEED_CATEGORY, ON_TOPIC } from '../library/arrivals.js';
import { FAKE_BOT_TOKEN, botEnv, expectNoSecrets, report, repoRoot, sleep, spawnBot, spawnTs, tempDir, type Proc } from './support.js';

let fake: FakeDiscord;
let arxiv: FakeArxiv;
let dir: string;
let env: NodeJS.ProcessEnv;
let captured = '';
let user = 0n;
const nextUser = () => ({ userId: String(500000000000000000n + ++user) });

const PAPERS = [
  { id: '2501.00001', title: 'Sandpiper Schedules for Speculative Decoding', abstract: 'Sandpiper schedules pick draft lengths for speculative decoding from the acceptance history, speeding generation.', authors: ['Eve Sandpiper'], published: '2025-01-07', categories: ['cs.CL'] },
  { id: '2501.00002', title: 'Curlew Probes for Retrieval Heads', abstract: 'Curlew probes find the attention heads that copy retrieved passages, and prune the rest.', authors: ['Finn Curlew'], published: '2025-01-08', categories: ['cs.CL'] },
];

async function firstTitle(query: string): Promise<string> {
  const ex = fake.slashCommand('find', { query, k: 3 }, nextUser());
  const msg = (await ex.waitForFinal(undefined, 20_000)) as Json;
  return String(msg.embeds[0]?.title ?? '').replace(/^1\.\s*/, '');
}

beforeAll(async () => {
  dir = tempDir('collection-bot');
  fake = await startFakeDiscord({ timeoutMs: 20_000 });
  arxiv = await startFakeArxiv({ papers: [...ARRIVALS, ...PAPERS] });
  await deployCommands({ token: FAKE_BOT_TOKEN, appId: fake.appId, guildId: fake.guildId, apiBase: fake.apiBase, commands });
  env = botEnv(fake, dir, {
    ARXIV_API_BASE: arxiv.baseUrl,
    ARXIV_MIN_INTERVAL_MS: '0',
    FEEDS: `arxiv:cat:${FEED_CATEGORY}`,
    INDEX_POLL_MS: '500',
    DAILY_TIME: '00:00', // due at once: the start-up catch-up posts today's picks
    DAILY_NEW_COUNT: '3',
  });
});

afterAll(async () => {
  await fake?.close();
  await arxiv?.close();
});

describe('the real bot process with the living collection', () => {
  it('reads FEEDS at start-up, adds with /add, serves a paperbot add from another process, stops cleanly', async () => {
    const bot: Proc = spawnBot(env);
    try {
      await bot.waitForLog((l) => l.msg === 'paperbot is ready', 60_000);
      await bot.waitForLog((l) => l.msg === 'feeds: run done', 30_000);
      const state = StateStore.open(path.join(dir, 'state.sqlite'));
      const items = state.db.prepare('SELECT COUNT(*) AS n FROM feed_item').get() as { n: number };
      state.close();
      expect(items.n).toBe(ARRIVALS.length);

      // The daily post, caught up at start-up after the feed run: "New today" holds the on-topic three.
      const deadlinePost = Date.now() + 30_000;
      let post: Json | undefined;
      while (!post && Date.now() < deadlinePost) {
        post = fake.messages(fake.channelId).find((m) => (m.embeds ?? []).some((e: Json) => e.title === 'New today'));
        if (!post) await sleep(100);
      }
      expect(post, 'a daily post with new arrivals').toBeDefined();
      const news = (post!.embeds as Json[]).find((e) => e.title === 'New today')!;
      for (const p of ON_TOPIC) expect(news.description).toContain(p.title);
      const buttons = (post!.components[0].components as Json[]).map((c) => c.custom_id as string);
      expect(buttons).toHaveLength(3);
      const click = fake.button(buttons[0]!, { message: post!.id }, { ...nextUser(), permissions: 'admin' });
      const note = (await click.waitForFinal(undefined, 20_000)) as Json;
      expect(note.content).toMatch(/Added to the collection by <@\d+>/);

      const add = fake.slashCommand('add', { paper: PAPERS[0]!.id }, nextUser());
      const added = (await add.waitForFinal(undefined, 20_000)) as Json;
      expect(added.content).toMatch(/Added to the collection/);
      expect(await firstTitle('sandpiper schedules speculative decoding')).toBe(PAPERS[0]!.title);

      const cli = spawnTs(path.join(repoRoot, 'src/cli/main.ts'), ['add', PAPERS[1]!.id], { ...env, LOG_LEVEL: 'warn' });
      const done = await cli.exited;
      captured += cli.output;
      expect(done.code, cli.output).toBe(0);
      const deadline = Date.now() + 15_000;
      let title = '';
      while (Date.now() < deadline && (title = await firstTitle('curlew probes retrieval heads')) !== PAPERS[1]!.title) await sleep(300);
      expect(title).toBe(PAPERS[1]!.title);
      report(`collection-real-bot feed-items-at-start=${items.n} daily-new-today=${ON_TOPIC.length}-on-topic-first add-button=ok add-then-find=ok other-process-add-served=ok`);
    } finally {
      bot.child.kill('SIGTERM');
      const exit = await bot.exited;
      captured += bot.output;
      expect(exit.code).toBe(0);
    }
  });

  it('never logs a secret', () => {
    expectNoSecrets('collection-bot', captured, [FAKE_BOT_TOKEN]);
  });
});
