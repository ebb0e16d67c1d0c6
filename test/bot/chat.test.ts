/**
 * Talking to the bot in messages, end to end: the real discord.js client logged in to the fake
 * Discord (which applies Discord's intent and Message Content rules), the real conversation brain
 * over a small collection from other fields, a real StateStore.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_HINTS } from '../../src/bot/chat/chat-handler.js';
import { FOLLOW_UP_ID } from '../../src/bot/views/ask.js';
import { LOST_THREAD } from '../../src/conversation/conversations.js';
import { MAX_MESSAGE_CHARS } from '../../src/conversation/input.js';
import { INTENTS, type FakeDiscord, type Json } from '../fake-discord/index.js';
import { OTHER_FIELDS } from '../conversation/helpers.js';
import { botMessages, messageLogs, startChatBot, waitForBotMessage, waitForDone, type ChatBot } from './chat-harness.js';

const EPHEMERAL = 64;
const [gutseq, , coral] = OTHER_FIELDS;

let c: ChatBot;
let fake: FakeDiscord;
let readOnlyChannel: string;
let voiceChannel: string;

let userSeq = 0n;
/** A fresh author per test, so the per-user cooldown bites only where a test wants it to. */
const newUser = () => ({ id: String(400000000000000000n + ++userSeq), username: `reader${userSeq}` });

beforeAll(async () => {
  c = await startChatBot({
    fakeOptions: { guilds: [{ channels: [{ name: 'general' }, { name: 'read-only', access: 'forbidden' }, { name: 'voice-chat', type: 2 }] }] },
  });
  fake = c.fake;
  readOnlyChannel = fake.guilds[0]!.channels[1]!.id;
  voiceChannel = fake.guilds[0]!.channels[2]!.id;
});

afterAll(async () => {
  await c?.stop();
});

/** Everything the bot sent in channels: no one may be pinged, whatever the text. */
function expectNoPings(): void {
  for (const r of fake.requestsTo('POST', /^\/channels\/\d+\/messages$/)) expect(r.body?.allowed_mentions?.parse).toEqual([]);
  for (const channelId of fake.channels.keys()) {
    for (const m of botMessages(fake, channelId)) {
      expect(m.mentions).toEqual([]);
      expect(m.mention_everyone).toBe(false);
      expect(m.mention_roles).toEqual([]);
    }
  }
}

/** A mention from `author` in the general channel, answered in the thread opened on it. */
async function askInChannel(author: Json, content: string): Promise<{ question: Json; reply: Json }> {
  const question = fake.userMessage({ author, mentionsBot: true, content });
  const reply = await waitForBotMessage(fake, question.id);
  return { question, reply };
}

/** `probe` (a message that is answered) shows that the bot has dealt with everything before it. */
async function settled(author: Json, channelId = fake.channelId): Promise<void> {
  const probe = fake.userMessage({ channelId, author, mentionsBot: true, content: 'anything on coral reefs?' });
  await waitForDone(c.logLines, probe.id);
}

describe('a mention in a channel', () => {
  it('opens a thread on the asking message and answers in it: text, paper cards, "More like this", how to follow up', async () => {
    const author = newUser();
    const { question, reply } = await askInChannel(author, 'tell me about GutSeq');
    const [thread] = fake.threadsIn(fake.channelId).filter((t) => t.id === question.id);
    expect(thread).toBeDefined(); // a thread's id is its starter message's id
    expect(thread!.name).toBe('tell me about GutSeq');
    expect(reply.channel_id).toBe(question.id);
    expect(reply.content).toContain('GutSeq: Profiling the Infant Gut Microbiome');
    expect(reply.content).toContain(`-# ${CHAT_HINTS.followUpThread}`);
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    expect(reply.embeds[0].title).toBe(`1. ${gutseq!.title}`);
    expect(reply.embeds[0].fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Code' })]));
    expect(reply.components[0].components[0]).toMatchObject({ custom_id: 'similar:more', options: [{ value: gutseq!.id }] });
    expect(c.state.chatThreads.get(question.id)).toMatchObject({ threadId: question.id, parentId: fake.channelId, openedFor: author.id });
    const log = await waitForDone(c.logLines, question.id);
    expect(log).toMatchObject({ conversationId: question.id, userId: author.id, guildId: fake.guildId, outcome: 'answered', turn: 'paper', where: 'new-thread' });
    expect(log.latencyMs).toEqual(expect.any(Number));
    expectNoPings();
  });

  it('a follow-up that mentions the bot in the thread is read in the conversation: "does it have code?" is about that paper', async () => {
    const author = newUser();
    const { question } = await askInChannel(author, 'tell me about the infant gut microbiome sequencing paper');
    const follow = fake.userMessage({ channelId: question.id, author, mentionsBot: true, content: 'does it have code?' });
    const answer = await waitForBotMessage(fake, question.id, { after: follow.id });
    expect(answer.message_reference?.message_id).toBe(follow.id); // a reply to the follow-up
    expect(answer.content).toContain('<https://github.com/example/gutseq>');
    expect(answer.content).not.toContain(CHAT_HINTS.followUpThread); // said once, in the first answer
    expect((await waitForDone(c.logLines, follow.id)).turn).toBe('code');
  });

  it('a reply to the bot with the ping on is answered; with the ping off it arrives empty and gets a hint instead', async () => {
    const author = newUser();
    const { question, reply } = await askInChannel(author, 'tell me about GutSeq');
    const pinged = fake.userMessage({ channelId: question.id, author, replyTo: reply.id, content: 'who wrote it?' });
    const answer = await waitForBotMessage(fake, question.id, { after: pinged.id });
    expect(answer.content).toContain('A. Rivera');

    const silent = fake.userMessage({ channelId: question.id, author, replyTo: answer.id, replyMentions: false, content: 'when was it published?' });
    const hint = await waitForBotMessage(fake, question.id, { after: silent.id });
    expect(hint.content).toContain('I can only read replies that ping me');
    expect(hint.embeds).toEqual([]);
    expect((await waitForDone(c.logLines, silent.id)).outcome).toBe('hint-ping');
  });

  it('without the Message Content intent, a plain message in the bot’s thread is not answered (Discord sends it empty)', async () => {
    const author = newUser();
    const { question } = await askInChannel(author, 'tell me about GutSeq');
    const plain = fake.userMessage({ channelId: question.id, author, content: 'does it have code?' });
    await settled(author, question.id);
    expect(botMessages(fake, question.id).some((m) => m.message_reference?.message_id === plain.id)).toBe(false);
    expect(messageLogs(c.logLines, plain.id)).toEqual([]);
    // What the bot was sent: no content (Discord's rule, applied by the fake).
    const frame = fake.gateway.sent('MESSAGE_CREATE').find((f) => f.d.id === plain.id);
    expect(frame?.d.content).toBe('');
  });

  it('ignores messages not addressed to it, other bots (even when they mention it) and its own messages', async () => {
    const author = newUser();
    const before = fake.threadsIn(fake.channelId).length;
    const chatter = fake.userMessage({ author, content: 'anyone read the coral paper?' });
    const otherBot = fake.userMessage({ author: { id: '499999999999999999', username: 'otherbot', bot: true }, mentionsBot: true, content: 'tell me about GutSeq' });
    const everyone = fake.userMessage({ author, content: '@everyone meeting at noon' });
    await settled(newUser());
    for (const ignored of [chatter, otherBot, everyone]) expect(messageLogs(c.logLines, ignored.id)).toEqual([]);
    // Only the probe opened a thread; the bot's own answers (which come back to it) started nothing.
    expect(fake.threadsIn(fake.channelId).length).toBe(before + 1);
  });

  it('a mention in a thread the bot did not open is answered in place', async () => {
    const author = newUser();
    const starter = fake.userMessage({ author, content: 'reading group thread' });
    const parent = fake.channels.get(fake.channelId)!;
    const thread = fake.messaging.openThread(parent, starter, 'reading group', fake.addUser(author));
    const question = fake.userMessage({ channelId: thread.id, author, mentionsBot: true, content: 'anything on coral bleaching?' });
    const reply = await waitForBotMessage(fake, thread.id, { after: question.id });
    expect(reply.message_reference?.message_id).toBe(question.id);
    expect(reply.content).toContain(coral!.title);
    expect(c.state.chatThreads.has(thread.id)).toBe(false);
    expect((await waitForDone(c.logLines, question.id)).conversationId).toBe(thread.id);
  });

  it('answers one question per message, and each user within the same cooldown as the commands (one note, then quiet)', async () => {
    const author = newUser();
    const sent = Array.from({ length: 7 }, (_, i) => fake.userMessage({ author, mentionsBot: true, content: `anything on coral reefs ${i}?` }));
    for (const m of sent) await waitForDone(c.logLines, m.id);
    const outcomes = sent.map((m) => messageLogs(c.logLines, m.id)[0]!.outcome);
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('answered'));
    expect(outcomes.slice(5)).toEqual(['cooldown', 'cooldown']);
    const notes = botMessages(fake, fake.channelId).filter((m) => /a bit fast/.test(m.content) && sent.some((s) => s.id === m.message_reference?.message_id));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message_reference.message_id).toBe(sent[5]!.id);
    for (const m of sent.slice(0, 5)) expect(fake.threadsIn(fake.channelId).filter((t) => t.id === m.id)).toHaveLength(1);
  });
});

describe('DMs', () => {
  it('a DM is answered in the DM channel, and a follow-up there continues the conversation', async () => {
    const user = newUser();
    const first = fake.dm({ userId: user.id, username: user.username, content: 'tell me about the coral bleaching paper' });
    const dmChannel = first.channel_id as string;
    const reply = await waitForBotMessage(fake, dmChannel, { after: first.id });
    expect(reply.content).toContain(coral!.title);
    expect(reply.content).not.toContain('-#'); // no follow-up hint needed in DMs
    const follow = fake.dm({ userId: user.id, content: 'who are the authors?' });
    const answer = await waitForBotMessage(fake, dmChannel, { after: follow.id });
    expect(answer.content).toMatch(/doesn't say who wrote/);
    expect((await waitForDone(c.logLines, follow.id)).conversationId).toBe(dmChannel);
  });

  it('a DM from a user who blocks DMs from the bot: logged, nothing crashes, others are still answered', async () => {
    const user = newUser();
    fake.addUser(user);
    fake.refuseDms(user.id);
    const m = fake.dm({ userId: user.id, content: 'anything on coral reefs?' });
    const log = await waitForDone(c.logLines, m.id);
    expect(log.outcome).toBe('undeliverable');
    expect(c.logLines.some((l) => l.messageId === m.id && l.msg.startsWith('no place would take the reply'))).toBe(true);
    expect(botMessages(fake, m.channel_id)).toEqual([]);
    await settled(newUser());
  });
});

describe('bad input gets a helpful reply', () => {
  it('a mention with no text: a greeting in place, no thread', async () => {
    const m = fake.userMessage({ author: newUser(), mentionsBot: true });
    const reply = await waitForBotMessage(fake, fake.channelId, { after: m.id });
    expect(reply.message_reference?.message_id).toBe(m.id);
    expect(reply.content).toMatch(/I'm paperbot/);
    expect(reply.content).toContain(CHAT_HINTS.followUpChannel);
    expect(fake.threadsIn(fake.channelId).some((t) => t.id === m.id)).toBe(false);
  });

  it('only emoji: says it found no words, in place', async () => {
    const m = fake.userMessage({ author: newUser(), mentionsBot: true, content: '🙂🎉 <:party:123456789012345678>' });
    const reply = await waitForBotMessage(fake, fake.channelId, { after: m.id });
    expect(reply.message_reference?.message_id).toBe(m.id);
    expect(reply.content).toMatch(/couldn't find any words/);
  });

  it('a 4,000-character message: read up to its first part, said so, within every limit', async () => {
    const long = `anything on coral bleaching thresholds ${'and marine heatwaves over many reefs '.repeat(110)}`.slice(0, 4000);
    const { question, reply } = await askInChannel(newUser(), long);
    expect(fake.threadsIn(fake.channelId).find((t) => t.id === question.id)!.name.length).toBeLessThanOrEqual(100);
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    expect(reply.content).toContain(`first ${MAX_MESSAGE_CHARS} characters`);
  });

  it('@everyone and user mentions inside the question ping no one', async () => {
    const victim = fake.addUser({ username: 'victim' });
    const { reply } = await askInChannel(newUser(), `anything on @everyone coral @here reefs <@${victim.id}>?`);
    expect(reply.content).not.toMatch(/@(everyone|here)(?!\u200b)/);
    expectNoPings();
  });

  it('only an attachment: says it reads text only', async () => {
    const m = fake.userMessage({ author: newUser(), mentionsBot: true, attachments: [{ filename: 'paper.pdf', size: 1000, contentType: 'application/pdf' }] });
    const reply = await waitForBotMessage(fake, fake.channelId, { after: m.id });
    expect(reply.content).toContain('I can only read text');
    expect((await waitForDone(c.logLines, m.id)).outcome).toBe('attachment-only');
  });

  it('a follow-up in an expired conversation says it lost the thread', async () => {
    const author = newUser();
    const { question } = await askInChannel(author, 'tell me about GutSeq');
    c.clock.advance(5 * 3600_000); // past the 4-hour idle limit
    const follow = fake.userMessage({ channelId: question.id, author, mentionsBot: true, content: 'does it have code?' });
    const answer = await waitForBotMessage(fake, question.id, { after: follow.id });
    expect(answer.content).toContain(LOST_THREAD.slice(0, 30));
  });

  it('a channel where the bot may not post or open threads: the answer goes to the asker’s DMs, said so', async () => {
    const author = newUser();
    const m = fake.userMessage({ channelId: readOnlyChannel, author, mentionsBot: true, content: 'anything on coral reefs?' });
    const log = await waitForDone(c.logLines, m.id);
    expect(log.where).toBe('dm-fallback');
    const dm = fake.dmChannel(author.id).id;
    const [reply] = botMessages(fake, dm);
    expect(reply!.content).toContain(coral!.title);
    expect(reply!.content).toContain(`couldn't post in <#${readOnlyChannel}>`);
    const refusals = c.logLines.filter((l) => l.messageId === m.id && l.msg.startsWith('cannot post there'));
    expect(refusals.map((l) => l.where)).toEqual(['new-thread', 'channel']);
  });

  it('a thread the bot can no longer post in: the follow-up is answered in DMs', async () => {
    const author = newUser();
    const { question } = await askInChannel(author, 'tell me about GutSeq');
    fake.setChannelAccess(question.id, 'forbidden');
    const follow = fake.userMessage({ channelId: question.id, author, mentionsBot: true, content: 'does it have code?' });
    expect((await waitForDone(c.logLines, follow.id)).where).toBe('dm-fallback');
    const reply = botMessages(fake, fake.dmChannel(author.id).id).at(-1)!;
    expect(reply.content).toContain('<https://github.com/example/gutseq>');
  });

  it('a channel where threads cannot be opened (a voice channel’s chat): answered in place; a pinged reply to that answer continues it', async () => {
    const author = newUser();
    const m = fake.userMessage({ channelId: voiceChannel, author, mentionsBot: true, content: 'tell me about GutSeq' });
    const reply = await waitForBotMessage(fake, voiceChannel, { after: m.id });
    expect(reply.message_reference?.message_id).toBe(m.id);
    expect(reply.content).toContain(gutseq!.title);
    expect(reply.content).toContain(CHAT_HINTS.followUpChannel);
    const follow = fake.userMessage({ channelId: voiceChannel, author, replyTo: reply.id, content: 'does it have code?' });
    const answer = await waitForBotMessage(fake, voiceChannel, { after: follow.id });
    expect(answer.content).toContain('<https://github.com/example/gutseq>');
    expect((await waitForDone(c.logLines, follow.id)).conversationId).toBe(m.id); // the conversation of the first message
  });
});

describe('/ask continues as a conversation', () => {
  it('"Follow up" opens a thread on the answer; a mention there continues from the answer’s papers', async () => {
    const user = newUser();
    const ex = fake.slashCommand('ask', { question: 'how does GutSeq resolve bacterial strains?' }, { userId: user.id });
    const answer: Json = await ex.waitForFinal();
    expect(answer.embeds[0].title).toBe('Answer');
    const button = answer.components[0].components[0];
    expect(button).toMatchObject({ custom_id: FOLLOW_UP_ID, label: 'Follow up' });

    const press = fake.button(FOLLOW_UP_ID, { message: answer.id }, { userId: user.id });
    expect((await press.callback).type).toBe(5);
    const note: Json = await press.waitForFinal();
    expect(Number(note.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(note.content).toBe(`Follow up in <#${answer.id}>.`);
    expect(c.state.chatThreads.has(answer.id)).toBe(true);
    const [hint] = botMessages(fake, answer.id).filter((m) => m.type === 0);
    expect(hint!.content).toMatch(/Mention me or reply to me to follow up/);

    // Pressing it again points at the same thread.
    const again = fake.button(FOLLOW_UP_ID, { message: answer.id }, { userId: user.id });
    expect(((await again.waitForFinal()) as Json).content).toBe(`Follow up in <#${answer.id}>.`);
    expect(fake.threadsIn(fake.channelId).filter((t) => t.id === answer.id)).toHaveLength(1);

    const follow = fake.userMessage({ channelId: answer.id, author: user, mentionsBot: true, content: 'does it have code?' });
    const reply = await waitForBotMessage(fake, answer.id, { after: follow.id });
    expect(reply.content).toContain('<https://github.com/example/gutseq>');
  });

  it('a reply (ping on) to an /ask answer in the channel continues that answer’s conversation, in place', async () => {
    const user = newUser();
    const answer: Json = await fake.slashCommand('ask', { question: 'how does GutSeq resolve bacterial strains?' }, { userId: user.id }).waitForFinal();
    const follow = fake.userMessage({ author: user, replyTo: answer.id, content: 'who wrote it?' });
    const reply = await waitForBotMessage(fake, fake.channelId, { after: follow.id });
    expect(reply.message_reference?.message_id).toBe(follow.id);
    expect(reply.content).toContain('A. Rivera');
    expect((await waitForDone(c.logLines, follow.id)).conversationId).toBe(answer.id);
  });

  it('/ask inside a thread: no button, and the thread’s conversation continues from it', async () => {
    const user = newUser();
    const { question } = await askInChannel(user, 'anything on minimum wage?');
    const answer: Json = await fake.slashCommand('ask', { question: 'how does GutSeq resolve bacterial strains?' }, { userId: user.id, channelId: question.id }).waitForFinal();
    expect(answer.components ?? []).toEqual([]);
    const follow = fake.userMessage({ channelId: question.id, author: user, mentionsBot: true, content: 'does it have code?' });
    const reply = await waitForBotMessage(fake, question.id, { after: follow.id });
    expect(reply.content).toContain('<https://github.com/example/gutseq>');
  });
});

describe('gateway intents', () => {
  it('asks only for Guilds, GuildMessages and DirectMessages without MESSAGE_CONTENT', () => {
    expect(fake.gateway.lastIntents).toBe(INTENTS.GUILDS | INTENTS.GUILD_MESSAGES | INTENTS.DIRECT_MESSAGES);
  });
});
