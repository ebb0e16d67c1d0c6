/**
 * Interaction → callback latency of the bot over the fake Discord (loopback
 * only), 200 interactions of each kind, sequential, plus one concurrent burst;
 * and chat: a mention → the answer in the thread opened on it, a follow-up in a
 * thread, a DM → its answer (compute, thread creation and sends included).
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
import { Conversations } from '../src/conversation/conversations.js';
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
const conversations = new Conversations({ engine, store: state.conversations, clock: systemClock });
conversations.warm();
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
    chat: { conversations, messageContent: false },
  },
  chat: { brain: conversations, threads: state.chatThreads, contentIntent: false, generative: false },
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

  // Chat: from the message's dispatch to the bot's answer stored (its POST answered), compute included.
  // Questions are made from the collection's own titles, so any collection works.
  /** When the first POST to `path` made from request number `from` on was answered. */
  async function answered(path: RegExp, from: number): Promise<number> {
    for (;;) {
      for (let i = from; i < fake.requests.length; i++) {
        const r = fake.requests[i]!;
        if (r.method === 'POST' && r.status !== undefined && path.test(r.path)) return performance.now();
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  const topics = engine.papers.map((p) => p.title.split(/[^\p{L}\p{N}-]+/u).filter((w) => w.length > 3).slice(0, 3).join(' ')).filter(Boolean);
  const topic = (i: number) => topics[i % topics.length]!;
  const forms = [(t: string) => `anything on ${t}?`, (t: string) => `what is ${t} about?`, (t: string) => `tell me about ${t}`];
  const question = (i: number) => forms[i % forms.length]!(topic(i));
  const chatUser = (i: number) => ({ id: String(500000000000000000n + BigInt(i)), username: `bench${i}` });
  let n = 0;

  const mention: number[] = [];
  const followUp: number[] = [];
  const dm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const from = fake.requests.length;
    const m = fake.userMessage({ author: chatUser(n++), mentionsBot: true, content: question(i) });
    await answered(new RegExp(`^/channels/${m.id}/messages$`), from);
  }
  for (let i = 0; i < count; i++) {
    const author = chatUser(n++);
    let from = fake.requests.length;
    const t0 = performance.now();
    const m = fake.userMessage({ author, mentionsBot: true, content: question(i) });
    mention.push((await answered(new RegExp(`^/channels/${m.id}/messages$`), from)) - t0);
    // The follow-up in that thread ("it" = the paper of the first answer).
    from = fake.requests.length;
    const t1 = performance.now();
    fake.userMessage({ channelId: m.id, author, mentionsBot: true, content: i % 2 ? 'does it have code?' : 'who wrote it?' });
    followUp.push((await answered(new RegExp(`^/channels/${m.id}/messages$`), from)) - t1);
  }
  for (let i = 0; i < count; i++) {
    const user = chatUser(n++);
    const from = fake.requests.length;
    const t0 = performance.now();
    const m = fake.dm({ userId: user.id, username: user.username, content: question(i + 7) });
    dm.push((await answered(new RegExp(`^/channels/${m.channel_id}/messages$`), from)) - t0);
  }
  // The same questions answered by the conversation brain alone (no Discord), for comparison.
  const brainOnly: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await conversations.reply(`bench-brain-${i}`, question(i));
    brainOnly.push(performance.now() - t0);
  }
  report('mention → answer in a new thread', mention);
  report('follow-up in the thread → answer', followUp);
  report('DM → answer', dm);
  report('(the brain alone, same questions)', brainOnly);
} finally {
  await bot.stop();
  await fake.close();
  state.close();
  rmSync(dir, { recursive: true, force: true });
}
