import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { ChannelUnavailableError, DailyService, dailyMarker } from '../../src/bot/daily.js';
import { DiscordDailyPoster, dailyNonce } from '../../src/bot/discord-poster.js';
import type { DailyDefaults } from '../../src/store/daily-store.js';
import { StateStore } from '../../src/store/state.js';
import { startFakeDiscord, type FakeDiscord, type Json } from '../fake-discord/index.js';
import { fakeEngine, makePapers } from '../helpers/state-child.js';

const LOCKED = '900000000000000077';
const DATE = '2026-01-15';
const papers = makePapers(30);

let fake: FakeDiscord;
let client: Client;
let dir: string;
let state: StateStore;
let logs: { level: number; msg: string; reason?: string }[];
const logger = () => pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });

beforeEach(async () => {
  fake = await startFakeDiscord({
    guilds: [{ channels: [{ name: 'papers' }, { id: LOCKED, name: 'locked', access: 'forbidden' }] }],
  });
  client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], ...fake.clientOptions() });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login('fake-token');
  await ready;
  dir = mkdtempSync(join(tmpdir(), 'paperbot-daily-discord-'));
  state = StateStore.open(join(dir, 'state.db'));
  logs = [];
});

afterEach(async () => {
  state.close();
  await client.destroy();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(poster = new DiscordDailyPoster(client, logger())) {
  const defaults: DailyDefaults = { channelId: fake.channelId, time: '09:00', timezone: 'UTC', count: 3 };
  return new DailyService({
    store: state.daily,
    engine: fakeEngine(papers),
    poster,
    clock: fixedClock(`${DATE}T10:00:00Z`),
    logger: logger(),
    defaults,
    guildIds: () => [fake.guildId],
  });
}

const messagePosts = () => fake.requestsTo('POST', /^\/channels\/\d+\/messages$/);
const footers = (m: Json) => ((m as { embeds: { footer?: { text?: string } }[] }).embeds ?? []).map((e) => e.footer?.text);

describe('DiscordDailyPoster against the fake Discord', () => {
  it('posts the picks embed with no mentions, a ≤25-char enforced nonce and the marker footer, then opens a thread', async () => {
    const outcome = (await service().runDue()).get(fake.guildId);
    expect(outcome).toBe('sent');
    const marker = dailyMarker(fake.guildId, DATE);
    const [req] = messagePosts();
    const body = req!.body as Record<string, unknown>;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.nonce).toBe(dailyNonce(marker));
    expect(String(body.nonce).length).toBeLessThanOrEqual(25);
    expect(body.enforce_nonce).toBe(true);
    expect(footers(body as Json)).toContain(marker);

    const posted = fake.messages(fake.channelId);
    expect(posted).toHaveLength(1);
    const record = state.daily.dailyRecord(fake.guildId, DATE);
    expect(record).toMatchObject({ status: 'sent', channelId: fake.channelId, messageId: (posted[0] as { id: string }).id });
    expect(fake.threads).toHaveLength(1);
    expect(fake.threads[0]).toMatchObject({ name: `Papers of ${DATE}`, auto_archive_duration: 1440 });
  });

  it('findPosted finds the bot post by its footer marker (fetch has no nonce), not a user message or another date', async () => {
    const poster = new DiscordDailyPoster(client, logger());
    const marker = dailyMarker(fake.guildId, DATE);
    fake.addMessage(fake.channelId, { content: 'quoting', embeds: [{ title: 'x', footer: { text: marker } }], author: fake.user });
    const attempts = { first: new Date(fake.now()), last: new Date(fake.now()) };
    expect(await poster.findPosted(fake.channelId, marker, attempts)).toBeNull();
    const { messageId } = await poster.post(fake.channelId, papers.slice(0, 3), DATE, marker);
    fake.addMessage(fake.channelId, { content: 'chat after the post' });
    expect(await poster.findPosted(fake.channelId, marker, attempts)).toBe(messageId);
    expect(await poster.findPosted(fake.channelId, dailyMarker(fake.guildId, '2026-01-16'), attempts)).toBeNull();
  });

  it('findPosted pages from the attempt time: a post under 250 later messages and 150 earlier ones is found', async () => {
    const poster = new DiscordDailyPoster(client, logger());
    const marker = dailyMarker(fake.guildId, DATE);
    fake.flood(fake.channelId, 150, { dispatch: false });
    const attempt = new Date(fake.now());
    const { messageId } = await poster.post(fake.channelId, papers.slice(0, 3), DATE, marker);
    fake.advanceTime(60_000);
    fake.flood(fake.channelId, 250, { dispatch: false });
    const reads = () => fake.requestsTo('GET', /^\/channels\/\d+\/messages$/);
    expect(await poster.findPosted(fake.channelId, marker, { first: attempt, last: attempt })).toBe(messageId);
    // Every read is anchored with `after` (never just "the latest 50") and at most 100 long.
    expect(reads().length).toBeGreaterThanOrEqual(2);
    expect(reads().every((r) => r.query.after !== undefined && Number(r.query.limit) === 100)).toBe(true);
  });

  it('findPosted stops at the end of the window: a post long before the attempts is not "found", and the later flood is not read', async () => {
    const poster = new DiscordDailyPoster(client, logger());
    const marker = dailyMarker(fake.guildId, DATE);
    await poster.post(fake.channelId, papers.slice(0, 3), DATE, marker);
    fake.advanceTime(2 * 3_600_000);
    const attempt = new Date(fake.now());
    fake.advanceTime(60 * 60_000);
    fake.flood(fake.channelId, 300, { dispatch: false });
    const before = fake.requestsTo('GET', /^\/channels\/\d+\/messages$/).length;
    expect(await poster.findPosted(fake.channelId, marker, { first: attempt, last: attempt })).toBeNull();
    // The first page already reaches past the window (attempt + margin): one read, not three.
    expect(fake.requestsTo('GET', /^\/channels\/\d+\/messages$/).length - before).toBe(1);
  });

  it('the same marker sent twice is one message (Discord nonce dedupe), and a second thread is not an error', async () => {
    const poster = new DiscordDailyPoster(client, logger());
    const marker = dailyMarker(fake.guildId, DATE);
    const a = await poster.post(fake.channelId, papers.slice(0, 3), DATE, marker);
    const b = await poster.post(fake.channelId, papers.slice(0, 3), DATE, marker);
    expect(b.messageId).toBe(a.messageId);
    expect(fake.messages(fake.channelId)).toHaveLength(1);
    await poster.openThread(fake.channelId, a.messageId, `Papers of ${DATE}`);
    await expect(poster.openThread(fake.channelId, a.messageId, `Papers of ${DATE}`)).resolves.toBeUndefined();
    expect(fake.threads).toHaveLength(1);
  });

  it('a crash after the send: the next run finds the post and marks it, no second message', async () => {
    const marker = dailyMarker(fake.guildId, DATE);
    // What the crashed run did: claim, note the attempt, send, and die before markSent.
    const picks = state.daily.claimPicks(fake.guildId, DATE, () => papers.slice(0, 3).map((p) => p.id));
    state.daily.noteAttempt(fake.guildId, DATE, fake.channelId);
    const { messageId } = await new DiscordDailyPoster(client, logger()).post(fake.channelId, papers.slice(0, 3), DATE, marker);
    expect(picks.status).toBe('chosen');

    expect((await service().runDue()).get(fake.guildId)).toBe('recovered');
    expect(fake.messages(fake.channelId)).toHaveLength(1);
    expect(messagePosts()).toHaveLength(1);
    expect(state.daily.dailyRecord(fake.guildId, DATE)).toMatchObject({ status: 'sent', messageId });
    expect(fake.threads).toHaveLength(1);
  });

  it('a missing channel (404 10003) is logged and skipped without throwing; retried once it is back', async () => {
    fake.setChannelAccess(fake.channelId, 'missing');
    const daily = service();
    expect((await daily.runDue()).get(fake.guildId)).toBe('unavailable');
    const warn = logs.find((l) => l.level === 40 && l.msg.includes('cannot post'));
    expect(warn?.reason).toMatch(/10003/);
    expect(state.daily.dailyRecord(fake.guildId, DATE)?.status).toBe('chosen');
    expect(fake.messages(fake.channelId)).toHaveLength(0);

    fake.setChannelAccess(fake.channelId, 'ok');
    expect((await daily.runDue()).get(fake.guildId)).toBe('sent');
    expect(fake.messages(fake.channelId)).toHaveLength(1);
  });

  it('missing permissions (403 50013) surface as ChannelUnavailableError', async () => {
    const poster = new DiscordDailyPoster(client, logger());
    const err = await poster.post(LOCKED, papers.slice(0, 1), DATE, dailyMarker(fake.guildId, DATE)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelUnavailableError);
    expect((err as ChannelUnavailableError).reason).toMatch(/50013/);
  });

  it('a 500 storm fails the run without a crash or a post; the next run posts exactly once', async () => {
    // More 500s than @discordjs/rest retries (1 + 3), so the run gives up.
    fake.failNext({ method: 'POST', pathPattern: /\/channels\/\d+\/messages$/, status: 500, times: 4 });
    const daily = service();
    expect((await daily.runDue()).get(fake.guildId)).toBe('failed');
    expect(fake.faultsInjected).toBe(4);
    expect(logs.some((l) => l.level === 50 && l.msg.includes('will retry'))).toBe(true);
    expect(fake.messages(fake.channelId)).toHaveLength(0);
    fake.failNext({ method: 'POST', pathPattern: /\/channels\/\d+\/messages$/, status: 429, times: 1, retryAfter: 0.05 });
    expect((await daily.runDue()).get(fake.guildId)).toBe('sent');
    expect((await daily.runDue()).get(fake.guildId)).toBe('already-sent');
    expect(fake.messages(fake.channelId)).toHaveLength(1);
  });
});
