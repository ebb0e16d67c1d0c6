/**
 * The bot in-process, wired like src/index.ts (real engine in lexical mode over
 * data/papers.txt, real StateStore, DailyService + DiscordDailyPoster, the scrubbing
 * logger), logged in to a fake Discord. Every log line is kept for the leak check.
 */
import path from 'node:path';
import { deployCommands } from '../../scripts/deploy-commands.js';
import { commands } from '../../commands/index.js';
import { createBot, createClient, type Bot } from '../../src/bot/client.js';
import { QueryMemory } from '../../src/bot/components.js';
import { DailyService } from '../../src/bot/daily.js';
import { DiscordDailyPoster } from '../../src/bot/discord-poster.js';
import type { Services } from '../../src/bot/types.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { loadCoreConfig } from '../../src/config.js';
import { openEngine } from '../../src/engine/open.js';
import type { DailyDefaults } from '../../src/store/daily-store.js';
import { StateStore } from '../../src/store/state.js';
import type { FakeDiscord, InteractionExchange, Json } from '../fake-discord/index.js';
import { capturedLogger } from '../helpers/captured-logger.js';
import { FAKE_BOT_TOKEN, PAPERS_TXT, repoRoot } from './support.js';

export interface InProcessBot {
  bot: Bot;
  state: StateStore;
  daily: DailyService;
  services: Services;
  /** Everything the logger wrote (already scrubbed, as it would reach stdout). */
  logText(): string;
  stop(): Promise<void>;
}

export async function startInProcessBot(fake: FakeDiscord, dir: string, opts: { clock?: Clock; defaults?: Partial<DailyDefaults> } = {}): Promise<InProcessBot> {
  const { logger, text: logText } = capturedLogger([FAKE_BOT_TOKEN]);
  const config = loadCoreConfig({ PAPERS_PATH: PAPERS_TXT, INDEX_DIR: path.join(dir, 'index'), EMBEDDING_MODEL: 'none' }, repoRoot);
  const { engine } = await openEngine({ config, logger });
  const state = StateStore.open(path.join(dir, 'state.sqlite'));
  const clock = opts.clock ?? systemClock;
  const dailyDefaults: DailyDefaults = { channelId: fake.channelId, time: '09:00', timezone: 'UTC', count: 3, ...opts.defaults };
  await deployCommands({ token: FAKE_BOT_TOKEN, appId: fake.appId, guildId: fake.guildId, apiBase: fake.apiBase, commands });
  const client = createClient({ clientOptions: fake.clientOptions() });
  const daily = new DailyService({
    store: state.daily,
    engine,
    poster: new DiscordDailyPoster(client, logger),
    clock,
    logger,
    defaults: dailyDefaults,
    guildIds: () => [...client.guilds.cache.keys()],
  });
  const services: Services = { engine, state, daily, queryMemory: new QueryMemory(), logger, clock, startedAt: new Date(), dailyDefaults };
  const bot = createBot({ client, token: FAKE_BOT_TOKEN, commands, services, logger });
  await bot.start();
  return {
    bot,
    state,
    daily,
    services,
    logText,
    stop: async () => {
      daily.stop();
      await bot.stop();
      state.close();
    },
  };
}

export interface Settled {
  /** ok: a visible answer; error: an error notice; autocomplete: choices; hung: nothing within the deadline. */
  outcome: 'ok' | 'error' | 'autocomplete' | 'hung';
  /** Dispatch → callback. */
  callbackMs: number;
  /** Dispatch → final answer (or error). */
  finalMs: number;
  /** Error notices that were not ephemeral (must be none). */
  publicError?: string;
  /** The error notice's text, when outcome is 'error'. */
  errorText?: string;
}

const EPHEMERAL = 64;
const LOADING = 128;

/**
 * Waits until the exchange has settled: its callback, and for a deferred reply the final
 * message or an error follow-up. An answer with text but no embeds counts as an error notice
 * (every successful answer of paperbot is an embed) and must be ephemeral.
 */
export async function settle(ex: InteractionExchange, deadlineMs: number, dispatchedAt = performance.now()): Promise<Settled> {
  const end = dispatchedAt + deadlineMs;
  let callbackMs = NaN;
  try {
    await ex.callback;
    callbackMs = performance.now() - dispatchedAt;
  } catch {
    return { outcome: 'hung', callbackMs: NaN, finalMs: NaN };
  }
  const cb = ex.callbackBody!;
  if (cb.type === 8) return { outcome: 'autocomplete', callbackMs, finalMs: callbackMs };
  const visible = (): Json | undefined => {
    if (ex.followUps.length > 0) return ex.followUps.at(-1);
    const f = ex.final();
    if (f && !(f.flags & LOADING)) return f as unknown as Json;
    if (cb.type === 4 || cb.type === 7) return { ...cb.data, flags: cb.data?.flags ?? 0 };
    return undefined;
  };
  // Woken by the fake on every change of this interaction: no polling, so a burst of 1000 waiters
  // does not load the process that also plays Discord (and skew what it measures).
  const msg = await ex.waitUntil(visible, 'a visible answer', Math.max(0, end - performance.now())).catch(() => undefined);
  if (!msg) return { outcome: 'hung', callbackMs, finalMs: NaN };
  const finalMs = performance.now() - dispatchedAt;
  const hasEmbeds = Array.isArray(msg.embeds) && msg.embeds.length > 0;
  if (hasEmbeds) return { outcome: 'ok', callbackMs, finalMs };
  const ephemeral = (Number(msg.flags ?? 0) & EPHEMERAL) === EPHEMERAL;
  return { outcome: 'error', callbackMs, finalMs, errorText: String(msg.content ?? '').slice(0, 160), publicError: ephemeral ? undefined : String(msg.content ?? '').slice(0, 120) };
}

/** Bodies the bot sent that carry a message (content/embeds), with where they went. */
export function botMessageBodies(fake: FakeDiscord): Array<{ path: string; body: Json }> {
  const out: Array<{ path: string; body: Json }> = [];
  for (const r of fake.requests) {
    if (r.method !== 'POST' && r.method !== 'PATCH') continue;
    if (!/^\/(interactions|webhooks|channels)\//.test(r.path) || !r.body) continue;
    if (/\/threads$/.test(r.path)) continue;
    const body: Json = /\/callback$/.test(r.path) ? (r.body.data ?? {}) : r.body;
    if (body.content === undefined && body.embeds === undefined) continue;
    out.push({ path: r.path.replace(/\/[A-Za-z0-9_.-]{30,}/g, '/<token>'), body });
  }
  return out;
}

/** Runs `tasks` with at most `n` in flight. */
export async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}
