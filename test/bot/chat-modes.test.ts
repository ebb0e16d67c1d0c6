/**
 * Chat across a restart, and the two content modes: without the privileged Message Content
 * intent (the default) and with it (MESSAGE_CONTENT=1, the portal toggle on).
 */
import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { CHAT_HINTS } from '../../src/bot/chat/chat-handler.js';
import { createBot, createClient } from '../../src/bot/client.js';
import { startFakeDiscord, INTENTS } from '../fake-discord/index.js';
import { botMessages, messageLogs, startChatBot, TOKEN, waitForBotMessage, waitForDone } from './chat-harness.js';
import pino from 'pino';
import { commands } from '../../commands/index.js';

describe('a restart in the middle of a conversation', () => {
  it('keeps its context: the same state file reopened, the follow-up in the thread still knows what "it" is', async () => {
    const first = await startChatBot();
    const { fake } = first;
    const question = fake.userMessage({ mentionsBot: true, content: 'tell me about the infant gut microbiome sequencing paper' });
    await waitForBotMessage(fake, question.id);
    await first.stop({ keepFake: true, keepFiles: true });

    const second = await startChatBot({ fake, statePath: first.statePath });
    try {
      expect(second.state.chatThreads.has(question.id)).toBe(true);
      const follow = fake.userMessage({ channelId: question.id, mentionsBot: true, content: 'does it have code?' });
      const answer = await waitForBotMessage(fake, question.id, { after: follow.id });
      expect(answer.content).toContain('<https://github.com/example/gutseq>');
    } finally {
      await second.stop();
    }
  });
});

describe('MESSAGE_CONTENT=1 (the privileged intent enabled in the developer portal)', () => {
  it('asks for the intent, answers every message in its own threads and replies without the ping, and still ignores other chatter', async () => {
    const c = await startChatBot({ contentIntent: true, fakeOptions: { messageContentIntent: true } });
    const { fake } = c;
    try {
      expect(fake.gateway.lastIntents).toBe(INTENTS.GUILDS | INTENTS.GUILD_MESSAGES | INTENTS.DIRECT_MESSAGES | INTENTS.MESSAGE_CONTENT);
      const question = fake.userMessage({ mentionsBot: true, content: 'tell me about GutSeq' });
      const first = await waitForBotMessage(fake, question.id);
      expect(first.content).toContain(CHAT_HINTS.followUpThreadContent);

      const plain = fake.userMessage({ channelId: question.id, content: 'does it have code?' });
      const answer = await waitForBotMessage(fake, question.id, { after: plain.id });
      expect(answer.message_reference?.message_id).toBe(plain.id);
      expect(answer.content).toContain('<https://github.com/example/gutseq>');

      const unpinged = fake.userMessage({ channelId: question.id, replyTo: answer.id, replyMentions: false, content: 'who wrote it?' });
      expect((await waitForBotMessage(fake, question.id, { after: unpinged.id })).content).toContain('A. Rivera');

      // Chatter in the channel and in a thread the bot did not open stays unanswered.
      const chatter = fake.userMessage({ content: 'lunch?' });
      const starter = fake.userMessage({ content: 'our own thread' });
      const theirs = fake.messaging.openThread(fake.channels.get(fake.channelId)!, starter, 'ours', fake.user);
      const inTheirs = fake.userMessage({ channelId: theirs.id, content: 'does it have code?' });
      const probe = fake.userMessage({ mentionsBot: true, content: 'anything on coral reefs?' });
      await waitForDone(c.logLines, probe.id);
      expect(messageLogs(c.logLines, chatter.id)).toEqual([]);
      expect(messageLogs(c.logLines, inTheirs.id)).toEqual([]);
      expect(botMessages(fake, theirs.id)).toEqual([]);
    } finally {
      await c.stop();
    }
  });

  it('without it, the same plain message in the bot’s thread is not answered', async () => {
    const c = await startChatBot();
    const { fake } = c;
    try {
      const question = fake.userMessage({ mentionsBot: true, content: 'tell me about GutSeq' });
      await waitForBotMessage(fake, question.id);
      const plain = fake.userMessage({ channelId: question.id, content: 'does it have code?' });
      const probe = fake.userMessage({ channelId: question.id, mentionsBot: true, content: 'who wrote it?' });
      await waitForDone(c.logLines, probe.id);
      expect(messageLogs(c.logLines, plain.id)).toEqual([]);
      expect(botMessages(fake, question.id).some((m) => m.message_reference?.message_id === plain.id)).toBe(false);
    } finally {
      await c.stop();
    }
  });

  it('MESSAGE_CONTENT=1 while the portal toggle is off: the gateway refuses the login (4014), which start() reports', async () => {
    const fake = await startFakeDiscord({ messageContentIntent: false });
    const logger = pino({ level: 'silent' });
    const client = createClient({ clientOptions: fake.clientOptions(), messageContent: true });
    expect(client.options.intents.has(GatewayIntentBits.MessageContent)).toBe(true);
    const bot = createBot({ client, token: TOKEN, commands, logger, services: {} as never });
    try {
      await expect(bot.start()).rejects.toThrow(/Message Content Intent.*developer portal.*MESSAGE_CONTENT unset/);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});

describe('a failure on the bot’s side', () => {
  it('is logged with its context and answered with a short apology in place; the bot keeps going', async () => {
    let calls = 0;
    const c = await startChatBot({
      brain: { reply: async () => (++calls === 1 ? Promise.reject(new Error('brain exploded')) : { reply: 'fine', answered: true, citations: [], papers: [], kind: 'help' }) },
    });
    const { fake } = c;
    try {
      const m = fake.userMessage({ mentionsBot: true, content: 'anything on coral reefs?' });
      const sorry = await waitForBotMessage(fake, fake.channelId, { after: m.id });
      expect(sorry.content).toMatch(/Sorry — something went wrong on my side/);
      expect(sorry.message_reference?.message_id).toBe(m.id);
      const log = await waitForDone(c.logLines, m.id);
      expect(log.outcome).toBe('error');
      expect(c.logLines.find((l) => l.msg === 'message failed')).toMatchObject({ messageId: m.id, err: { message: 'brain exploded' } });
      const next = fake.userMessage({ mentionsBot: true, content: 'anything on coral reefs?' });
      expect((await waitForBotMessage(fake, next.id)).content).toContain('fine');
    } finally {
      await c.stop();
    }
  });
});
