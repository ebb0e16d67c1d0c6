/**
 * The composition root, and the only place that wires things together:
 * config → logger → state and engine → bot (+ daily post, health endpoint).
 */
import { systemClock } from './clock.js';
import { loadBotConfig, type BotConfig } from './config.js';
import { openEngine } from './engine/open.js';
import { isUserFacingError } from './errors.js';
import { createLogger, makeScrubber } from './logger.js';
import { commands } from '../commands/index.js';
import { createBot, createClient } from './bot/client.js';
import { QueryMemory } from './bot/components.js';
import { DailyService } from './bot/daily.js';
import { describeDiscordFailure } from './bot/discord-failure.js';
import { queuedEngine, WorkQueue } from './bot/engine-queue.js';
import { gatewayCheck } from './bot/gateway-health.js';
import { DiscordDailyPoster } from './bot/discord-poster.js';
import type { Services } from './bot/types.js';
import { readiness, startHealthServer, type HealthCheck } from './health.js';
import { ingestInChildProcess } from './engine/ingest-process.js';
import { DailyArrivals } from './library/arrivals.js';
import { FeedRunner } from './library/feed-runner.js';
import { FeedSchedule } from './library/feed-schedule.js';
import { Library } from './library/library.js';
import { createUpstreamClients, feedSources } from './library/upstream.js';
import { Conversations } from './conversation/conversations.js';
import { LlmAnswerer, type GenerativeOptions } from './llm/answerers.js';
import { OpenAiCompatibleLlm } from './llm/openai-compatible.js';
import { StateError } from './store/db.js';
import { StateStore } from './store/state.js';

let config: BotConfig;
try {
  config = loadBotConfig();
} catch (err) {
  process.stderr.write(`paperbot: ${(err as Error).message}\n`);
  process.exit(2);
}

const secrets = [config.discordToken, ...(config.llm?.apiKey ? [config.llm.apiKey] : [])];
const logger = createLogger({ level: config.logLevel, pretty: config.logPretty, secrets });
const scrub = makeScrubber(secrets);
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

/** Resources to release before a fatal exit (the health server once it listens). */
const closeOnExit: Array<() => Promise<void> | void> = [];

/**
 * Every start-up failure ends here: one fatal log line (through the logger, so scrubbed) that says
 * what happened and what to do, the same sentence on stderr, no stack unless it is a bug, and an
 * exit code: 2 = the configuration must change, 1 = anything else (retrying may help).
 */
async function fatal(message: string, code: 1 | 2, fields: Record<string, unknown> = {}): Promise<never> {
  logger.fatal(fields, message);
  process.stderr.write(scrub(`paperbot: ${message}\n`));
  for (const close of closeOnExit.splice(0)) await Promise.resolve(close()).catch(() => undefined);
  process.exit(code);
}
process.on('uncaughtException', (err) => void fatal(`unexpected error: ${err.message}`, 1, { err }));

/**
 * /healthz is 200 only while the process is running (not starting or stopping), the engine answers
 * and the gateway session is live (a dropped, resuming or dead session → 503 until it is back).
 */
let phase: 'starting' | 'running' | 'stopping' = 'starting';
const checks: Record<string, () => HealthCheck> = { process: () => ({ ok: phase === 'running', phase }) };
let health!: Awaited<ReturnType<typeof startHealthServer>>;
try {
  health = await startHealthServer(config.healthPort, readiness(checks));
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'EADDRINUSE' ? 'is in use by another process' : code === 'EACCES' ? 'needs privileges (ports below 1024)' : `cannot be opened (${(err as Error).message})`;
  await fatal(`HEALTH_PORT ${config.healthPort} ${why}: stop that process or set HEALTH_PORT to another port (0 = any free port).`, 2, { code });
}
closeOnExit.push(() => health.close());
logger.info({ port: health.port }, 'health endpoint listening');

let state!: StateStore;
try {
  state = StateStore.open(config.statePath);
} catch (err) {
  // Never a silent reset: the operator decides what happens to a damaged state file.
  await fatal((err as Error).message, 1, err instanceof StateError ? {} : { err });
}
closeOnExit.unshift(() => state.close());

// The collection is the files plus the additions and removals stored in the state database.
// Rebuilds (after /add, /remove or a collection change) of collections this large run as `paperbot
// ingest` in a child process: in-process, a 10k-paper rebuild holds the event loop for up to 1.8 s at
// a time; a smaller one takes less than a child process needs to start.
const REBUILD_IN_CHILD_FROM_PAPERS = 2000;
const externalBuild = { minPapers: REBUILD_IN_CHILD_FROM_PAPERS, run: () => ingestInChildProcess({ logger, timeoutMs: 60 * 60_000 }) };
let live!: Awaited<ReturnType<typeof openEngine>>['live'];
try {
  ({ live } = await openEngine({ config, logger, library: state.library, externalBuild }));
} catch (err) {
  // A missing or unreadable collection file is a UserFacingError that names it; anything else is a bug.
  if (isUserFacingError(err)) await fatal(`cannot load the paper collection: ${err.message}`, 2);
  await fatal(`cannot open the search engine: ${(err as Error).message}`, 1, { err });
}
closeOnExit.unshift(() => live.close());
const info = live.current().info();
logger.info({ papers: info.papers, mode: info.mode, model: info.model, note: info.modelNote }, 'engine ready');
checks.engine = () => {
  const now = live.current().info();
  return { ok: now.papers > 0, papers: now.papers, mode: now.mode };
};
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
const client = createClient({ apiBase: config.discordApiBase, messageContent: config.chat.messageContent });
checks.gateway = gatewayCheck(client);
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
  // "New today": the best new feed arrivals, chosen with the picks in the same claim.
  ...(feeds && config.dailyNewCount > 0
    ? { arrivals: new DailyArrivals({ feeds: state.feeds, engine: () => live.current(), count: config.dailyNewCount, clock: systemClock, logger }) }
    : {}),
});
// Interactions are acknowledged before any search runs: engine work waits its turn (engine-queue.ts).
const workQueue = new WorkQueue({ logger });
const services: Services = {
  engine: queuedEngine(engine, workQueue),
  // Each interaction takes the engine current when it starts (through the same queue).
  live: { current: () => queuedEngine(live.current(), workQueue) },
  library,
  state,
  daily,
  queryMemory: new QueryMemory(),
  logger,
  clock: systemClock,
  startedAt: new Date(),
  dailyDefaults: config.daily,
};
// Chat: mentions, DMs and thread follow-ups talk to the conversation brain; an LLM (LLM_*) writes ask-type answers.
let generative: GenerativeOptions | undefined;
try {
  generative = config.llm
    ? { llm: OpenAiCompatibleLlm.create({ baseUrl: config.llm.baseUrl, model: config.llm.model, ...(config.llm.apiKey ? { apiKey: config.llm.apiKey } : {}), timeoutMs: config.llm.timeoutMs }), timeoutMs: config.llm.timeoutMs }
    : undefined;
} catch (err) {
  const message = (err as Error).message;
  await fatal(message.includes('LLM_BASE_URL') ? message : `LLM_BASE_URL: ${message}`, 2);
}
const conversations = new Conversations({
  engine: services.engine, // the engine the commands use
  store: state.conversations,
  idleMs: config.chat.idleMs,
  clock: systemClock,
  onError: (err, context) => logger.error({ err, ...context }, 'conversation failed'),
  ...(generative ? { answerer: new LlmAnswerer(generative) } : {}),
});
conversations.warm();
logger.info({ messageContent: config.chat.messageContent, idleMinutes: config.chat.idleMs / 60_000, llm: config.llm ? { model: config.llm.model, timeoutMs: config.llm.timeoutMs } : null }, 'chat ready');
services.chat = { conversations, messageContent: config.chat.messageContent };
if (generative) services.llm = generative;
const bot = createBot({
  client,
  token: config.discordToken,
  commands,
  services,
  logger,
  chat: { brain: conversations, threads: state.chatThreads, contentIntent: config.chat.messageContent, generative: Boolean(generative) },
  onArrival: (id) => workQueue.interactionArrived(id),
  onAcknowledged: (id) => workQueue.interactionAcknowledged(id),
});

let shuttingDown = false;
/** At start-up the daily catch-up waits at most this long for the first feed run. */
const STARTUP_FEED_WAIT_MS = 60_000;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  phase = 'stopping';
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
  const failure = describeDiscordFailure(err, { action: 'log in to Discord', apiBase: config.discordApiBase });
  // A rejected token needs a new setting; a network failure may pass with a restart.
  await fatal(failure.message, failure.kind === 'invalid-token' ? 2 : 1, {
    kind: failure.kind,
    code: failure.code,
    ...(failure.kind === 'unknown' ? { err } : {}),
  });
}
phase = 'running';
logger.info('paperbot is ready');
// A feed run due at start-up goes first (bounded), so a daily post caught up now has its arrivals.
feedSchedule?.start();
if (feedSchedule) await Promise.race([feedSchedule.idle(), new Promise((resolve) => setTimeout(resolve, STARTUP_FEED_WAIT_MS).unref())]);
if (!shuttingDown) daily.start();
