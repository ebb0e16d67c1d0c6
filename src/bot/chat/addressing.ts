/**
 * Whether a message is for the bot, which conversation it belongs to and where the answer
 * goes. Pure: the facts of one message in, a decision out.
 *
 * Without the privileged Message Content intent Discord sends the bot the text of DMs, of
 * messages that mention it (a reply with the ping on counts) and of its own messages only.
 * So in a server the bot answers mentions; in its threads, mentions and replies; a reply
 * to it with the ping switched off arrives empty and gets a hint instead. With the intent
 * (MESSAGE_CONTENT=1) it also answers every message in the threads it opened, and replies
 * to it without the ping.
 *
 * Conversation ids: the thread id in a thread, the DM channel id in DMs, and in a channel
 * (no thread) the id of the message that started the exchange — a new thread's id is that
 * message's id, and a reply to one of the bot's channel answers continues the conversation
 * of the message that answer replied to (or of the answer itself: an /ask reply).
 */

export interface MessageFacts {
  messageId: string;
  channelId: string;
  /** A bot (this one included), a webhook or a system message: never answered. */
  fromBotOrSystem: boolean;
  isDm: boolean;
  inThread: boolean;
  /** A thread this bot opened (from its own records). */
  botThread: boolean;
  /** A channel where threads can be started from a message (text or announcement). */
  canOpenThread: boolean;
  /** The bot is in the message's mentions (written out, or the ping of a reply). */
  mentionsBot: boolean;
  /**
   * The message replies to one of the bot's messages: the conversation it continues (the handler
   * resolves it for channel replies: the conversation of the message the bot's answer replied to).
   */
  replyToBot?: { conversationId: string };
  /** The message has letters or digits once mentions and markup are gone. */
  hasWords: boolean;
  /** MESSAGE_CONTENT=1: the privileged intent is on. */
  contentIntent: boolean;
}

/** How the answer is delivered. */
export type Placement =
  /** In the DM channel. */
  | 'dm'
  /** In the thread the message is in, as a reply to it. */
  | 'thread'
  /** A new thread opened on the message (its id = the message id), then the answer in it. */
  | 'open-thread'
  /** In the channel, as a reply to the message. */
  | 'channel';

export type Decision =
  | { action: 'ignore'; reason: string }
  /** A reply to the bot that arrived without its text (no ping, no Message Content intent). */
  | { action: 'hint-ping'; placement: 'thread' | 'channel' }
  | { action: 'answer'; conversationId: string; placement: Placement };

export function decide(m: MessageFacts): Decision {
  if (m.fromBotOrSystem) return { action: 'ignore', reason: 'bot or system message' };
  if (m.isDm) return { action: 'answer', conversationId: m.channelId, placement: 'dm' };
  // A reply to the bot is for the bot; without the ping (and without the intent) it came without its text.
  const repliedUnread = Boolean(m.replyToBot) && !m.mentionsBot && !m.contentIntent;
  const addressed = m.mentionsBot || (Boolean(m.replyToBot) && m.contentIntent);
  if (m.inThread) {
    if (addressed || (m.contentIntent && m.botThread)) return { action: 'answer', conversationId: m.channelId, placement: 'thread' };
    if (repliedUnread) return { action: 'hint-ping', placement: 'thread' };
    return { action: 'ignore', reason: m.botThread ? 'not addressed (no Message Content intent)' : 'not addressed' };
  }
  if (m.replyToBot && addressed) return { action: 'answer', conversationId: m.replyToBot.conversationId, placement: 'channel' };
  if (repliedUnread) return { action: 'hint-ping', placement: 'channel' };
  if (!m.mentionsBot) return { action: 'ignore', reason: 'not addressed' };
  // A thread for a real question; a bare mention or emoji gets its answer in place.
  return { action: 'answer', conversationId: m.messageId, placement: m.canOpenThread && m.hasWords ? 'open-thread' : 'channel' };
}
