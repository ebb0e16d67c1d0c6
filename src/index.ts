/**
 * The composition root, and the only place that wires things together:
 * config → logger → state and engine → bot (+ daily post, health endpoint).
 */
import { systemClock } from './clock.js';
import { loadBotConfig, type BotConfig } from './config.js';
import { openEngine } from './engine/open.js';
import { createLogger } from './logger.js';
import { commands } from '../commands/index.js';
import { createBot, createClient } from './bot/client.js';
import { QueryMemory } from './bot/components.js';
import { DailyService } from './bot/daily.js';
import { DiscordDailyPoster } from './bot/discord-poster.js';
import type { Services } from './bot/types.js';
import { startHealthServer } from './health.js';
import { FeedRunner } from './library/feed-runner.js';
import { FeedSchedule } from './library/feed-schedule.js';
import { Library } from './library/library.js';
import { createUpstreamClients, feedSources } from './library/upstream.js';
import { StateError } from './store/db.js';
import { StateStore } from './store/state.js';

let config: BotConfig;
try {
  config = loadBotConfig();
} catch (err) {
  process.stderr.write(`paperbot: ${(err as Error).message}\n`);
  process.exit(2);
}

const logger = createLogger({ level: config.logLevel, pretty: config.logPretty, secrets: [config.discordToken] });
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

let ready = false;
const health = await startHealthServer(config.healthPort, () => ({ ready }));
logger.info({ port: health.port }, 'health endpoint listening');

let state: StateStore;
try {
  state = StateStore.open(config.statePath);
} catch (err) {
  // Never a silent reset: the operator decides what happens to a damaged state file.
  logger.fatal({ err: err instanceof StateError ? undefined : err }, (err as Error).message);
  process.stderr.write(`paperbot: ${(err as Error).message}\n`);
  await health.close();
  process.exit(1);
}

// The collection is the files plus the additions and removals stored in the state database.
const { live } = await openEngine({ config, logger, library: state.library });
const info = live.current().info();
logger.info({ papers: info.papers, mode: info.mode, model: info.model, note: info.modelNote }, 'engine ready');
// New index generations (our own adds, or `paperbot add`/`ingest` in another process) are swapped in.
live.watch(config.indexPollMs);
const engine = live.view();
const upstream = createUpstreamClients(config.upstream, logger);
const library = new Library({ store: state.library, live, arxiv: () => upstream.arxiv, logger });
// FEEDS: read on a schedule (default one hour before DAILY_TIME), ranked against the collection.
const feeds =
  config.feeds.length > 0
    ? new FeedRunner({ sources: feedSources(config.feeds, upstream, systemClock), store: state.feeds, engine: () => live.current(), clock: systemClock, logger })
    : undefined;
const feedSchedule = feeds
  ? new FeedSchedule({ runner: feeds, store: state.feeds, pattern: config.feedsCron, timezone: config.daily.timezone, clock: systemClock, logger })
  : undefined;

// Client first (not logged in), then what needs it, then the bot: no late binding.
const client = createClient({ apiBase: config.discordApiBase });
const daily = new DailyService({
  store: state.daily,
  engine,
  poster: new DiscordDailyPoster(client, logger),
  clock: systemClock,
  logger,
  defaults: config.daily,
  guildIds: () => [...client.guilds.cache.keys()],
  channelInGuild: (channelId, guildId) => {
    const channel = client.channels.cache.get(channelId);
    return !channel || !('guildId' in channel) || channel.guildId === guildId;
  },
});
const services: Services = {
  engine,
  live,
  library,
  state,
  daily,
  queryMemory: new QueryMemory(),
  logger,
  clock: systemClock,
  startedAt: new Date(),
  dailyDefaults: config.daily,
};
const bot = createBot({ client, token: config.discordToken, commands, services, logger });

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  ready = false;
  logger.info({ signal }, 'shutting down: finishing in-flight replies');
  daily.stop();
  feedSchedule?.stop();
  await daily.idle(); // a daily post in flight completes (or is left 'chosen' for the next start)
  await feedSchedule?.idle(); // a feed run stores all of itself or nothing
  await bot.stop().catch((err) => logger.error({ err }, 'error while stopping the bot'));
  await live.close(); // an index build in progress finishes (or is left for the next start)
  state.close();
  await health.close();
  logger.info('bye');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

try {
  await bot.start();
} catch (err) {
  logger.fatal({ err }, 'could not log in to Discord: check DISCORD_TOKEN (and DISCORD_API_BASE if set)');
  state.close();
  await health.close();
  process.exit(1);
}
daily.start();
feedSchedule?.start();
ready = true;
logger.info('paperbot is ready');
