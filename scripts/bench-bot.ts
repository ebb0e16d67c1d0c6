/**
 * Interaction → callback latency of the bot over the fake Discord (loopback
 * only), 200 interactions of each kind, sequential, plus one concurrent burst.
 *   npx tsx scripts/bench-bot.ts [count=200]
 * Uses the real engine in lexical mode over data/papers.txt (`--fake-engine`
 * for the tiny fake one, to see the bot + discord.js + REST path alone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { commands } from '../commands/index.js';
import { createBot, createClient } from '../src/bot/client.js';
import { QueryMemory } from '../src/bot/components.js';
import { systemClock } from '../src/clock.js';
import { StateStore } from '../src/store/state.js';
import { startFakeDiscord, type InteractionExchange } from '../test/fake-discord/index.js';
import { createFakeEngine } from '../test/helpers/fake-engine.js';
import { loadCollection } from '../src/collection/load.js';
import { PaperEngine } from '../src/engine/engine.js';
import { deployCommands } from './deploy-commands.js';
import { summary } from './lib/stats.js';

const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 200);
const TOKEN = 'bench-token-000000000000000000';

function report(label: string, samples: number[]): void {
  const s = summary(samples);
  console.log(`${label.padEnd(34)} n=${s.n}  p50=${s.p50.toFixed(1)} ms  p99=${s.p99.toFixed(1)} ms  max=${s.max.toFixed(1)} ms`);
}

const dir = mkdtempSync(join(tmpdir(), 'paperbot-bench-'));
const fake = await startFakeDiscord({ timeoutMs: 10_000 });
const state = StateStore.open(join(dir, 'state.db'));
const useFake = process.argv.includes('--fake-engine');
const engine = useFake
  ? createFakeEngine()
  : new PaperEngine({ papers: (await loadCollection([join(import.meta.dirname ?? '.', '../data/papers.txt')])).papers });
const logger = pino({ level: 'warn' });
const bot = createBot({
  client: createClient({ clientOptions: fake.clientOptions() }),
  token: TOKEN,
  commands,
  logger,
  services: {
    engine,
    state,
    daily: { todaysPicks: () => engine.picks('x', 3, []), reschedule: () => undefined },
    queryMemory: new QueryMemory(),
    logger,
    clock: systemClock,
    startedAt: new Date(),
    dailyDefaults: { channelId: null, time: '09:00', timezone: 'UTC', count: 3 },
  },
});

try {
  await deployCommands({ token: TOKEN, appId: fake.appId, guildId: fake.guildId, apiBase: fake.apiBase, commands });
  await bot.start();
  let user = 300000000000000000n;
  const nextUser = () => ({ userId: String(++user) }); // a new user each time: the cooldown must not interfere

  async function timed(make: () => InteractionExchange, final: boolean): Promise<number> {
    const t0 = performance.now();
    const ex = make();
    await ex.callback;
    if (final) await ex.waitForFinal();
    return performance.now() - t0;
  }

  // Warm-up (JIT, connection pool).
  for (let i = 0; i < 20; i++) await timed(() => fake.slashCommand('find', { query: 'patch tokens' }, nextUser()), true);

  const about: number[] = [];
  const findAck: number[] = [];
  const findFinal: number[] = [];
  const auto: number[] = [];
  for (let i = 0; i < count; i++) about.push(await timed(() => fake.slashCommand('about', {}, nextUser()), false));
  for (let i = 0; i < count; i++) findAck.push(await timed(() => fake.slashCommand('find', { query: `patch tokens ${i}` }, nextUser()), false));
  for (let i = 0; i < count; i++) findFinal.push(await timed(() => fake.slashCommand('find', { query: `video language ${i}` }, nextUser()), true));
  for (let i = 0; i < count; i++) auto.push(await timed(() => fake.autocomplete('paper', 'paper', 'pat', {}, nextUser()), false));

  const burstStart = performance.now();
  const burst = await Promise.all(Array.from({ length: 50 }, () => timed(() => fake.slashCommand('find', { query: 'patch' }, nextUser()), true)));
  const burstWall = performance.now() - burstStart;

  console.log(`bot latency over the fake Discord (loopback), ${useFake ? 'fake engine' : `real engine (${engine.mode}, ${engine.papers.length} papers)`}, node ${process.version}`);
  report('/about → reply callback', about);
  report('/find → defer callback', findAck);
  report('/find → final results (edit)', findFinal);
  report('autocomplete → choices', auto);
  report('50 concurrent /find → final', burst);
  console.log(`50 concurrent /find wall time: ${burstWall.toFixed(0)} ms`);
} finally {
  await bot.stop();
  await fake.close();
  state.close();
  rmSync(dir, { recursive: true, force: true });
}
