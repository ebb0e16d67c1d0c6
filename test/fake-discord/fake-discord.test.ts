import { describe, expect, it } from 'vitest';
import { Events, GatewayIntentBits, MessageFlags, type Client, type Interaction, type TextChannel } from 'discord.js';
import type { FakeDiscord, FakeDiscordOptions } from './index.js';
import { fakeDiscordSessions } from './test-session.js';

const login = fakeDiscordSessions();

/** A real discord.js client logged in to a fresh fake; `onInteraction` plays the bot. */
function loggedIn(onInteraction?: (i: Interaction) => Promise<void>, opts?: FakeDiscordOptions): Promise<{ fake: FakeDiscord; client: Client }> {
  return login({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] }, opts, (client) => {
    if (onInteraction) client.on(Events.InteractionCreate, (i) => void onInteraction(i).catch((err) => console.error('bot handler failed', err)));
  });
}

describe('fake discord with a real discord.js client', () => {
  it('logs in: READY user, application id and guild channels reach the client', async () => {
    const { fake, client } = await loggedIn();
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.appId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.channelId)?.isTextBased()).toBe(true);
    expect(fake.gateway.identifies).toBe(1);
    expect(fake.gateway.connectQueries[0]).toBe('v=10&encoding=json');
    expect(fake.requestsTo('GET', /^\/gateway\/bot$/)).toHaveLength(1);
  });

  it('delivers a slash command and records reply() with allowed_mentions', async () => {
    let seen: { name: string; query: string | null; k: number | null; guildId: string | null } | undefined;
    const { fake } = await loggedIn(async (i) => {
      if (!i.isChatInputCommand()) return;
      seen = { name: i.commandName, query: i.options.getString('query'), k: i.options.getInteger('k'), guildId: i.guildId };
      await i.reply({ content: 'found 3 papers', allowedMentions: { parse: [] } });
    });
    const ex = fake.slashCommand('search', { query: 'diffusion', k: 3 });
    const callback = await ex.callback;
    expect(seen).toEqual({ name: 'search', query: 'diffusion', k: 3, guildId: fake.guildId });
    expect(callback.type).toBe(4);
    expect(callback.data).toMatchObject({ content: 'found 3 papers', allowed_mentions: { parse: [] } });
    expect(ex.final()?.content).toBe('found 3 papers');
    // Non-ephemeral replies are channel messages too.
    expect(fake.messages(fake.channelId).map((m) => m.content)).toContain('found 3 papers');
  });

  it('records deferReply then editReply through @original, and a follow-up', async () => {
    const { fake } = await loggedIn(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply({ content: 'done thinking' });
      await i.followUp({ content: 'one more thing' });
    });
    const ex = fake.slashCommand('ask', { question: 'what is RLHF?' });
    expect((await ex.callback).type).toBe(5);
    expect(await ex.waitForEdit()).toMatchObject({ content: 'done thinking' });
    expect(fake.requestsTo('PATCH', /\/messages\/@original$/)).toHaveLength(1);
    expect((await ex.waitForFollowUp()).content).toBe('one more thing');
    expect(ex.final()).toMatchObject({ content: 'done thinking', ephemeral: true });
  });

  it('records an autocomplete respond() with its choices', async () => {
    const { fake } = await loggedIn(async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond([{ name: `${typed} models`, value: `${typed}-1` }]);
    });
    const ex = fake.autocomplete('paper', 'title', 'diffusion');
    const cb = await ex.callback;
    expect(cb).toEqual({ type: 8, data: { choices: [{ name: 'diffusion models', value: 'diffusion-1' }] } });
  });

  it('answers subcommands, buttons and message context menus with realistic payloads', async () => {
    const { fake } = await loggedIn(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: `${i.options.getSubcommand()} ${i.options.getString('time')}`, components: [] });
      else if (i.isButton()) await i.update({ content: `clicked ${i.customId}` });
      else if (i.isMessageContextMenuCommand()) await i.reply({ content: `target: ${i.targetMessage.content}`, flags: MessageFlags.Ephemeral });
    });
    const sub = fake.subcommand('daily', 'set', { time: '09:00' }, { permissions: 'admin' });
    expect((await sub.waitForFinal()).content).toBe('set 09:00');

    const clicked = fake.button('page:2', { message: sub.final()!.id });
    expect((await clicked.callback).type).toBe(7);
    expect(clicked.final()?.content).toBe('clicked page:2');

    const menu = fake.messageContextMenu('Find related', { content: 'Attention is all you need' });
    expect((await menu.waitForFinal()).content).toBe('target: Attention is all you need');
    expect(menu.payload.data.resolved.messages[menu.payload.data.target_id].content).toBe('Attention is all you need');
  });

  it('sends a 429 on the callback that discord.js waits out and retries', async () => {
    const { fake } = await loggedIn(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'eventually' });
    });
    fake.failNext({ method: 'POST', pathPattern: /\/callback$/, status: 429, retryAfter: 0.2 });
    const ex = fake.slashCommand('ping');
    expect((await ex.callback).data?.content).toBe('eventually');
    const attempts = fake.requestsTo('POST', /\/callback$/);
    expect(attempts.map((r) => r.status)).toEqual([429, 204]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(190);
    expect(fake.faultsInjected).toBe(1);
  });

  it('retries a 500 storm on channel send up to discord.js limits', async () => {
    const { fake, client } = await loggedIn();
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    fake.failNext({ method: 'POST', pathPattern: /^\/channels\/\d+\/messages$/, status: 500, times: 2 });
    await channel.send({ content: 'after two 500s' });
    expect(fake.requestsTo('POST', /^\/channels\/\d+\/messages$/).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('resumes after a gateway drop and still delivers interactions, including ones sent while down', async () => {
    const names: string[] = [];
    const { fake } = await loggedIn(async (i) => {
      if (!i.isChatInputCommand()) return;
      names.push(i.commandName);
      await i.reply({ content: 'pong' });
    });
    fake.dropGateway(4000);
    const whileDown = fake.slashCommand('missed'); // buffered by the session, replayed on RESUME
    await fake.gateway.waitForResume();
    expect(fake.gateway.identifies).toBe(1);
    await whileDown.callback;
    const after = fake.slashCommand('after');
    expect((await after.callback).data?.content).toBe('pong');
    expect(names).toEqual(['missed', 'after']);
  });

  it('deduplicates channel sends that repeat an enforced nonce, and rejects nonces over 25 chars', async () => {
    const { fake, client } = await loggedIn();
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const first = await channel.send({ content: 'daily picks', nonce: 'daily-2026-11-27', enforceNonce: true });
    const second = await channel.send({ content: 'daily picks', nonce: 'daily-2026-11-27', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(fake.messages(fake.channelId)).toHaveLength(1);
    await expect(channel.send({ content: 'x', nonce: 'paperbot-daily:123456789012345678:2026-11-27', enforceNonce: true })).rejects.toThrow(/nonce.*25 or fewer/);
    const fetched = await channel.messages.fetch({ limit: 10 });
    expect([...fetched.keys()]).toEqual([first.id]);
  });

  it('refuses missing and forbidden channels with the API error codes, and starts threads', async () => {
    const { fake, client } = await loggedIn(undefined, {
      guilds: [{ channels: [{ name: 'general' }, { id: '900000000000000001', name: 'locked', access: 'forbidden' }] }],
    });
    const general = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const locked = client.channels.cache.get('900000000000000001') as TextChannel;
    await expect(locked.send('hi')).rejects.toMatchObject({ status: 403, code: 50013 });
    fake.setChannelAccess(fake.channelId, 'missing');
    await expect(general.send('hi')).rejects.toMatchObject({ status: 404, code: 10003 });
    fake.setChannelAccess(fake.channelId, 'ok');
    const message = await general.send({ embeds: [{ title: 'Picks', footer: { text: 'paperbot-daily:x' } }] });
    const thread = await message.startThread({ name: 'Discuss' });
    expect(thread.id).toBe(message.id);
    expect(fake.threads.map((t) => t.name)).toEqual(['Discuss']);
  });

  it('stores bulk-overwritten commands and types slash options from them', async () => {
    const { fake, client } = await loggedIn(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: `k=${i.options.getNumber('k')}` });
    });
    await client.application!.commands.set(
      [{ name: 'search', description: 'Search papers', options: [{ name: 'k', description: 'how many', type: 10 }] }],
      fake.guildId,
    );
    expect(fake.commands.guild.get(fake.guildId)?.[0]?.id).toMatch(/^\d+$/);
    const ex = fake.slashCommand('search', { k: 5 });
    expect((await ex.callback).data?.content).toBe('k=5');
    expect(ex.payload.data.options[0].type).toBe(10);
    await expect(client.application!.commands.set([{ name: 'Bad Name', description: 'x' }])).rejects.toMatchObject({ code: 50035 });
  });

  it('rejects a second callback and times out waits with a clear message', async () => {
    const { fake } = await loggedIn(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'one' });
      await i.reply({ content: 'two' }).catch(() => {});
    }, { timeoutMs: 300 });
    const ex = fake.slashCommand('twice');
    await ex.callback;
    await fake.waitForRequest('POST', /\/callback$/);
    expect(fake.requestsTo('POST', /\/callback$/).map((r) => r.status)).toEqual([204]); // discord.js refuses the 2nd itself
    await expect(ex.waitForEdit()).rejects.toThrow(/\/twice \(interaction \d+\) got no edit #1 of @original within 300ms/);
  });

  it('answers with_response=true in the shape discord.js reads, and deleteReply removes the reply', async () => {
    let resourceContent: string | undefined;
    const { fake } = await loggedIn(async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.reply({ content: 'with response', withResponse: true });
      resourceContent = response.resource?.message?.content;
      await i.deleteReply();
    });
    const ex = fake.slashCommand('ping');
    await fake.waitForRequest('DELETE', /\/messages\/@original$/);
    expect(resourceContent).toBe('with response');
    expect(fake.requestsTo('POST', /\/callback$/)[0]!.query.with_response).toBe('true');
    expect(ex.final()).toBeUndefined();
    expect(fake.messages(fake.channelId)).toHaveLength(0);
  });

  it('rejects oversized embeds and too many autocomplete choices like Discord (50035)', async () => {
    const errors: unknown[] = [];
    const { fake } = await loggedIn(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ embeds: [{ description: 'x'.repeat(4097) }] }).catch((e) => errors.push(e));
      if (i.isAutocomplete()) await i.respond(Array.from({ length: 26 }, (_, n) => ({ name: `c${n}`, value: `v${n}` }))).catch((e) => errors.push(e));
    });
    const big = fake.slashCommand('search');
    await fake.waitForRequest('POST', /\/callback$/);
    const auto = fake.autocomplete('search', 'query', 'x');
    await expect.poll(() => errors.length).toBe(2);
    expect(String(errors[0])).toMatch(/embeds\[0\]\.description\[BASE_TYPE_MAX_LENGTH\]: Must be 4096 or fewer/);
    expect(errors[1]).toMatchObject({ code: 50035 });
    expect(big.callbackBody).toBeUndefined();
    expect(auto.callbackBody).toBeUndefined();
  });

  it('survives an abnormal socket kill, a global 429, a connection reset and added latency', async () => {
    const { fake, client } = await loggedIn(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'ok' });
    });
    fake.dropGateway('abnormal');
    await fake.gateway.waitForResume();
    await fake.slashCommand('after-kill').callback;

    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    fake.failNext({ pathPattern: /^\/channels\/\d+\/messages$/, status: 429, global: true, retryAfter: 0.1 });
    fake.failNext({ pathPattern: /^\/channels\/\d+\/messages$/, status: 'reset' });
    fake.setLatency(120);
    const started = Date.now();
    await channel.send('through the storm');
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 120);
    expect(fake.requestsTo('POST', /^\/channels\/\d+\/messages$/).map((r) => r.status)).toEqual([429, 0, 200]);
    expect(fake.messages(fake.channelId).map((m) => m.content)).toEqual(['ok', 'through the storm']); // 'ok' = the reply

    fake.setLatency(0);
    fake.failNext({ pathPattern: /^\/channels\/\d+\/messages$/, status: 'hangup' });
    await expect(channel.send('lost')).rejects.toThrow(/other side closed/);
    expect(fake.messages(fake.channelId).map((m) => m.content)).not.toContain('lost');

    // drop-response: the send takes effect, only the answer is lost.
    fake.failNext({ pathPattern: /^\/channels\/\d+\/messages$/, status: 'drop-response' });
    await expect(channel.send('sent, answer lost')).rejects.toThrow(/other side closed/);
    expect(fake.messages(fake.channelId).map((m) => m.content)).toContain('sent, answer lost');
  });

  it('delivers DM interactions (no member, user instead) and enforces an opt-in callback deadline', async () => {
    let dm: { inGuild: boolean; userId: string } | undefined;
    const { fake } = await loggedIn(async (i) => {
      if (!i.isChatInputCommand()) return;
      dm = { inGuild: i.inGuild(), userId: i.user.id };
      await new Promise((r) => setTimeout(r, 150));
      await i.reply({ content: 'too late?' }).catch(() => {});
    }, { callbackDeadlineMs: 100 });
    const ex = fake.slashCommand('help', undefined, { guildId: null, userId: '123456789012345678' });
    await fake.waitForRequest('POST', /\/callback$/);
    expect(dm).toEqual({ inGuild: false, userId: '123456789012345678' });
    expect(fake.requestsTo('POST', /\/callback$/)[0]!.status).toBe(404);
    expect(ex.callbackBody).toBeUndefined();
  });

  it('makes forbidden channels look forbidden to discord.js permission checks too', async () => {
    const { fake, client } = await loggedIn(undefined, {
      guilds: [{ channels: [{ name: 'general' }, { id: '900000000000000002', name: 'locked', access: 'forbidden' }] }],
    });
    const guild = client.guilds.cache.get(fake.guildId)!;
    const me = guild.members.me!;
    expect(guild.channels.cache.get(fake.channelId)!.permissionsFor(me)?.has('SendMessages')).toBe(true);
    expect(guild.channels.cache.get('900000000000000002')!.permissionsFor(me)?.has('SendMessages')).toBe(false);
  });

  it('follows op 7 RECONNECT with a resume and op 9 INVALID_SESSION with a fresh identify', async () => {
    const { fake, client } = await loggedIn(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'still here' });
    });
    // Wait for the client to finish handling RESUMED (the server counts the resume earlier).
    const resumed = new Promise((resolve) => client.once(Events.ShardResume, resolve));
    fake.gateway.requestReconnect();
    await resumed;
    expect(fake.gateway.resumes).toBe(1);
    fake.gateway.invalidateSession(false);
    await fake.gateway.waitForIdentify(2);
    expect((await fake.slashCommand('ping').callback).data?.content).toBe('still here');
  });

  it('pages channel history newest first with limit/before/after, without nonces', async () => {
    // Portal toggle on: REST reads of other people's messages carry content (see messages.test.ts for the rule).
    const { fake, client } = await loggedIn(undefined, { messageContentIntent: true });
    const ids = ['one', 'two', 'three', 'four'].map((content) => fake.addMessage(fake.channelId, { content }).id as string);
    const channel = (await client.channels.fetch(fake.channelId)) as TextChannel;
    const contents = (c: Iterable<{ content: string }>) => [...c].map((m) => m.content);
    expect(contents((await channel.messages.fetch({ limit: 2 })).values())).toEqual(['four', 'three']);
    expect(contents((await channel.messages.fetch({ limit: 2, before: ids[2] })).values())).toEqual(['two', 'one']);
    expect(contents((await channel.messages.fetch({ limit: 2, after: ids[0] })).values())).toEqual(['three', 'two']);
    const sent = await channel.send({ content: 'five', nonce: 'n-5', enforceNonce: true });
    expect(sent.nonce).toBe('n-5');
    const [raw] = (await client.rest.get(`/channels/${fake.channelId}/messages`, { query: new URLSearchParams({ limit: '1' }) })) as Array<Record<string, unknown>>;
    expect(raw).toMatchObject({ id: sent.id, content: 'five' });
    expect(raw).not.toHaveProperty('nonce');
  });
});
