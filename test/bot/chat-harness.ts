/**
 * The real bot (commands + chat) logged in to the fake Discord, talking to the real conversation
 * brain over a small collection from other fields, with a real StateStore. Used by the chat
 * tests and scripts/bench-bot.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { commands } from '../../commands/index.js';
import type { ChatBrain } from '../../src/bot/chat/chat-handler.js';
import { createBot, createClient, type Bot } from '../../src/bot/client.js';
import { QueryMemory } from '../../src/bot/components.js';
import type { Services } from '../../src/bot/types.js';
import { fixedClock } from '../../src/clock.js';
import { Conversations } from '../../src/conversation/conversations.js';
import type { Answerer } from '../../src/conversation/types.js';
import { PaperEngine } from '../../src/engine/engine.js';
import type { Engine } from '../../src/engine/types.js';
import type { GenerativeOptions } from '../../src/llm/answerers.js';
import { StateStore } from '../../src/store/state.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type Json } from '../fake-discord/index.js';
import { OTHER_FIELDS } from '../conversation/helpers.js';

export const TOKEN = 'fake-token-for-chat-tests-000000';

export interface ChatBotOptions {
  /** Reuse a running fake (a restart); default: a new one. */
  fake?: FakeDiscord;
  fakeOptions?: FakeDiscordOptions;
  /** MESSAGE_CONTENT=1 */
  contentIntent?: boolean;
  engine?: Engine;
  /** Reopen this state file (a restart); default: a new one in a temp folder. */
  statePath?: string;
  answerer?: Answerer;
  /** In place of the conversation brain (e.g. one that fails). */
  brain?: ChatBrain;
  llm?: GenerativeOptions;
  /** Collect log lines here (default: a new array). */
  logLines?: Json[];
  logLevel?: string;
}

export interface ChatBot {
  fake: FakeDiscord;
  bot: Bot;
  state: StateStore;
  conversations: Conversations;
  clock: ReturnType<typeof fixedClock>;
  logLines: Json[];
  statePath: string;
  /** Stops the bot and closes the state; the fake and the temp folder too unless kept. */
  stop(options?: { keepFake?: boolean; keepFiles?: boolean }): Promise<void>;
}

export async function startChatBot(options: ChatBotOptions = {}): Promise<ChatBot> {
  const dir = options.statePath ? undefined : mkdtempSync(join(tmpdir(), 'paperbot-chat-'));
  const statePath = options.statePath ?? join(dir!, 'state.db');
  const fake = options.fake ?? (await startFakeDiscord(options.fakeOptions));
  const state = StateStore.open(statePath);
  const engine = options.engine ?? new PaperEngine({ papers: OTHER_FIELDS });
  const clock = fixedClock('2026-03-01T10:00:00Z');
  const logLines = options.logLines ?? [];
  const logger = pino({ level: options.logLevel ?? 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  const conversations = new Conversations({
    engine,
    store: state.conversations,
    clock,
    onError: (err, context) => logger.error({ err, ...context }, 'conversation failed'),
    ...(options.answerer ? { answerer: options.answerer } : {}),
  });
  conversations.warm();
  const contentIntent = Boolean(options.contentIntent);
  const services: Services = {
    engine,
    state,
    daily: { todaysPicks: () => engine.picks('2026-03-01', 3, []), reschedule: () => undefined },
    queryMemory: new QueryMemory(),
    logger,
    clock,
    startedAt: new Date('2026-03-01T09:00:00Z'),
    dailyDefaults: { channelId: null, time: '09:00', timezone: 'UTC', count: 3 },
    chat: { conversations, messageContent: contentIntent },
    ...(options.llm ? { llm: options.llm } : {}),
  };
  const bot = createBot({
    client: createClient({ clientOptions: fake.clientOptions(), messageContent: contentIntent }),
    token: TOKEN,
    commands,
    services,
    logger,
    chat: { brain: options.brain ?? conversations, threads: state.chatThreads, contentIntent, generative: Boolean(options.llm ?? options.answerer) },
  });
  await bot.start();
  return {
    fake,
    bot,
    state,
    conversations,
    clock,
    logLines,
    statePath,
    async stop(o = {}) {
      await bot.stop();
      state.close();
      if (!o.keepFake) await fake.close();
      if (dir && !o.keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const isBot = (fake: FakeDiscord) => (m: Json) => m.author?.id === fake.botUser.id;

/** The bot's messages in a channel, oldest first (full content). */
export function botMessages(fake: FakeDiscord, channelId: string): Json[] {
  return fake.messages(channelId).filter(isBot(fake));
}

/**
 * Waits for the `count`-th message of the bot in `channelId` posted after message `after` (an id),
 * and returns it. Rejects after `timeoutMs` naming the last requests.
 */
export async function waitForBotMessage(fake: FakeDiscord, channelId: string, opts: { after?: string; count?: number; timeoutMs?: number } = {}): Promise<Json> {
  const after = BigInt(opts.after ?? '0');
  const count = opts.count ?? 1;
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  for (;;) {
    const found = botMessages(fake, channelId).filter((m) => BigInt(m.id) > after && m.type !== 21);
    if (found.length >= count) return found[count - 1]!;
    if (Date.now() > deadline) {
      throw new Error(`no bot message #${count} in ${channelId} after ${opts.after ?? '-'} within ${opts.timeoutMs ?? 5000} ms\n${fake.describeRecent()}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Log lines of handled messages ("message done"), optionally for one message id. */
export function messageLogs(logLines: readonly Json[], messageId?: string): Json[] {
  return logLines.filter((l) => l.msg === 'message done' && (!messageId || l.messageId === messageId));
}

/** Waits until the bot logged that it finished with message `messageId`. */
export async function waitForDone(logLines: readonly Json[], messageId: string, timeoutMs = 5000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = messageLogs(logLines, messageId)[0];
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`message ${messageId} was not finished within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
