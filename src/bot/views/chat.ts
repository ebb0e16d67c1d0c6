/**
 * Chat replies (mentions, DMs, threads): the conversation's reply text as the message content,
 * one embed per paper cited or shown (numbered as in the text), "More like this…" under them.
 * An unanswered reply shows its papers in the unanswered colour.
 */
import type { APIEmbed } from 'discord.js';
import type { ConversationTurnResult } from '../../conversation/types.js';
import { COLOR, LIMITS, message, type BotMessage } from './limits.js';
import { hitEmbed, moreLikeThisRow } from './results.js';
import { safeLines } from './text.js';

/** A message for a channel: no flags (ephemeral belongs to interaction replies only). */
export type ChannelMessage = Omit<BotMessage, 'flags'>;

/** Paper embeds per reply: the text lists every paper; the first few get a card. */
export const MAX_PAPER_EMBEDS = 5;
/** Shown while a generated answer streams in. */
const STREAMING_MARK = ' …';

/** `hint` is our own wording (e.g. how to follow up), shown small under the reply. */
export function chatMessage(result: ConversationTurnResult, options: { hint?: string } = {}): ChannelMessage {
  const hint = options.hint ? `\n\n-# ${options.hint}` : '';
  const text = safeLines(result.reply, LIMITS.content - hint.length) || (result.answered ? 'Done.' : "I don't have an answer to that.");
  // The reply numbers its papers [1], [2], … in the order of `papers` (citations first).
  const cited = result.citations.map((c) => c.paper).filter((p) => !result.papers.some((q) => q.id === p.id));
  const papers = [...result.papers, ...cited];
  const embeds: APIEmbed[] = papers.slice(0, MAX_PAPER_EMBEDS).map((paper, i) => ({
    ...hitEmbed({ paper, score: 0, snippet: '' }, i + 1),
    color: result.answered ? COLOR.result : COLOR.unanswered,
  }));
  const row = moreLikeThisRow(papers.map((paper) => ({ paper })), 1);
  return message({ content: `${text}${hint}`, embeds, components: row ? [row] : [] });
}

/** The answer so far while it is being written: text only. */
export function partialMessage(text: string): ChannelMessage {
  return message({ content: `${safeLines(text, LIMITS.content - STREAMING_MARK.length)}${STREAMING_MARK}`, embeds: [], components: [] });
}

/** A short note of ours (how to talk to the bot, why it cannot answer). */
export function chatNotice(text: string): ChannelMessage {
  return message({ content: safeLines(text, LIMITS.content) });
}
