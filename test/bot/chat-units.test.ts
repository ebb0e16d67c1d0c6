/** The chat pieces alone: who is addressed (addressing.ts), how a reply looks (views/chat.ts), where it lands (delivery.ts). */
import { DiscordAPIError, type Message } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { decide, type MessageFacts } from '../../src/bot/chat/addressing.js';
import { threadName } from '../../src/bot/chat/chat-handler.js';
import { Delivery, UndeliverableError, type Place, type Where } from '../../src/bot/chat/delivery.js';
import { chatMessage, chatNotice, MAX_PAPER_EMBEDS, partialMessage } from '../../src/bot/views/chat.js';
import { COLOR, LIMITS, totalLength } from '../../src/bot/views/limits.js';
import { safeLines } from '../../src/bot/views/text.js';
import type { ConversationTurnResult } from '../../src/conversation/types.js';
import { FAKE_PAPERS } from '../helpers/fake-engine.js';

const base: MessageFacts = {
  messageId: '111',
  channelId: '222',
  fromBotOrSystem: false,
  isDm: false,
  inThread: false,
  botThread: false,
  canOpenThread: true,
  mentionsBot: false,
  hasWords: true,
  contentIntent: false,
};
const facts = (f: Partial<MessageFacts>): MessageFacts => ({ ...base, ...f });

describe('decide: which messages the bot answers, in which conversation, where', () => {
  it('a mention in a channel opens a thread whose id (= the message id) is the conversation', () => {
    expect(decide(facts({ mentionsBot: true }))).toEqual({ action: 'answer', conversationId: '111', placement: 'open-thread' });
  });

  it('a bare mention, or one where threads cannot be opened, is answered in place', () => {
    expect(decide(facts({ mentionsBot: true, hasWords: false }))).toEqual({ action: 'answer', conversationId: '111', placement: 'channel' });
    expect(decide(facts({ mentionsBot: true, canOpenThread: false }))).toEqual({ action: 'answer', conversationId: '111', placement: 'channel' });
  });

  it('DMs are always for the bot; the DM channel is the conversation', () => {
    expect(decide(facts({ isDm: true }))).toEqual({ action: 'answer', conversationId: '222', placement: 'dm' });
  });

  it('in a thread: a mention or a pinged reply is answered in the thread’s conversation; a plain message only with the intent and only in the bot’s threads', () => {
    const thread = { inThread: true };
    expect(decide(facts({ ...thread, mentionsBot: true }))).toEqual({ action: 'answer', conversationId: '222', placement: 'thread' });
    expect(decide(facts({ ...thread, botThread: true })).action).toBe('ignore');
    expect(decide(facts({ ...thread, botThread: true, contentIntent: true }))).toEqual({ action: 'answer', conversationId: '222', placement: 'thread' });
    expect(decide(facts({ ...thread, contentIntent: true })).action).toBe('ignore');
  });

  it('a reply to the bot without the ping: a hint without the intent (it came empty), an answer with it', () => {
    const reply = { replyToBot: { conversationId: '999' } };
    expect(decide(facts({ ...reply, inThread: true }))).toEqual({ action: 'hint-ping', placement: 'thread' });
    expect(decide(facts({ ...reply }))).toEqual({ action: 'hint-ping', placement: 'channel' });
    expect(decide(facts({ ...reply, contentIntent: true }))).toEqual({ action: 'answer', conversationId: '999', placement: 'channel' });
  });

  it('a pinged reply to one of the bot’s channel answers continues that answer’s conversation, in place', () => {
    expect(decide(facts({ replyToBot: { conversationId: '999' }, mentionsBot: true }))).toEqual({ action: 'answer', conversationId: '999', placement: 'channel' });
  });

  it('never answers bots, webhooks or system messages, nor messages not addressed to it', () => {
    expect(decide(facts({ fromBotOrSystem: true, mentionsBot: true })).action).toBe('ignore');
    expect(decide(facts({ fromBotOrSystem: true, isDm: true })).action).toBe('ignore');
    expect(decide(facts({})).action).toBe('ignore');
    expect(decide(facts({ contentIntent: true })).action).toBe('ignore');
  });
});

const [nirvana, scaling, patchLevel, byteLatent, nasty, veryLong] = FAKE_PAPERS as [typeof FAKE_PAPERS[0], typeof FAKE_PAPERS[0], typeof FAKE_PAPERS[0], typeof FAKE_PAPERS[0], typeof FAKE_PAPERS[0], typeof FAKE_PAPERS[0]];

function turn(over: Partial<ConversationTurnResult>): ConversationTurnResult {
  return { reply: 'x', answered: true, citations: [], papers: [], kind: 'find', ...over };
}

describe('chatMessage: the reply as Discord shows it', () => {
  it('the text as content, a numbered card per paper in the order of the text, "More like this" under them, pings off', () => {
    const papers = [nirvana, scaling, patchLevel];
    const msg = chatMessage(turn({ reply: papers.map((p, i) => `[${i + 1}] ${p.title}`).join('\n'), papers, citations: papers.map((paper, i) => ({ n: i + 1, paper })) }));
    expect(msg.content).toContain('\\[1\\] NIRVANA');
    expect(msg.embeds.map((e) => e.title?.slice(0, 3))).toEqual(['1. ', '2. ', '3. ']);
    expect(msg.embeds.every((e) => e.color === COLOR.result)).toBe(true);
    expect(msg.components?.[0]?.components[0]).toMatchObject({ custom_id: 'similar:more' });
    expect(msg.allowedMentions).toEqual({ parse: [] });
  });

  it('an unanswered reply shows its papers in the unanswered colour', () => {
    const msg = chatMessage(turn({ reply: "I couldn't find an answer to that.", answered: false, papers: [scaling] }));
    expect(msg.embeds[0]!.color).toBe(COLOR.unanswered);
  });

  it('stays within every limit whatever the papers: ≤ 2000 characters, ≤ 5 cards, ≤ 6000 in all', () => {
    const papers = [veryLong, byteLatent, nasty, nirvana, scaling, patchLevel, veryLong];
    const msg = chatMessage(turn({ reply: `${'A very long reply line. '.repeat(200)}\n`.repeat(3), papers }), { hint: 'Mention me to follow up.' });
    expect(msg.content!.length).toBeLessThanOrEqual(LIMITS.content);
    expect(msg.content).toMatch(/-# Mention me to follow up\.$/);
    expect(msg.embeds).toHaveLength(MAX_PAPER_EMBEDS);
    expect(totalLength(msg.embeds)).toBeLessThanOrEqual(LIMITS.total);
  });

  it('an empty reply still says something (Discord refuses empty messages)', () => {
    expect(chatMessage(turn({ reply: '', answered: false })).content).toBe("I don't have an answer to that.");
    expect(partialMessage('').content).toBe(' …');
  });
});

describe('safeLines: reply text made safe, line by line', () => {
  it('escapes markdown, brackets (no masked links), quote and subtext markers; keeps line breaks', () => {
    const out = safeLines('**bold** [Click](https://evil.example) ||spoiler||\n> quoted\n-# small\n# heading', 2000);
    expect(out).toBe('\\*\\*bold\\*\\* \\[Click\\](<https://evil.example/>) \\|\\|spoiler\\|\\|\n\\> quoted\n\\-# small\n\\# heading');
  });

  it('links stay clickable, without previews, minus trailing punctuation; non-http schemes stay text', () => {
    expect(safeLines('Code: https://github.com/a/b_c. See javascript:alert(1)', 2000)).toBe('Code: <https://github.com/a/b_c>. See javascript:alert(1)');
  });

  it('mentions are inert', () => {
    expect(safeLines('hi @everyone and <@123456789012345678>', 2000)).toBe('hi @\u200beveryone and <@\u200b123456789012345678>');
  });

  it('cuts at a line end within the budget', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(30)}`).join('\n');
    const out = safeLines(text, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.startsWith('line 0 ')).toBe(true);
  });
});

describe('threadName', () => {
  it('the question without mentions or markup, cut to fit; a fallback name when nothing is left', () => {
    expect(threadName('<@123456789012345678> **what** is @everyone doing?')).toBe('what is doing?');
    expect(threadName('x '.repeat(200)).length).toBeLessThanOrEqual(100);
    expect(threadName('<@123456789012345678>')).toBe('paperbot');
  });
});

describe('Delivery: where a reply lands', () => {
  const refused = (code: number, status = 403) => new DiscordAPIError({ message: 'no', code }, code, status, 'POST', '/x', {});
  const fakeMessage = (where: Where, log: string[]): Message =>
    ({ edit: async () => void log.push(`edit ${where}`) }) as unknown as Message;

  function places(spec: Array<[Where, Error | null]>, log: string[]): Place[] {
    return spec.map(([where, error]) => ({
      where,
      send: async () => {
        log.push(`send ${where}`);
        if (error) throw error;
        return fakeMessage(where, log);
      },
    }));
  }

  it('skips places that refuse (and says so), then sends; later shows edit the same message', async () => {
    const log: string[] = [];
    const skipped: string[] = [];
    const d = new Delivery(places([['new-thread', refused(50013)], ['channel', refused(50001)], ['dm-fallback', null]], log), (w, e) => skipped.push(`${w}:${e.code}`));
    await d.show(() => chatNotice('a'));
    await d.show(() => chatNotice('b'));
    expect(log).toEqual(['send new-thread', 'send channel', 'send dm-fallback', 'edit dm-fallback']);
    expect(skipped).toEqual(['new-thread:50013', 'channel:50001']);
    expect(d.where).toBe('dm-fallback');
  });

  it('nowhere to go: UndeliverableError listing the refusals; a Discord failure (5xx) is thrown as it is', async () => {
    const none = new Delivery(places([['dm', refused(50007)]], []));
    await expect(none.show(() => chatNotice('a'))).rejects.toBeInstanceOf(UndeliverableError);
    const broken = new Delivery(places([['thread', refused(0, 500)], ['dm-fallback', null]], []));
    await expect(broken.show(() => chatNotice('a'))).rejects.toBeInstanceOf(DiscordAPIError);
  });
});
