/**
 * Fault 3: 1000 interactions in a burst against the real bot process (`src/index.ts`)
 * over the fake Discord, with 3 gateway drops in the middle, on a loaded machine: a sibling
 * process busy-loops one core throughout (FAULTS_BURST_LOADERS=n for n of them; 0 = none).
 * Every interaction is answered or cleanly failed (ephemeral), none hangs, the bot is healthy
 * afterwards, and every acknowledgement (defer, reply, autocomplete answer) reaches Discord
 * in time: none over 3 s (Discord's limit: "The application did not respond"), p99 ≤ 1 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { deployCommands } from '../../scripts/deploy-commands.js';
import { startFakeDiscord, type FakeDiscord, type InteractionExchange } from '../fake-discord/index.js';
import { pool, settle, type Settled } from './harness.js';
import { FAKE_BOT_TOKEN, botEnv, expectNoSecrets, percentile, report, sleep, spawnReadyBot, stopBot, tempDir, type Proc } from './support.js';

const TOTAL = 1000;
const DEADLINE_MS = 30_000;
const LOADERS = Number(process.env.FAULTS_BURST_LOADERS ?? 1);
const loaders: ChildProcess[] = [];
let fake: FakeDiscord;
let bot: Proc;
let healthPort: number;
let dir: string;
const interactionTokens: string[] = [];

beforeAll(async () => {
  fake = await startFakeDiscord({ timeoutMs: DEADLINE_MS });
  await deployCommands({ token: FAKE_BOT_TOKEN, appId: fake.appId, guildId: fake.guildId, apiBase: fake.apiBase, commands });
  dir = tempDir('burst');
  // The reviewer's machine is loaded: so is this test's. Each sibling spins one core until killed.
  for (let i = 0; i < LOADERS; i++) loaders.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  ({ bot, healthPort } = await spawnReadyBot(botEnv(fake, dir, { DAILY_TIME: '23:59' })));
});
afterAll(async () => {
  await stopBot(bot);
  await fake?.close();
  for (const l of loaders) l.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const QUERIES = ['diffusion video generation', 'reinforcement learning agents', 'long context language models', 'vision transformer tokens', 'speech recognition', 'mixture of experts'];

describe('a burst of 1000 interactions with gateway drops', () => {
  it('answers every one, none hangs, and stays healthy', async () => {
    let userSeq = 500000000000000000n;
    // Every interaction from a new user: the per-user cooldown (5 per 10 s) is not what is tested here.
    const user = () => ({ userId: String(++userSeq) });
    const kinds = ['find', 'find', 'find', 'about', 'autocomplete', 'autocomplete', 'ask', 'similar', 'paper', 'today'] as const;
    const send = (i: number): InteractionExchange => {
      const q = QUERIES[i % QUERIES.length]!;
      switch (kinds[i % kinds.length]!) {
        case 'find':
          return fake.slashCommand('find', { query: `${q} ${i % 7}` }, user());
        case 'about':
          return fake.slashCommand('about', {}, user());
        case 'autocomplete':
          return fake.autocomplete('paper', 'paper', q.slice(0, 3 + (i % 5)), {}, user());
        case 'ask':
          return fake.slashCommand('ask', { question: `What is used for ${q}?` }, user());
        case 'similar':
          return fake.slashCommand('similar', { paper: q }, user());
        case 'paper':
          return fake.slashCommand('paper', { paper: q }, user());
        case 'today':
          return fake.slashCommand('today', {}, user());
      }
    };

    const rssBefore = bot.peakRssMb();
    const results: Settled[] = new Array(TOTAL);
    const reconnectsBefore = fake.gateway.resumes + fake.gateway.identifies;
    const drops = new Set([250, 500, 750]);
    let dropped = 0;
    const started = performance.now();
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, bot.peakRssMb())), 200);
    // The burst: dispatched 100 at a time, 100 ms apart (about 1000 interactions/s), all in flight together.
    const pending: Promise<void>[] = [];
    for (let i = 0; i < TOTAL; i++) {
      if (drops.has(i)) {
        // A drop only bites a connected client: let the previous drop's reconnect finish first.
        const deadline = Date.now() + 15_000;
        while (fake.gateway.resumes + fake.gateway.identifies < reconnectsBefore + dropped && Date.now() < deadline) await sleep(20);
        fake.dropGateway(i === 500 ? 'abnormal' : 4000);
        dropped++;
      }
      const t0 = performance.now();
      const ex = send(i);
      interactionTokens.push(ex.token);
      pending.push(settle(ex, DEADLINE_MS, t0).then((s) => void (results[i] = s)));
      if (i % 100 === 99) await sleep(100);
    }
    await Promise.all(pending);
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, bot.peakRssMb());

    const errorTexts = [...new Set(results.filter((r) => r.outcome === 'error').map((r) => r.errorText))];
    if (errorTexts.length) console.log(`error notices during the burst:\n  ${errorTexts.join('\n  ')}`);
    const hung = results.filter((r) => r.outcome === 'hung').length;
    const publicErrors = results.filter((r) => r.publicError !== undefined).map((r) => r.publicError);
    const outcomes = results.reduce<Record<string, number>>((acc, r) => ((acc[r.outcome] = (acc[r.outcome] ?? 0) + 1), acc), {});
    const cb = results.map((r) => r.callbackMs).filter((x) => Number.isFinite(x));
    const fin = results.map((r) => r.finalMs).filter((x) => Number.isFinite(x));

    // Healthy afterwards: a new /find gets results, and the health endpoint says ready.
    const after = fake.slashCommand('find', { query: 'diffusion' }, user());
    interactionTokens.push(after.token);
    const afterSettled = await settle(after, DEADLINE_MS);
    const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);

    report(
      `burst loaders=${LOADERS} interactions=${TOTAL} gateway-drops=${drops.size} reconnects=${fake.gateway.resumes + fake.gateway.identifies - reconnectsBefore} outcomes=${JSON.stringify(outcomes)} ` +
        `hung=${hung} public-errors=${publicErrors.length} callback-p50=${percentile(cb, 50).toFixed(0)}ms callback-p99=${percentile(cb, 99).toFixed(0)}ms ` +
        `final-p50=${percentile(fin, 50).toFixed(0)}ms final-p99=${percentile(fin, 99).toFixed(0)}ms wall=${(wallMs / 1000).toFixed(1)}s throughput=${(TOTAL / (wallMs / 1000)).toFixed(0)}/s over-3s-callbacks=${cb.filter((x) => x > 3000).length} ` +
        `bot-peak-rss=${peakRss.toFixed(0)}MB (before burst ${rssBefore.toFixed(0)}MB) health-after=${health.status}`,
    );
    expect(hung).toBe(0);
    expect(publicErrors).toEqual([]);
    expect(outcomes.ok ?? 0, 'most interactions get a real answer').toBeGreaterThan(TOTAL * 0.6);
    // Each drop was followed by a resume (or a fresh identify).
    expect(fake.gateway.resumes + fake.gateway.identifies - reconnectsBefore).toBeGreaterThanOrEqual(drops.size);
    expect(afterSettled.outcome).toBe('ok');
    expect(health.status).toBe(200);
    expect(bot.exitInfo).toBeNull();
    // Acknowledged in time, even on a loaded machine: nothing for Discord to call "did not respond".
    expect(cb.length).toBe(TOTAL);
    expect(cb.filter((x) => x > 3000).length, 'callbacks over 3 s').toBe(0);
    expect(percentile(cb, 99), 'callback p99 (ms)').toBeLessThanOrEqual(1000);
  });

  it('never logs the bot token or an interaction token', () => {
    expectNoSecrets('burst', bot.output, [FAKE_BOT_TOKEN, ...interactionTokens]);
  });
});
