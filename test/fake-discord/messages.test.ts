/**
 * Messages people write, intents and the message-content rule, DMs, threads, edits, nonce ageing and
 * history paging — each checked through the real discord.js client logged in to the fake.
 */
import { describe, expect, it } from 'vitest';
import {
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  Partials,
  type Message,
  type TextChannel,
  type ThreadChannel,
  type ClientOptions,
} from 'discord.js';
import { startFakeDiscord, type FakeDiscordOptions, type Json } from './index.js';
import { fakeDiscordSessions, type Session } from './test-session.js';

const { Guilds, GuildMessages, DirectMessages, MessageContent } = GatewayIntentBits;
const login = fakeDiscordSessions();

function loggedIn(intents: GatewayIntentBits[], opts: FakeDiscordOptions = {}, clientOpts: Partial<ClientOptions> = {}): Promise<Session> {
  return login({ ...clientOpts, intents }, opts);
}

/** Resolves with the next message discord.js emits that satisfies `pred`. */
function nextMessage(c: Client, pred: (m: Message) => boolean = () => true, timeoutMs = 3000): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      c.off(Events.MessageCreate, on);
      reject(new Error(`no matching messageCreate within ${timeoutMs}ms`));
    }, timeoutMs);
    const on = (m: Message) => {
      if (!pred(m)) return;
      clearTimeout(timer);
      c.off(Events.MessageCreate, on);
      resolve(m);
    };
    c.on(Events.MessageCreate, on);
  });
}

/** Every messageCreate discord.js emits, for "nothing arrived" checks after a later message did arrive. */
function collectMessages(c: Client): Message[] {
  const seen: Message[] = [];
  c.on(Events.MessageCreate, (m) => seen.push(m));
  return seen;
}

describe('people writing messages, intents and message content', () => {
  it('a mention arrives with content and mentions.has(bot) even without MESSAGE_CONTENT; a plain message arrives empty', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages]);
    const plain = nextMessage(client, (m) => !m.author.bot);
    const sent = fake.userMessage({ content: 'just chatting about transformers' });
    const received = await plain;
    expect(received.id).toBe(sent.id);
    expect(received.content).toBe('');
    expect(received.mentions.has(client.user!)).toBe(false);
    expect(received.member?.id).toBe(fake.user.id); // guild messages carry `member`

    const mention = nextMessage(client, (m) => !m.author.bot);
    fake.userMessage({ content: 'what is a diffusion model?', mentionsBot: true, attachments: [{ filename: 'notes.pdf', size: 1234, contentType: 'application/pdf' }] });
    const m = await mention;
    expect(m.content).toBe(`<@${fake.botUser.id}> what is a diffusion model?`);
    expect(m.mentions.has(client.user!)).toBe(true);
    expect(m.mentions.users.map((u) => u.id)).toEqual([fake.botUser.id]);
    expect(m.attachments.first()).toMatchObject({ name: 'notes.pdf', size: 1234, contentType: 'application/pdf' });
    expect(m.type).toBe(0);
    expect(m.createdTimestamp).toBeLessThanOrEqual(Date.now());
    // What a human sees is always the full text.
    expect(fake.messages(fake.channelId).map((x) => x.content)).toEqual(['just chatting about transformers', `<@${fake.botUser.id}> what is a diffusion model?`]);
  });

  it('with MESSAGE_CONTENT every message has its content, embeds and attachments', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages, MessageContent]);
    const next = nextMessage(client);
    fake.userMessage({ content: 'plain but readable', embeds: [{ title: 'a link preview' }], attachments: [{ filename: 'a.png' }] });
    const m = await next;
    expect(m.content).toBe('plain but readable');
    expect(m.embeds[0]?.title).toBe('a link preview');
    expect(m.attachments.size).toBe(1);
  });

  it('a reply to the bot with the ping on mentions it (content visible); with the ping off it does not', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages]);
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const own = nextMessage(client, (m) => m.author.id === client.user!.id);
    const answer = await channel.send({ content: 'Here are three papers.', allowedMentions: { parse: [] } });
    expect((await own).id).toBe(answer.id); // the bot's own message comes back to it (bots must ignore their own)

    const pinged = nextMessage(client, (m) => !m.author.bot);
    const withPing = fake.userMessage({ content: 'and the second one?', replyTo: answer.id });
    const r1 = await pinged;
    expect(withPing.type).toBe(19);
    expect(r1.type).toBe(19);
    expect(r1.reference?.messageId).toBe(answer.id);
    expect(r1.mentions.has(client.user!)).toBe(true);
    expect(r1.mentions.repliedUser?.id).toBe(fake.botUser.id);
    expect(r1.content).toBe('and the second one?');
    expect((await r1.fetchReference()).content).toBe('Here are three papers.');

    const quiet = nextMessage(client, (m) => !m.author.bot);
    fake.userMessage({ content: 'never mind', replyTo: answer.id, replyMentions: false });
    const r2 = await quiet;
    expect(r2.type).toBe(19);
    expect(r2.mentions.users.size).toBe(0);
    expect(r2.mentions.has(client.user!)).toBe(false);
    expect(r2.content).toBe(''); // not mentioned, no MESSAGE_CONTENT

    const raw = fake.gateway.sent('MESSAGE_CREATE').at(-1)!.d;
    expect(raw).toMatchObject({ type: 19, message_reference: { message_id: answer.id, channel_id: fake.channelId, guild_id: fake.guildId }, mentions: [] });
    expect(raw.referenced_message).toMatchObject({ id: answer.id, content: 'Here are three papers.' }); // the bot's own: content kept
    expect(raw.referenced_message).not.toHaveProperty('guild_id');
  });

  it('does not dispatch guild messages without GUILD_MESSAGES, nor DMs without DIRECT_MESSAGES', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages]);
    const seen = collectMessages(client);
    fake.dm({ content: 'hello in private' });
    fake.userMessage({ content: 'hello everyone', mentionsBot: true });
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]!.channelId).toBe(fake.channelId);
    expect(fake.gateway.sent('MESSAGE_CREATE')).toHaveLength(1);
  });

  it('sends no message events at all to a Guilds-only client (the slash-command bot today)', async () => {
    const { fake } = await loggedIn([Guilds]);
    fake.userMessage({ content: 'hi', mentionsBot: true });
    fake.dm({ content: 'hi' });
    expect(fake.gateway.sent('MESSAGE_CREATE')).toHaveLength(0);
  });

  it('REST reads follow the same content rule as the gateway (by default, the intents of the latest IDENTIFY)', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages]);
    const plain = fake.userMessage({ content: 'not for bots', dispatch: false });
    const mention = fake.userMessage({ content: 'for the bot', mentionsBot: true, dispatch: false });
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    expect((await channel.messages.fetch({ message: plain.id, cache: false })).content).toBe('');
    expect((await channel.messages.fetch({ message: mention.id, cache: false })).content).toBe(`<@${fake.botUser.id}> for the bot`);
  });

  it('the portal toggle: on → REST reads carry content; off → an IDENTIFY with MESSAGE_CONTENT is closed with 4014', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages], { messageContentIntent: true });
    const visible = fake.userMessage({ content: 'portal toggle on', dispatch: false });
    const ch = (await client.channels.fetch(fake.channelId)) as TextChannel;
    expect((await ch.messages.fetch({ message: visible.id })).content).toBe('portal toggle on');

    const strict = await startFakeDiscord({ messageContentIntent: false });
    const refused = new Client({ intents: [Guilds, GuildMessages, MessageContent], ...strict.clientOptions() });
    try {
      const disconnected = new Promise<number>((resolve) => refused.once(Events.ShardDisconnect, (e) => resolve(e.code)));
      refused.on(Events.Error, () => {}); // discord.js also reports "Used disallowed intents" as an error event
      void refused.login('fake-token').catch(() => {});
      expect(await disconnected).toBe(4014);
      expect(strict.gateway.identifies).toBe(0);
    } finally {
      await refused.destroy();
      await strict.close();
    }
  });
});

describe('DMs', () => {
  it('discord.js drops a DM without Partials.Channel: it does not know the channel', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages, DirectMessages]);
    const seen = collectMessages(client);
    fake.dm({ content: 'are you there?' });
    fake.userMessage({ content: 'marker in the guild', mentionsBot: true }); // dispatched after the DM
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]!.guildId).toBe(fake.guildId); // the DM never surfaced
    const rawDm = fake.gateway.sent('MESSAGE_CREATE')[0]!.d;
    expect(rawDm).not.toHaveProperty('guild_id');
    expect(rawDm).not.toHaveProperty('member');
    expect(rawDm.content).toBe('are you there?'); // DMs keep content without MESSAGE_CONTENT
  });

  it('delivers a DM with Partials.Channel, and the bot can answer in it', async () => {
    const { fake, client } = await loggedIn([Guilds, DirectMessages], {}, { partials: [Partials.Channel] });
    const got = nextMessage(client);
    fake.dm({ content: 'summarise the attention paper', userId: '555000000000000001', username: 'bob' });
    const dm = await got;
    expect(dm.channel.type).toBe(ChannelType.DM);
    expect(dm.guildId).toBeNull();
    expect(dm.author.username).toBe('bob');
    expect(dm.content).toBe('summarise the attention paper');
    const reply = await dm.reply({ content: 'Here you go.', allowedMentions: { parse: [] } });
    expect(reply.channelId).toBe(fake.dmChannel('555000000000000001').id);
    expect(fake.messages(dm.channelId).map((m) => m.content)).toEqual(['summarise the attention paper', 'Here you go.']);
  });

  it('opens a DM channel over REST (POST /users/@me/channels) and reports a user who refuses DMs (50007)', async () => {
    const { fake, client } = await loggedIn([Guilds]);
    const dm = await client.users.createDM(fake.user.id);
    expect(dm.id).toBe(fake.dmChannel().id);
    await dm.send({ content: 'your daily digest', allowedMentions: { parse: [] } });
    expect(fake.messages(dm.id)).toHaveLength(1);
    fake.refuseDms(fake.user.id);
    await expect(dm.send('again')).rejects.toMatchObject({ status: 403, code: 50007 });
    await expect(client.users.createDM('123')).rejects.toMatchObject({ code: 10013 });
  });
});

describe('threads', () => {
  it('opens a thread on a user message (id = message id, THREAD_CREATE), and messages in it carry the thread id', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages]);
    const created = new Promise<{ thread: ThreadChannel; newly: boolean }>((resolve) =>
      client.once(Events.ThreadCreate, (thread, newly) => resolve({ thread, newly })),
    );
    const question = nextMessage(client, (m) => !m.author.bot);
    fake.userMessage({ content: 'which papers use RLHF?', mentionsBot: true });
    const asked = await question;
    const thread = await asked.startThread({ name: 'RLHF papers', autoArchiveDuration: 60 });
    expect(thread.id).toBe(asked.id);
    const event = await created;
    expect(event.thread.id).toBe(asked.id);
    expect(event.newly).toBe(true);
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(fake.channelId);
    expect(thread.ownerId).toBe(fake.botUser.id);

    await thread.send({ content: 'Three papers use RLHF.', allowedMentions: { parse: [] } });
    const followUp = nextMessage(client, (m) => !m.author.bot);
    fake.userMessage({ channelId: thread.id, content: 'thanks, and DPO?', mentionsBot: true });
    const inThread = await followUp;
    expect(inThread.channelId).toBe(thread.id);
    expect(inThread.guildId).toBe(fake.guildId);
    expect(inThread.channel.isThread()).toBe(true);

    const [info] = fake.threadsIn(fake.channelId);
    expect(info).toMatchObject({ id: asked.id, type: 11, parent_id: fake.channelId, owner_id: fake.botUser.id, message_count: 2, member_count: 2 });
    expect(info!.thread_metadata).toMatchObject({ archived: false, locked: false, auto_archive_duration: 60 });
    const fetched = (await client.channels.fetch(thread.id, { force: true })) as ThreadChannel;
    expect(fetched.messageCount).toBe(2);
    // History in the thread: Discord's empty type-21 starter first, pointing back at the parent message.
    const history = [...(await thread.messages.fetch({ limit: 10 })).values()].reverse();
    expect(history.map((m) => m.type)).toEqual([21, 0, 0]);
    expect(history[0]!.reference?.messageId).toBe(asked.id);
    await expect(asked.startThread({ name: 'again' })).rejects.toMatchObject({ code: 160004 });
  });

  it('refuses posts the bot may not make: forbidden (50013), hidden (50001), archived+locked (50083); a send unarchives', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages]);
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const starter = await channel.send('Daily picks');
    const thread = await starter.startThread({ name: 'Discuss' });

    fake.setChannelAccess(thread.id, 'forbidden');
    await expect(thread.send('hi')).rejects.toMatchObject({ status: 403, code: 50013 });
    fake.setChannelAccess(thread.id, 'ok');
    fake.setChannelAccess(fake.channelId, 'hidden'); // threads inherit the parent's permissions
    await expect(thread.send('hi')).rejects.toMatchObject({ status: 403, code: 50001 });
    await expect(thread.messages.fetch({ limit: 5 })).rejects.toMatchObject({ code: 50001 });
    fake.setChannelAccess(fake.channelId, 'ok');

    fake.setThreadState(thread.id, { archived: true });
    await expect.poll(() => thread.archived).toBe(true); // THREAD_UPDATE reached discord.js
    const sent = await thread.send('still here');
    expect(fake.threadsIn(fake.channelId)[0]!.thread_metadata.archived).toBe(false);
    fake.setThreadState(thread.id, { archived: true, locked: true });
    await expect(thread.send('hello?')).rejects.toMatchObject({ status: 400, code: 50083 });
    await expect(sent.edit('edited')).rejects.toMatchObject({ code: 50083 });
    expect(() => fake.userMessage({ channelId: thread.id, content: 'me too' })).toThrow(/locked/);
  });
});

describe('edits, nonces and history', () => {
  it('validates edits like sends and records each one with a time (for edit-rate assertions); MESSAGE_UPDATE reaches the bot', async () => {
    const t0 = 1_800_000_000_000;
    let clock = t0;
    const { fake, client } = await loggedIn([Guilds, GuildMessages], { now: () => clock });
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const msg = await channel.send({ content: 'Thinking', allowedMentions: { parse: [] } });
    expect(msg.createdTimestamp).toBe(t0); // ids and timestamps come from the fake's clock
    const updated = new Promise<string>((resolve) => client.once(Events.MessageUpdate, (_old, m) => resolve(m.content ?? '')));
    for (const [i, text] of ['Thinking.', 'Thinking..', 'Answer: three papers.'].entries()) {
      clock = t0 + 1000 * (i + 1);
      await msg.edit({ content: text, allowedMentions: { parse: [] } });
    }
    expect(await updated).toBe('Thinking.');
    const edits = fake.messageEdits(msg.id);
    expect(edits.map((e) => e.at - t0)).toEqual([1000, 2000, 3000]);
    expect(edits.map((e) => e.message.content)).toEqual(['Thinking.', 'Thinking..', 'Answer: three papers.']);
    expect(edits[2]!.message.edited_timestamp).toBe(new Date(t0 + 3000).toISOString());

    await expect(msg.edit({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 50035 });
    await expect(msg.edit({ content: '' })).rejects.toMatchObject({ code: 50006 });
    await expect(msg.edit({ content: 'hi', allowedMentions: { parse: ['users'], users: [fake.user.id] } })).rejects.toMatchObject({ code: 50035 });
    expect(fake.messageEdits(msg.id)).toHaveLength(3);
    const theirs = fake.userMessage({ content: 'mine', dispatch: false });
    await expect(client.rest.patch(`/channels/${fake.channelId}/messages/${theirs.id}`, { body: { content: 'x' } })).rejects.toMatchObject({ code: 50005 });
  });

  it('computes mentions from content and allowed_mentions: parse [] pings nobody, no allowed_mentions pings', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages]);
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const quiet = await channel.send({ content: `<@${fake.user.id}> @everyone see this`, allowedMentions: { parse: [] } });
    const loud = await channel.send({ content: `<@${fake.user.id}> @everyone see this`, allowedMentions: { parse: ['users', 'everyone'] } });
    const byId = (id: string) => fake.messages(fake.channelId).find((m) => m.id === id)!;
    expect(byId(quiet.id)).toMatchObject({ mentions: [], mention_everyone: false });
    expect(byId(loud.id).mentions.map((u: Json) => u.id)).toEqual([fake.user.id]);
    expect(byId(loud.id).mention_everyone).toBe(true);
    // A reply without replied_user does not ping the author.
    const human = fake.userMessage({ content: 'question', dispatch: false });
    const reply = await channel.send({ content: 'answer', reply: { messageReference: human.id }, allowedMentions: { parse: [] } });
    expect(byId(reply.id)).toMatchObject({ type: 19, mentions: [], message_reference: { message_id: human.id } });
    await expect(channel.send({ content: 'x', reply: { messageReference: '123456789012345678' } })).rejects.toMatchObject({ code: 50035 });
  });

  it('forgets enforced nonces after the TTL: a repeat within it is the same message, after it a second one', async () => {
    const { fake, client } = await loggedIn([Guilds], { nonceTtlMs: 60_000 });
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const first = await channel.send({ content: 'daily', nonce: 'daily-x', enforceNonce: true });
    fake.advanceTime(59_000);
    expect((await channel.send({ content: 'daily', nonce: 'daily-x', enforceNonce: true })).id).toBe(first.id);
    fake.advanceTime(1_000);
    const third = await channel.send({ content: 'daily', nonce: 'daily-x', enforceNonce: true });
    expect(third.id).not.toBe(first.id);
    expect(fake.messages(fake.channelId)).toHaveLength(2);
  });

  it('pages a flooded channel like Discord: newest first always, limit 1–100, before/after/around', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages], { messageContentIntent: true });
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const post = await channel.send('the daily post');
    const flood = fake.flood(fake.channelId, 120, { dispatch: false });
    expect(new Set(flood.map((m) => m.id)).size).toBe(120);
    expect(new Set(flood.map((m) => m.author.id)).size).toBe(3);
    const ids = (c: Iterable<Message>) => [...c].map((m) => m.id);

    const newest = await channel.messages.fetch({ limit: 100 });
    expect(ids(newest.values())).toEqual(flood.slice(20).map((m) => m.id).reverse());
    expect(newest.has(post.id)).toBe(false);
    const older = await channel.messages.fetch({ limit: 100, before: flood[20]!.id });
    expect(ids(older.values())).toEqual([...flood.slice(0, 20).map((m) => m.id).reverse(), post.id]);

    // after: the `limit` messages right after the id, still newest first.
    const after = await channel.messages.fetch({ limit: 3, after: post.id });
    expect(ids(after.values())).toEqual([flood[2]!.id, flood[1]!.id, flood[0]!.id]);
    const around = await channel.messages.fetch({ limit: 4, around: flood[50]!.id });
    expect(ids(around.values())).toEqual([flood[52]!.id, flood[51]!.id, flood[50]!.id, flood[49]!.id, flood[48]!.id]);
    expect((await channel.messages.fetch({ limit: 1, around: flood[50]!.id })).size).toBe(1);
    expect((await channel.messages.fetch()).size).toBe(50); // default limit

    const get = (query: Record<string, string>) => client.rest.get(`/channels/${fake.channelId}/messages`, { query: new URLSearchParams(query) });
    await expect(get({ limit: '101' })).rejects.toMatchObject({ code: 50035 });
    await expect(get({ limit: '0' })).rejects.toMatchObject({ code: 50035 });
    await expect(get({ before: 'yesterday' })).rejects.toMatchObject({ code: 50035 });
    await expect(get({ before: post.id, after: post.id })).rejects.toMatchObject({ code: 50035 });
  });

  it('dispatches public interaction replies as the bot\'s own messages (and edits of them as updates)', async () => {
    const { fake, client } = await loggedIn([Guilds, GuildMessages]);
    client.on(Events.InteractionCreate, (i) => {
      if (!i.isChatInputCommand()) return;
      void (async () => {
        await i.deferReply();
        await i.editReply({ content: 'done' });
      })();
    });
    const own = nextMessage(client, (m) => m.author.id === client.user!.id);
    const ex = fake.slashCommand('ask');
    await ex.waitForEdit();
    const m = await own;
    expect(m.interactionMetadata?.id).toBe(ex.id);
    expect(fake.gateway.sent('MESSAGE_UPDATE').map((e) => e.d.content)).toEqual(['done']);
    expect(fake.messageEdits(m.id).map((e) => e.body.content)).toEqual(['done']);
    expect(fake.messages(fake.channelId).map((x) => x.content)).toEqual(['done']);
  });
});
