/**
 * People talking to the bot in messages: mentions in a channel (answered in a thread opened on
 * the message), DMs, and follow-ups in threads. One reply per message, the per-user cooldown
 * shared with the commands, a child logger per message (conversation, user, guild, latency,
 * outcome). Which messages are answered, and in which conversation, is addressing.ts; where
 * the reply lands (and its fallbacks) is delivery.ts; the conversation itself is
 * src/conversation. Never throws.
 */
import { ChannelType, DiscordAPIError, MessageType, ThreadAutoArchiveDuration, type Message, type ThreadChannel } from 'discord.js';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../clock.js';
import { cleanMessage } from '../../conversation/input.js';
import type { ConversationTurnResult, ReplyOptions } from '../../conversation/types.js';
import type { ChatThread } from '../../store/chat-thread-store.js';
import { truncate } from '../../text.js';
import type { Cooldown } from '../cooldown.js';
import { APOLOGY } from '../router.js';
import { liveText, type LiveText } from '../live-text.js';
import { chatMessage, chatNotice } from '../views/chat.js';
import { decide, type Decision, type MessageFacts, type Placement } from './addressing.js';
import { Delivery, UndeliverableError, type Place, type Where } from './delivery.js';

/** The conversation brain as the handler uses it (src/conversation's Conversations). */
export interface ChatBrain {
  reply(conversationId: string, message: string, options?: ReplyOptions): Promise<ConversationTurnResult>;
}

export interface ChatHandlerOptions {
  brain: ChatBrain;
  /** The threads the bot opened (state.chatThreads). */
  threads: { add(thread: ChatThread): void; has(threadId: string): boolean };
  logger: Logger;
  /** The same per-user limit as the commands. */
  cooldown: Cooldown;
  /** MESSAGE_CONTENT=1: every message in the bot's threads is answered. */
  contentIntent: boolean;
  /** Answers may be generated (an LLM is configured): show "typing…" and stream the text in. */
  generative: boolean;
  clock?: Clock;
}

/** What the bot says about talking to it. */
export const CHAT_HINTS = {
  followUpThread: 'Mention me or reply to me to follow up.',
  followUpThreadContent: 'Write here to follow up: I read every message in this thread.',
  followUpChannel: 'Reply to me (keep the @ mention on) to follow up.',
  ping: 'I can only read replies that ping me: reply again with the @ mention switched on, or mention me.',
  attachments: 'I can only read text, not attachments or stickers: ask me in words, e.g. “any papers on <topic>?”',
  cooldown: (seconds: number) => `You're sending me messages a bit fast, so I skipped that one: try again in about ${seconds} s.`,
  dmFallback: (channelId: string) => `I couldn't post in <#${channelId}>, so here is my answer.`,
} as const;

/** Messages remembered as handled, against a second delivery of the same message. */
const SEEN_CAPACITY = 2000;
const THREAD_NAME_CHARS = 90;
const THREAD_EXISTS = 160004;

export class ChatHandler {
  private readonly running = new Set<Promise<void>>();
  private readonly seen = new Set<string>();
  /** Users told about the cooldown, until when (one note per window). */
  private readonly noted = new Map<string, number>();
  private stopping = false;
  private readonly clock: Clock;

  constructor(private readonly opts: ChatHandlerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Stops taking messages; resolves when the ones being answered are done. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Never rejects. */
  handle(message: Message): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const work = this.process(message)
      .catch((err: unknown) => this.opts.logger.error({ err, messageId: message.id }, 'chat handler failed'))
      .finally(() => this.running.delete(work));
    this.running.add(work);
    return work;
  }

  private async process(message: Message): Promise<void> {
    const started = performance.now();
    const facts = this.factsOf(message);
    let decision = decide(facts);
    if (decision.action === 'ignore' || !this.firstTime(message.id)) return;
    if (decision.action === 'answer' && facts.replyToBot && decision.placement === 'channel') {
      decision = { ...decision, conversationId: await this.conversationOfReply(message, facts.replyToBot.conversationId) };
    }
    const conversationId = decision.action === 'answer' ? decision.conversationId : null;
    const logger = this.opts.logger.child({
      kind: 'message',
      messageId: message.id,
      conversationId,
      userId: message.author.id,
      guildId: message.guildId ?? null,
      channelId: message.channelId,
    });
    let outcome = 'ok';
    let details: Record<string, unknown> = {};
    // Where notes (and the apology) go: in place.
    const placement: Placement = decision.action === 'answer' && decision.placement !== 'open-thread' ? decision.placement : facts.isDm ? 'dm' : facts.inThread ? 'thread' : 'channel';
    try {
      const waitMs = this.opts.cooldown.take(message.author.id);
      if (waitMs > 0) {
        outcome = 'cooldown';
        if (this.noteCooldown(message.author.id, waitMs)) await this.notice(message, CHAT_HINTS.cooldown(Math.ceil(waitMs / 1000)), placement, logger);
      } else if (decision.action === 'hint-ping') {
        outcome = 'hint-ping';
        await this.notice(message, CHAT_HINTS.ping, placement, logger);
      } else if (!facts.hasWords && (message.attachments.size > 0 || message.stickers.size > 0)) {
        outcome = 'attachment-only';
        await this.notice(message, CHAT_HINTS.attachments, placement, logger);
      } else {
        ({ outcome, details } = await this.answer(message, decision, logger));
      }
    } catch (err) {
      if (err instanceof UndeliverableError) {
        outcome = 'undeliverable';
        logger.warn({ refusals: err.refusals }, 'no place would take the reply: nothing sent');
      } else {
        outcome = 'error';
        logger.error({ err }, 'message failed');
        // A bug, not Discord refusing: say sorry where the question was (best effort).
        if (!(err instanceof DiscordAPIError)) {
          await this.notice(message, APOLOGY, placement, logger).catch((sorryErr: unknown) => logger.warn({ err: sorryErr }, 'could not send the apology'));
        }
      }
    } finally {
      logger.info({ latencyMs: Math.round(performance.now() - started), outcome, ...details }, 'message done');
    }
  }

  private factsOf(message: Message): MessageFacts {
    const botId = message.client.user.id;
    const channel = message.channel;
    const inThread = channel.isThread();
    const refId = message.reference?.messageId;
    // The conversation is looked up only when the reply is answered in the channel (conversationOfReply).
    const replyToBot = refId && message.mentions.repliedUser?.id === botId ? { conversationId: refId } : undefined;
    return {
      messageId: message.id,
      channelId: message.channelId,
      fromBotOrSystem:
        message.author.bot || message.webhookId !== null || message.system || (message.type !== MessageType.Default && message.type !== MessageType.Reply),
      isDm: channel.isDMBased(),
      inThread,
      botThread: inThread && this.isBotThread(message.channelId),
      canOpenThread: channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement,
      mentionsBot: message.mentions.users.has(botId),
      ...(replyToBot ? { replyToBot } : {}),
      hasWords: cleanMessage(message.content).hasWords,
      contentIntent: this.opts.contentIntent,
    };
  }

  /**
   * A reply to one of the bot's messages in a channel: the bot's answers there reply to the message that
   * started the exchange, whose id is the conversation; a message of the bot that replies to nothing (an
   * /ask answer) is its own conversation. The bot keeps no message cache, so this is one REST read.
   */
  private async conversationOfReply(message: Message, botMessageId: string): Promise<string> {
    try {
      const referenced = await message.fetchReference();
      return referenced.reference?.messageId ?? referenced.id;
    } catch {
      return botMessageId; // deleted meanwhile: a conversation of its own
    }
  }

  private isBotThread(threadId: string): boolean {
    try {
      return this.opts.threads.has(threadId);
    } catch (err) {
      this.opts.logger.warn({ err, threadId }, 'could not read the thread records');
      return false;
    }
  }

  private async answer(message: Message, decision: Extract<Decision, { action: 'answer' }>, logger: Logger): Promise<{ outcome: string; details: Record<string, unknown> }> {
    const delivery = new Delivery(this.placesFor(message, decision.placement, logger), (where, err) =>
      logger.warn({ where, code: err.code, status: err.status }, 'cannot post there; trying the next place'),
    );
    let live: LiveText | undefined;
    if (this.opts.generative) {
      live = liveText((payload) => delivery.show(() => payload), { onError: (err) => logger.warn({ err }, 'could not show the partial answer') });
      if (decision.placement !== 'open-thread' && 'sendTyping' in message.channel) void message.channel.sendTyping().catch(() => undefined);
    }
    const result = await this.opts.brain.reply(decision.conversationId, message.content, live ? { onPartial: live.onPartial } : {});
    await live?.settle();
    await delivery.show((where) => chatMessage(result, { hint: this.hintFor(where, message) }));
    const details: Record<string, unknown> = { turn: result.kind, answered: result.answered, where: delivery.where, papers: result.papers.length };
    if (result.answeredBy) details.answeredBy = result.answeredBy;
    if (live?.shown) details.partialEdits = live.shown;
    return { outcome: result.kind === 'error' ? 'error-reply' : result.answered ? 'answered' : 'unanswered', details };
  }

  private hintFor(where: Where, message: Message): string | undefined {
    switch (where) {
      case 'new-thread':
        return this.opts.contentIntent ? CHAT_HINTS.followUpThreadContent : CHAT_HINTS.followUpThread;
      case 'channel':
        return CHAT_HINTS.followUpChannel;
      case 'dm-fallback':
        return CHAT_HINTS.dmFallback(message.channelId);
      default:
        return undefined;
    }
  }

  /** A short note of ours, in place (or in DMs when the place refuses). */
  private async notice(message: Message, text: string, placement: Placement, logger: Logger): Promise<void> {
    const delivery = new Delivery(this.placesFor(message, placement, logger), (where, err) =>
      logger.warn({ where, code: err.code, status: err.status }, 'cannot post the note there; trying the next place'),
    );
    await delivery.show((where) => chatNotice(where === 'dm-fallback' ? `${CHAT_HINTS.dmFallback(message.channelId)}\n${text}` : text));
  }

  private placesFor(message: Message, placement: Placement, logger: Logger): Place[] {
    const inPlace: Place = {
      where: placement === 'dm' ? 'dm' : placement === 'thread' ? 'thread' : 'channel',
      send: (payload) => message.reply({ ...payload, failIfNotExists: false }),
    };
    if (placement === 'dm') return [inPlace];
    const dm: Place = { where: 'dm-fallback', send: async (payload) => (await message.author.createDM()).send(payload) };
    if (placement !== 'open-thread') return [inPlace, dm];
    return [this.newThread(message, logger), inPlace, dm];
  }

  /** The thread is opened at once (while the answer is being worked out); the first send waits for it. */
  private newThread(message: Message, logger: Logger): Place {
    const opening = this.openThread(message, logger);
    opening.catch(() => undefined); // handled by the send that awaits it
    return {
      where: 'new-thread',
      send: async (payload) => (await opening).send(payload),
    };
  }

  private async openThread(message: Message, logger: Logger): Promise<ThreadChannel> {
    let thread: ThreadChannel;
    try {
      thread = await message.startThread({ name: threadName(message.content), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    } catch (err) {
      // Opened already (the same message delivered twice across a restart): its id is the message's.
      if (!(err instanceof DiscordAPIError) || Number(err.code) !== THREAD_EXISTS) throw err;
      const existing = await message.client.channels.fetch(message.id);
      if (!existing?.isThread()) throw err;
      thread = existing;
    }
    if (this.opts.generative) void thread.sendTyping().catch(() => undefined);
    try {
      this.opts.threads.add({
        threadId: thread.id,
        guildId: message.guildId ?? '',
        parentId: message.channelId,
        openedFor: message.author.id,
        createdAt: this.clock.now().getTime(),
      });
    } catch (err) {
      logger.warn({ err, threadId: thread.id }, 'could not record the thread');
    }
    return thread;
  }

  private firstTime(messageId: string): boolean {
    if (this.seen.has(messageId)) return false;
    this.seen.add(messageId);
    if (this.seen.size > SEEN_CAPACITY) this.seen.delete(this.seen.values().next().value!);
    return true;
  }

  /** True when the user has not been told about the cooldown in this window. */
  private noteCooldown(userId: string, waitMs: number): boolean {
    const now = Date.now();
    if ((this.noted.get(userId) ?? 0) > now) return false;
    if (this.noted.size > 10_000) for (const [user, until] of this.noted) if (until <= now) this.noted.delete(user);
    this.noted.set(userId, now + waitMs);
    return true;
  }
}

/** The thread's name: the question, cleaned (no mentions or markup), cut to fit. */
export function threadName(content: string): string {
  return truncate(cleanMessage(content).text, THREAD_NAME_CHARS) || 'paperbot';
}
