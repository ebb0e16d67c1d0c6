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

const logger = createLogger({ level: config.logLevel, pretty: config.logPretty, secrets: [config.discordToken, ...(config.llm?.apiKey ? [config.llm.apiKey] : [])] });
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

const { engine } = await openEngine({ config, logger });
const info = engine.info();
logger.info({ papers: info.papers, mode: info.mode, model: info.model, note: info.modelNote }, 'engine ready');

// Client first (not logged in), then what needs it, then the bot: no late binding.
const client = createClient({ apiBase: config.discordApiBase, messageContent: config.chat.messageContent });
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
  logger.fatal(`LLM_BASE_URL: ${(err as Error).message}`);
  process.stderr.write(`paperbot: LLM_BASE_URL: ${(err as Error).message}\n`);
  process.exit(2);
}
const conversations = new Conversations({
  engine: services.engine, // the engine the commands use
  store: state.conversations,
  clock: systemClock,
  onError: (err, context) => logger.error({ err, ...context }, 'conversation failed'),
  ...(generative ? { answerer: new LlmAnswerer(generative) } : {}),
});
conversations.warm();
logger.info({ messageContent: config.chat.messageContent, llm: config.llm ? { model: config.llm.model, timeoutMs: config.llm.timeoutMs } : null }, 'chat ready');
services.chat = { conversations, messageContent: config.chat.messageContent };
if (generative) services.llm = generative;
const bot = createBot({
  client,
  token: config.discordToken,
  commands,
  services,
  logger,
  chat: { brain: conversations, threads: state.chatThreads, contentIntent: config.chat.messageContent, generative: Boolean(generative) },
});

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  ready = false;
  logger.info({ signal }, 'shutting down: finishing in-flight replies');
  daily.stop();
  await daily.idle(); // a daily post in flight completes (or is left 'chosen' for the next start)
  await bot.stop().catch((err) => logger.error({ err }, 'error while stopping the bot'));
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
ready = true;
logger.info('paperbot is ready');
