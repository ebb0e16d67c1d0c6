/**
 * Acknowledge before computing (src/bot/engine-queue.ts): engine work runs one job per turn of the
 * event loop and waits while interactions stream in, so an interaction that arrives while searches
 * are queued is acknowledged after at most one of them, not after all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { deployCommands } from '../../scripts/deploy-commands.js';
import { createBot, createClient, type Bot } from '../../src/bot/client.js';
import { QueryMemory } from '../../src/bot/components.js';
import { BUSY_MESSAGE, WorkQueue, queuedEngine } from '../../src/bot/engine-queue.js';
import type { Services } from '../../src/bot/types.js';
import { fixedClock } from '../../src/clock.js';
import type { Engine } from '../../src/engine/types.js';
import { UserFacingError } from '../../src/errors.js';
import { StateStore } from '../../src/store/state.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { createFakeEngine } from '../helpers/fake-engine.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Holds the thread, as a search does. */
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* compute */
  }
};

describe('WorkQueue', () => {
  it('runs jobs in order, one per turn of the event loop: what arrives in between goes first', async () => {
    const queue = new WorkQueue();
    const order: string[] = [];
    const jobs = [1, 2, 3].map((n) =>
      queue.run(() => {
        order.push(`job${n}`);
        if (n === 1) setTimeout(() => order.push('arrived during job1'), 0);
        busy(5);
        return n;
      }),
    );
    expect(await Promise.all(jobs)).toEqual([1, 2, 3]);
    expect(order).toEqual(['job1', 'arrived during job1', 'job2', 'job3']);
  });

  it('holds jobs while interactions keep arriving (up to maxHoldMs), then runs them', async () => {
    const queue = new WorkQueue({ quietMs: 100, maxHoldMs: 2000 });
    let ran = false;
    const storm = setInterval(() => queue.interactionArrived(), 5);
    queue.interactionArrived();
    const done = queue.run(() => (ran = true));
    await sleep(150);
    expect(ran).toBe(false); // interactions keep coming: held
    clearInterval(storm);
    await done; // quiet: it runs
    expect(ran).toBe(true);
    // Under a storm that never stops, the hold is capped.
    const capped = new WorkQueue({ quietMs: 100, maxHoldMs: 150 });
    const endless = setInterval(() => capped.interactionArrived(), 5);
    capped.interactionArrived();
    const t0 = performance.now();
    await capped.run(() => undefined);
    clearInterval(endless);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('holds jobs while arrived interactions are not yet acknowledged (expiring after 3 s)', async () => {
    const queue = new WorkQueue({ quietMs: 0, maxHoldMs: 10_000 });
    let ran = false;
    queue.interactionArrived('1');
    queue.interactionArrived('2');
    const done = queue.run(() => (ran = true));
    await sleep(50);
    queue.interactionAcknowledged('1');
    await sleep(50);
    expect(ran).toBe(false);
    queue.interactionAcknowledged('2');
    await done;
    expect(ran).toBe(true);
  });

  it("a failing job rejects only its own caller; a full queue refuses with a 'busy' UserFacingError", async () => {
    const queue = new WorkQueue({ maxQueued: 2 });
    const bad = queue.run(() => Promise.reject(new Error('boom')));
    const good = queue.run(() => 'ok');
    const refused = queue.run(() => 'never').catch((e: unknown) => e);
    await expect(bad).rejects.toThrow('boom');
    await expect(good).resolves.toBe('ok');
    const err = await refused;
    expect(err).toBeInstanceOf(UserFacingError);
    expect((err as Error).message).toBe(BUSY_MESSAGE);
  });

  it('queuedEngine queues find/similar/ask and passes the cheap calls straight through', async () => {
    const inner = createFakeEngine({});
    const queue = new WorkQueue();
    const engine = queuedEngine(inner, queue);
    expect(engine.suggest('nirv', 5)).toEqual(inner.suggest('nirv', 5));
    expect(engine.paper(inner.papers[0]!.id)).toBe(inner.papers[0]);
    expect(engine.info()).toEqual(inner.info());
    expect(engine.mode).toBe(inner.mode);
    const before = queue.stats.run;
    await engine.find('video');
    await engine.similar(inner.papers[0]!.id);
    await engine.ask('What is NIRVANA?');
    expect(queue.stats.run - before).toBe(3);
  });
});

describe('through the fake Discord', () => {
  let fake: FakeDiscord | undefined;
  let bot: Bot | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await bot?.stop();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the router tells the queue of each arrival before handling it; searches wait for a quiet moment, then all answer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperbot-ack-'));
    const state = StateStore.open(join(dir, 'state.db'));
    fake = await startFakeDiscord();
    await deployCommands({ token: 'fake-token-ack-0000000000', appId: fake.appId, guildId: fake.guildId, apiBase: fake.apiBase, commands });
    const inner = createFakeEngine({});
    const events: string[] = [];
    const engine: Engine = {
      ...inner,
      papers: inner.papers,
      mode: inner.mode,
      find: async (q, o) => {
        events.push('search');
        busy(20);
        return inner.find(q, o);
      },
    };
    const queue = new WorkQueue();
    const logger = pino({ level: 'silent' });
    const services: Services = {
      engine: queuedEngine(engine, queue),
      state,
      daily: { todaysPicks: () => [], reschedule: () => undefined },
      queryMemory: new QueryMemory(),
      logger,
      clock: fixedClock('2026-03-01T10:00:00Z'),
      startedAt: new Date(),
      dailyDefaults: { channelId: null, time: '09:00', timezone: 'UTC', count: 3 },
    };
    const onArrival = (id: string) => {
      events.push('arrived');
      queue.interactionArrived(id);
    };
    bot = createBot({ client: createClient({ clientOptions: fake.clientOptions() }), token: 'fake-token-ack-0000000000', commands, services, logger, onArrival, onAcknowledged: (id) => queue.interactionAcknowledged(id) });
    await bot.start();
    let user = 300000000000000000n;
    const exchanges = Array.from({ length: 8 }, (_, i) => fake!.slashCommand(i % 2 ? 'about' : 'find', i % 2 ? {} : { query: `video ${i}` }, { userId: String(++user) }));
    const finals = await Promise.all(exchanges.map((ex) => ex.waitForFinal()));
    state.close();
    expect(finals.every((m) => m.embeds.length > 0)).toBe(true);
    // All eight were taken in (and acknowledged) before the first search ran.
    expect(events.slice(0, 8)).toEqual(Array(8).fill('arrived'));
    expect(events.filter((e) => e === 'search')).toHaveLength(4);
  });
});
