/** The discord.js client wired to the router: login, readiness, graceful stop. */
import { Client, Events, GatewayIntentBits, Options, Partials, RESTEvents, type ClientOptions } from 'discord.js';
import type { Logger } from 'pino';
import { Agent } from 'undici';
import { ChatHandler, type ChatHandlerOptions } from './chat/chat-handler.js';
import { Cooldown } from './cooldown.js';
import { InteractionRouter } from './router.js';
import type { Command, Services } from './types.js';

export interface ClientSetup {
  /** Discord REST base, e.g. the fake Discord's `http://127.0.0.1:PORT/api` in tests. */
  apiBase?: string;
  /** Extra discord.js options (tests: the fake Discord's identify throttler). `intents` and `allowedMentions` are fixed. */
  clientOptions?: Partial<ClientOptions>;
  /** MESSAGE_CONTENT=1: the privileged Message Content intent is enabled in the developer portal. */
  messageContent?: boolean;
}

/**
 * Only what the bot needs: Guilds (slash commands, threads), GuildMessages and DirectMessages (mentions,
 * DMs, follow-ups in threads), and MessageContent only when the operator has enabled it.
 */
export function botIntents(messageContent = false): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
  return messageContent ? [...intents, GatewayIntentBits.MessageContent] : intents;
}

/**
 * The discord.js client, not yet logged in. Made before the services so that what needs the
 * client (the daily poster, the guild list) can be built first and the bot last.
 */
/**
 * @discordjs/rest's client-side global limit (default 50 requests/s). Discord exempts interaction
 * endpoints (callbacks, edits and follow-ups of interaction replies) from its 50/s global rate
 * limit, but @discordjs/rest 2.6 exempts only the callbacks: at 50/s, a burst of 700 answers took
 * 14 s to edit in. The bot's own bot-token traffic (daily posts, channel reads, threads) stays far
 * below 50/s, and a real global 429 from Discord is still honoured (the library then waits).
 */
export const REST_GLOBAL_REQUESTS_PER_SECOND = 1000;

/**
 * Keep-alive connections to the Discord API, at most this many at once. Unbounded (undici's
 * default), a burst of interactions opens one new connection (a TLS handshake, against Discord)
 * per concurrent acknowledgement; bounded, they reuse warm ones. In the 1000-interaction burst on
 * a loaded machine this cut the acknowledgement p99 by 12-30% (3 paired runs).
 */
export const REST_MAX_CONNECTIONS = 32;

export function createClient(setup: ClientSetup = {}): Client {
  return new Client({
    ...setup.clientOptions,
    intents: botIntents(setup.messageContent),
    // A DM arrives in a channel discord.js has not seen; without this partial it would be dropped.
    partials: [Partials.Channel],
    // No message cache: with the message intents every message the bot sends (and every edit) comes back over the
    // gateway, and every message of every channel it can see; keeping and patching them costs memory and time for
    // nothing — the bot reads messages only as they arrive (and fetches the one a reply points at).
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    // Second guard behind the per-message allowedMentions: nothing the bot sends can ping.
    allowedMentions: { parse: [] },
    rest: {
      globalRequestsPerSecond: REST_GLOBAL_REQUESTS_PER_SECOND,
      agent: new Agent({ connections: REST_MAX_CONNECTIONS }),
      ...setup.clientOptions?.rest,
      ...(setup.apiBase ? { api: setup.apiBase } : {}),
    },
  });
}

export interface BotOptions {
  client: Client;
  token: string;
  /** The commands to route to; the composition root passes commands/index.ts's list. */
  commands: readonly Command[];
  services: Services;
  logger: Logger;
  /** Told as each interaction arrives (src/bot/engine-queue.ts holds compute while they stream in)… */
  onArrival?: (interactionId: string) => void;
  /** …and when Discord has answered its acknowledgement (the interaction callback), whatever the answer. */
  onAcknowledged?: (interactionId: string) => void;
  /** Mentions, DMs and thread follow-ups; absent = slash commands only. */
  chat?: Omit<ChatHandlerOptions, 'cooldown' | 'logger'>;
}

const CALLBACK_PATH = /^\/interactions\/(\d+)\/[^/]+\/callback/;

export interface Bot {
  client: Client;
  router: InteractionRouter;
  chat: ChatHandler | undefined;
  /** Logs in; resolves once the gateway says ready. */
  start(): Promise<void>;
  isReady(): boolean;
  /** Stops taking new interactions, waits for in-flight ones, then disconnects. */
  stop(): Promise<void>;
}

export function createBot(opts: BotOptions): Bot {
  const { client } = opts;
  // One per-user budget for commands and messages alike.
  const cooldown = new Cooldown();
  const router = new InteractionRouter({ commands: opts.commands, services: opts.services, cooldown, onArrival: opts.onArrival });
  const chat = opts.chat ? new ChatHandler({ ...opts.chat, cooldown, logger: opts.logger }) : undefined;
  let stopping = false;
  const { onAcknowledged } = opts;
  if (onAcknowledged) {
    client.rest.on(RESTEvents.Response, (request) => {
      const id = CALLBACK_PATH.exec(request.path)?.[1];
      if (id) onAcknowledged(id);
    });
  }

  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    void router.handle(interaction);
  });
  if (chat) client.on(Events.MessageCreate, (message) => void chat.handle(message));
  client.on(Events.Error, (err) => opts.logger.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => opts.logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shardId) => opts.logger.warn({ code: event.code, shardId }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shardId, replayed) => opts.logger.info({ shardId, replayed }, 'gateway resumed'));

  return {
    client,
    router,
    chat,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      try {
        await client.login(opts.token);
      } catch (err) {
        // Close code 4014: an intent the application may not use (Message Content, when the portal toggle is off).
        if (/disallowed intent/i.test((err as Error).message)) {
          throw new Error(
            'Discord refused the Message Content intent (Used disallowed intents): MESSAGE_CONTENT=1 needs "Message Content Intent" switched on in the developer portal (your application → Bot → Privileged Gateway Intents), or leave MESSAGE_CONTENT unset.',
            { cause: err },
          );
        }
        throw err;
      }
      await ready;
      opts.logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'bot ready');
    },
    isReady: () => !stopping && client.isReady(),
    async stop() {
      stopping = true;
      await Promise.all([router.idle(), chat?.stop()]);
      await client.destroy();
      opts.logger.info('bot stopped');
    },
  };
}
