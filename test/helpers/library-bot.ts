/**
 * The bot in-process, wired like src/index.ts for the living collection: the real engine over
 * data/papers.txt (lexical, or a given embedder) behind a LiveEngine that watches INDEX_DIR, a real
 * StateStore, the Library over a fake arXiv, the real commands, logged in to a fake Discord.
 */
import path from 'node:path';
import { deployCommands } from '../../scripts/deploy-commands.js';
import { commands } from '../../commands/index.js';
import { createBot, createClient, type Bot } from '../../src/bot/client.js';
import { QueryMemory } from '../../src/bot/components.js';
import type { Services } from '../../src/bot/types.js';
import { systemClock } from '../../src/clock.js';
import { loadCoreConfig, type CoreConfig } from '../../src/config.js';
import type { Embedder } from '../../src/embedding/types.js';
import type { LiveEngine } from '../../src/engine/live.js';
import { openEngine } from '../../src/engine/open.js';
import { Library } from '../../src/library/library.js';
import { createUpstreamClients } from '../../src/library/upstream.js';
import { StateStore } from '../../src/store/state.js';
import type { FakeDiscord } from '../fake-discord/index.js';
import { capturedLogger } from './captured-logger.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const PAPERS_TXT = path.join(ROOT, 'data/papers.txt');
export const TOKEN = 'library-bot-token-000000000000';

export interface LibraryBot {
  bot: Bot;
  live: LiveEngine;
  state: StateStore;
  library: Library;
  config: CoreConfig;
  logText(): string;
  stop(): Promise<void>;
}

/** The environment the bot and a CLI beside it share (same collection file, index and state). */
export function sharedEnv(dir: string, arxivBase: string): Record<string, string> {
  return {
    PAPERS_PATH: PAPERS_TXT,
    INDEX_DIR: path.join(dir, 'index'),
    STATE_PATH: path.join(dir, 'state.sqlite'),
    EMBEDDING_MODEL: 'none',
    ARXIV_API_BASE: arxivBase,
    ARXIV_MIN_INTERVAL_MS: '0',
    UPSTREAM_RETRIES: '1',
    LOG_LEVEL: 'warn',
  };
}

export async function startLibraryBot(fake: FakeDiscord, dir: string, arxivBase: string, opts: { embedder?: Embedder | null; pollMs?: number } = {}): Promise<LibraryBot> {
  const { logger, text: logText } = capturedLogger([TOKEN]);
  const config = loadCoreConfig(sharedEnv(dir, arxivBase), ROOT);
  const state = StateStore.open(config.statePath);
  const { live } = await openEngine({ config, logger, library: state.library, embedder: opts.embedder ?? null });
  live.watch(opts.pollMs ?? 500);
  const upstream = createUpstreamClients(config.upstream, logger);
  const library = new Library({ store: state.library, live, arxiv: () => upstream.arxiv, logger });
  await deployCommands({ token: TOKEN, appId: fake.appId, guildId: fake.guildId, apiBase: fake.apiBase, commands });
  const services: Services = {
    engine: live.view(),
    live,
    library,
    state,
    daily: { todaysPicks: () => [], reschedule: () => undefined },
    queryMemory: new QueryMemory(),
    logger,
    clock: systemClock,
    startedAt: new Date(),
    dailyDefaults: { channelId: null, time: '09:00', timezone: 'UTC', count: 3 },
  };
  const bot = createBot({ client: createClient({ clientOptions: fake.clientOptions() }), token: TOKEN, commands, services, logger });
  await bot.start();
  return {
    bot,
    live,
    state,
    library,
    config,
    logText,
    stop: async () => {
      await bot.stop();
      await live.close();
      state.close();
    },
  };
}
