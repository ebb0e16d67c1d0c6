/**
 * Fault 2: `kill -9` of the bot around the daily post.
 *  A. The real bot process (`src/index.ts`) against the fake Discord, 8 servers, DAILY_TIME=00:00 so
 *     start-up catches up today's post: killed 10 times at moments around the posts (some right as a
 *     send reaches Discord), then run cleanly. Exactly one post per server today.
 *  B. Several days: our own child drives the real DailyService + DiscordDailyPoster + StateStore with a
 *     fake clock through 6 dates, killed at random moments until a run completes. Exactly one post per
 *     server per day, no day skipped.
 *  C. A busy channel: the send reaches Discord but its answer is lost and the bot is killed; 120 messages
 *     and an expired nonce later the restart still finds the post (it pages from the attempt time) → one post.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/store/state.js';
import { startFakeDiscord, type FakeDiscord, type Json } from '../fake-discord/index.js';
import { FAKE_BOT_TOKEN, PAPERS_TXT, botEnv, expectNoSecrets, lcg, report, repoRoot, sleep, spawnBot, spawnTs, tempDir } from './support.js';

const SERVERS = 8;
const KILLS = 10;
let captured = '';

/** Daily posts in a channel, counted per marker (`paperbot-daily:<guild>:<date>`). */
function postsByMarker(fake: FakeDiscord, channelId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of fake.messages(channelId)) {
    for (const e of (m.embeds as Json[] | undefined) ?? []) {
      const marker = /paperbot-daily:\d+:\d{4}-\d{2}-\d{2}/.exec(String(e.footer?.text ?? ''))?.[0];
      if (marker) {
        counts.set(marker, (counts.get(marker) ?? 0) + 1);
        break;
      }
    }
  }
  return counts;
}

function serverOptions(n: number) {
  return { guilds: Array.from({ length: n }, (_, i) => ({ name: `lab-${i}`, channels: [{ name: 'papers' }] })), timeoutMs: 20_000 };
}

describe('kill -9 of the bot around the daily post', () => {
  let fake: FakeDiscord;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeDiscord(serverOptions(SERVERS));
    dir = tempDir('daily');
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`A: the real bot process, ${KILLS} kills on one day → one post per server`, async () => {
    // Server 0 uses DAILY_CHANNEL_ID; the others have their own channel set (as /daily set would).
    const env = botEnv(fake, dir, { DAILY_TIME: '00:00', DAILY_TZ: 'UTC', DAILY_CHANNEL_ID: fake.guilds[0]!.channels[0]!.id });
    const state = StateStore.open(env.STATE_PATH!);
    const defaults = { channelId: null, time: '00:00', timezone: 'UTC', count: 3 };
    fake.guilds.slice(1).forEach((g) => state.daily.updateSettings(g.id, { channelId: g.channels[0]!.id }, defaults));
    state.close();
    // Each REST call takes a little while, so the 8 posts are spread over a window worth killing in.
    fake.setLatency(25);

    const seed = Number(process.env.FAULTS_SEED ?? 20261127);
    const random = lcg(seed);
    const sendPath = /^\/channels\/\d+\/messages$/;
    const kinds: string[] = [];
    let sendsSeenByKills = 0;
    let interruptedPosting = 0;
    for (let i = 0; i < KILLS; i++) {
      const sendsBefore = fake.requestsTo('POST', sendPath).length;
      const bot = spawnBot(env);
      // Even runs: kill just after the first send of this run goes out (so each such run lets only
      // about one post through and posting is still under way at the next kill);
      // odd runs: at a random moment of start-up, mostly before posting begins.
      if (i % 2 === 0) {
        const nth = 1;
        // Once every server has its post there is nothing left to send: then the kill lands 2 s after start-up.
        let deadline = Date.now() + 60_000;
        void bot.waitForLog((l) => l.msg === 'paperbot is ready', 60_000).then(() => (deadline = Date.now() + 2000), () => undefined);
        while (fake.requestsTo('POST', sendPath).length < sendsBefore + nth && !bot.exitInfo && Date.now() < deadline) await sleep(2);
        await sleep(random() * 15);
        kinds.push('at-send');
      } else {
        await sleep(300 + random() * 900);
        kinds.push('random');
      }
      const postedAtKill = fake.guilds.filter((g) => postsByMarker(fake, g.channels[0]!.id).size > 0).length;
      bot.kill9();
      await bot.exited;
      captured += bot.output;
      const sendsThisRun = fake.requestsTo('POST', sendPath).length - sendsBefore;
      sendsSeenByKills += sendsThisRun;
      // Killed mid-way through the day's posting: this run sent something, and some server still had nothing.
      if (sendsThisRun > 0 && postedAtKill < SERVERS) interruptedPosting++;
    }

    // A clean run: catches up whatever is missing, then stays up a moment.
    const bot = spawnBot(env);
    await bot.waitForLog((l) => l.msg === 'paperbot is ready', 60_000);
    const deadline = Date.now() + 30_000;
    const today = new Date().toISOString().slice(0, 10);
    const total = () => fake.guilds.reduce((n, g) => n + (postsByMarker(fake, g.channels[0]!.id).get(`paperbot-daily:${g.id}:${today}`) ?? 0), 0);
    while (total() < SERVERS && Date.now() < deadline) await sleep(100);
    await sleep(1000); // a double post would show up now
    bot.child.kill('SIGTERM');
    await bot.exited;
    captured += bot.output;
    fake.setLatency(0);

    const perServer = fake.guilds.map((g) => {
      const posts = postsByMarker(fake, g.channels[0]!.id);
      expect([...posts.keys()].every((m) => m === `paperbot-daily:${g.id}:${today}`)).toBe(true);
      return posts.get(`paperbot-daily:${g.id}:${today}`) ?? 0;
    });
    const sends = fake.requestsTo('POST', sendPath).length;
    const recovered = (captured.match(/found the post of an interrupted run/g) ?? []).length;
    report(`daily-kills-real-process recovered-after-kill=${recovered} kills=${KILLS} (${kinds.join(',')}) servers=${SERVERS} posts-per-server=${JSON.stringify(perServer)} send-requests=${sends} sends-during-killed-runs=${sendsSeenByKills} runs-killed-mid-posting=${interruptedPosting} seed=${seed}`);
    expect(perServer).toEqual(Array(SERVERS).fill(1));
    // The kills must have hit the posting, not just idle start-ups.
    expect(interruptedPosting).toBeGreaterThanOrEqual(2);
  });

  it('B: several days with a fake clock, killed until done → one post per server per day, none skipped', async () => {
    const multi = await startFakeDiscord(serverOptions(3));
    try {
      const dates = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];
      const env = {
        DISCORD_API_BASE: multi.apiBase,
        DISCORD_TOKEN: FAKE_BOT_TOKEN,
        STATE_PATH: path.join(dir, 'multi.sqlite'),
        PAPERS_PATH: PAPERS_TXT,
        GUILD_IDS: multi.guilds.map((g) => g.id).join(','),
        CHANNEL_IDS: multi.guilds.map((g) => g.channels[0]!.id).join(','),
      };
      multi.setLatency(40);
      const random = lcg(Number(process.env.FAULTS_SEED ?? 20261127) + 1);
      let kills = 0;
      let runs = 0;
      let output = '';
      let done = false;
      while (!done && runs < 25) {
        runs++;
        const child = spawnTs(path.join(repoRoot, 'test/faults/helpers/daily-child.ts'), dates, env);
        // Kill somewhere in the posting: after "ready", a random 0–0.6 s (one day's posts take ~0.4 s).
        const ready = await Promise.race([
          new Promise<boolean>((resolve) => {
            const check = () => (child.output.includes('ready\n') ? resolve(true) : child.exitInfo ? resolve(false) : setTimeout(check, 5));
            check();
          }),
        ]);
        if (ready && runs <= 8) {
          await Promise.race([sleep(random() * 600), child.exited]);
          if (!child.exitInfo) {
            child.kill9();
            kills++;
          }
        }
        const exit = await child.exited;
        captured += child.output;
        output += child.output;
        if (exit.signal !== 'SIGKILL') expect(exit.code, child.output.slice(-2000)).toBe(0);
        done = child.output.includes('\ndone\n');
      }
      expect(done, 'a run finally completed').toBe(true);

      const table: Record<string, number[]> = {};
      for (const g of multi.guilds) {
        const posts = postsByMarker(multi, g.channels[0]!.id);
        table[g.name] = dates.map((d) => posts.get(`paperbot-daily:${g.id}:${d}`) ?? 0);
        expect(posts.size, 'no posts for other dates or servers').toBe(dates.length);
      }
      const recovered = (output.match(/found the post of an interrupted run/g) ?? []).length;
      report(`daily-kills-multi-day kills=${kills} runs=${runs} recovered-after-kill=${recovered} days=${dates.length} servers=3 posts-per-server-per-day=${JSON.stringify(table)}`);
      for (const counts of Object.values(table)) expect(counts).toEqual(Array(dates.length).fill(1));
      expect(kills).toBeGreaterThanOrEqual(5);
    } finally {
      await multi.close();
    }
  });

  it('C: a crash between send and markSent, then 120 messages and an expired nonce before the restart → one post', async () => {
    const busy = await startFakeDiscord({ guilds: [{ name: 'busy', channels: [{ name: 'papers' }] }], timeoutMs: 20_000 });
    const busyDir = tempDir('daily-busy');
    try {
      const channelId = busy.channelId;
      const env = botEnv(busy, busyDir, { DAILY_TIME: '00:00', DAILY_TZ: 'UTC', DAILY_CHANNEL_ID: channelId });
      const today = new Date().toISOString().slice(0, 10);
      const marker = `paperbot-daily:${busy.guildId}:${today}`;
      busy.flood(channelId, 150, { dispatch: false }); // a busy channel: the post will not be on the first page from the attempt on
      // The send reaches Discord (the message exists) but the answer is lost; then the process dies.
      busy.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 'drop-response' });
      const first = spawnBot(env);
      await first.waitForLog((l) => String(l.msg).startsWith('daily: post failed'), 60_000);
      first.kill9();
      await first.exited;
      captured += first.output;
      expect(postsByMarker(busy, channelId).get(marker)).toBe(1);

      // Between the crash and the restart: more than 50 messages, and Discord forgets the nonce.
      busy.flood(channelId, 120, { dispatch: false });
      busy.advanceTime(5 * 60_000 + 60_000);

      const second = spawnBot(env);
      const outcome = await second.waitForLog((l) => l.msg === 'daily: found the post of an interrupted run; marked sent' || l.msg === 'daily: posted', 60_000);
      await sleep(500);
      second.child.kill('SIGTERM');
      await second.exited;
      captured += second.output;
      const reads = busy.requestsTo('GET', /^\/channels\/\d+\/messages$/);
      report(`daily-busy-channel messages-after-crash=120 nonce-expired=yes restart=${String(outcome.msg)} history-reads=${reads.length} posts=${postsByMarker(busy, channelId).get(marker)}`);
      expect(postsByMarker(busy, channelId).get(marker)).toBe(1);
      expect(outcome.msg).toBe('daily: found the post of an interrupted run; marked sent');
    } finally {
      await busy.close();
      rmSync(busyDir, { recursive: true, force: true });
    }
  });

  it('never logs the bot token', () => {
    expectNoSecrets('daily', captured, [FAKE_BOT_TOKEN]);
  });
});
