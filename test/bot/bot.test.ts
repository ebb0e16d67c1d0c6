/**
 * The real discord.js client, logged in to the fake Discord, running the real
 * commands over the fake engine and a real StateStore in a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../scripts/deploy-commands.js';
import { commands } from '../../commands/index.js';
import { createBot, createClient, type Bot } from '../../src/bot/client.js';
import { QueryMemory } from '../../src/bot/components.js';
import { APOLOGY } from '../../src/bot/router.js';
import type { Services } from '../../src/bot/types.js';
import { fixedClock } from '../../src/clock.js';
import { StateStore } from '../../src/store/state.js';
import { startFakeDiscord, PERMISSIONS, type FakeDiscord, type InteractionExchange, type Json } from '../fake-discord/index.js';
import { FAKE_PAPERS, createFakeEngine } from '../helpers/fake-engine.js';

const EPHEMERAL = 64;
const TOKEN = 'fake-token-for-tests-0000000000';

let fake: FakeDiscord;
let bot: Bot;
let state: StateStore;
let dir: string;
const logLines: Json[] = [];
const rescheduled: string[] = [];
const engine = createFakeEngine({ failOn: 'explode' });
const queryMemory = new QueryMemory();

let userSeq = 0n;
/** A fresh user per interaction group, so the per-user cooldown never bites by accident. */
const asNewUser = (extra: Json = {}) => ({ userId: String(200000000000000000n + ++userSeq), ...extra });

function services(): Services {
  return {
    engine,
    state,
    daily: { todaysPicks: () => engine.picks('x', 3, []), reschedule: (g: string) => void rescheduled.push(g) },
    queryMemory,
    logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) }),
    clock: fixedClock('2026-03-01T10:00:00Z'),
    startedAt: new Date('2026-03-01T09:00:00Z'),
    dailyDefaults: { channelId: null, time: '09:00', timezone: 'UTC', count: 3 },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperbot-bot-'));
  state = StateStore.open(join(dir, 'state.db'));
  fake = await startFakeDiscord();
  const deployed = await deployCommands({ token: TOKEN, appId: fake.appId, guildId: fake.guildId, apiBase: fake.apiBase, commands });
  expect(deployed.registered.map((c) => c.name).sort()).toEqual(['Similar papers', 'about', 'add', 'ask', 'collection', 'daily', 'find', 'paper', 'remove', 'similar', 'today']);
  const s = services();
  bot = createBot({ client: createClient({ clientOptions: fake.clientOptions() }), token: TOKEN, commands, services: s, logger: s.logger });
  await bot.start();
  expect(bot.isReady()).toBe(true);
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  state?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The finished reply, loosely typed (raw API JSON) for terse assertions. */
async function finalOf(ex: InteractionExchange): Promise<Json> {
  await ex.callback;
  return (await ex.waitForFinal()) as Json;
}

async function expectEphemeralError(ex: InteractionExchange, text: RegExp): Promise<void> {
  const cb = await ex.callback;
  if (cb.type === 4) {
    expect(Number(cb.data?.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(cb.data?.content).toMatch(text);
  } else {
    const follow = await ex.waitForFollowUp();
    expect(Number(follow.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(follow.content).toMatch(text);
    expect(ex.final()).toBeUndefined(); // the public "thinking…" was removed
  }
}

describe('/find', () => {
  it('defers, then shows numbered results with snippet, code link, footer and controls', async () => {
    const ex = fake.slashCommand('find', { query: 'patches tokens', k: 3 }, asNewUser());
    expect((await ex.callback).type).toBe(5);
    const msg: Json = await ex.waitForFinal();
    expect(msg.embeds).toHaveLength(3);
    expect(msg.embeds.map((e: Json) => e.title.slice(0, 3))).toEqual(['1. ', '2. ', '3. ']);
    expect(msg.embeds[2].footer.text).toMatch(/^lexical · \d+ ms · results 1–3 of \d+/);
    for (const e of msg.embeds) expect(e.url).toMatch(/^https:\/\//);
    const [selectRow, buttonRow] = msg.components;
    expect(selectRow.components[0].custom_id).toBe('similar:more');
    expect(buttonRow.components.at(-1).label).toMatch(/Next/);
  });

  it('"Next" pages on by editing the same message; Previous comes back', async () => {
    const user = asNewUser();
    const first = await finalOf(fake.slashCommand('find', { query: 'patch patches tokens', k: 2 }, user));
    const nextId: string = first.components[1].components.at(-1).custom_id;
    expect(nextId).toMatch(/^find:page:2:2:0:/);
    const next = fake.button(nextId, { message: first.id }, user);
    expect((await next.callback).type).toBe(6);
    const edit = await next.waitForEdit();
    expect(edit.embeds.map((e: Json) => e.title.slice(0, 3))).toEqual(['3. ', '4. ']);
    expect(edit.allowed_mentions).toEqual({ parse: [] });
    const prevId: string = edit.components[1].components[0].custom_id;
    expect(prevId).toMatch(/^find:page:0:2:0:/);
  });

  it('says politely when the query was forgotten (restart)', async () => {
    const user = asNewUser();
    const first = await finalOf(fake.slashCommand('find', { query: 'patches', k: 2 }, user));
    queryMemory.clear();
    const next = fake.button(first.components[1].components.at(-1).custom_id, { message: first.id }, user);
    await expectEphemeralError(next, /no longer remember that search/);
  });

  it('a forged or stale button id gets a polite ephemeral note, logged as a user error, not a failure', async () => {
    const user = asNewUser();
    const first = await finalOf(fake.slashCommand('find', { query: 'patches', k: 2 }, user));
    for (const id of ['nope', '__proto__:x', 'daily:set']) {
      await expectEphemeralError(fake.button(id, { message: first.id }, asNewUser()), /older version of me|run the command again/);
    }
    expect(logLines.filter((l) => l.msg === 'interaction failed' && /component/.test(String((l.err as Json)?.message ?? '')))).toEqual([]);
  });

  it('has_code keeps only papers with code', async () => {
    const msg = await finalOf(fake.slashCommand('find', { query: 'patch language video', has_code: true }, asNewUser()));
    expect(msg.embeds.length).toBeGreaterThan(0);
    for (const e of msg.embeds) expect(e.fields?.[0]?.name).toBe('Code');
  });

  it('shows the 300-char-title paper and its 10k abstract within every embed limit', async () => {
    const msg = await finalOf(fake.slashCommand('find', { query: 'remarkably long title patch tokens everywhere', k: 10 }, asNewUser()));
    const total = msg.embeds.reduce((n: number, e: Json) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((m: number, f: Json) => m + f.name.length + f.value.length, 0), 0);
    expect(total).toBeLessThanOrEqual(6000);
    for (const e of msg.embeds) expect(e.title.length).toBeLessThanOrEqual(256);
  });
});

describe('similar', () => {
  it('/similar by paper id names the paper; "More like this" opens a new reply', async () => {
    const user = asNewUser();
    const msg = await finalOf(fake.slashCommand('similar', { paper: FAKE_PAPERS[2]!.id }, user));
    expect(msg.content).toMatch(/^Papers similar to \*\*Patch-Level Training/);
    expect(msg.embeds.map((e: Json) => e.title)).not.toContain(expect.stringContaining('Patch-Level Training for Large'));
    const target = msg.components[0].components[0].options[0].value;
    const more = fake.select('similar:more', [target], { message: msg.id }, user);
    expect((await more.callback).type).toBe(5);
    const reply: Json = await more.waitForFinal();
    expect(reply.content).toMatch(/^Papers similar to \*\*/);
  });

  it('/similar with free text', async () => {
    const msg = await finalOf(fake.slashCommand('similar', { paper: 'video compression with implicit neural representations' }, asNewUser()));
    expect(msg.content).toMatch(/^Papers similar to “video compression/);
    expect(msg.embeds[0].title).toMatch(/NIRVANA/);
  });

  it('autocomplete answers ≤ 25 choices with names ≤ 100 chars', async () => {
    const ex = fake.autocomplete('similar', 'paper', 'a', {}, asNewUser());
    const cb = await ex.callback;
    expect(cb.type).toBe(8);
    const choices = cb.data!.choices as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
    expect(choices.some((c) => c.value === FAKE_PAPERS[5]!.id)).toBe(true); // the 300-char title got cut
  });

  it('the "Similar papers" context menu uses the message text, or its embeds', async () => {
    const a = await finalOf(fake.messageContextMenu('Similar papers', { content: 'Has anyone tried patch-level training for language models?' }, asNewUser()));
    expect(a.embeds[0].title).toMatch(/Patch-Level Training/);
    const b = await finalOf(
      fake.messageContextMenu('Similar papers', { content: '', embeds: [{ title: 'Vision Transformer patchification', description: 'image tokens' }] }, asNewUser()),
    );
    expect(b.embeds.length).toBeGreaterThan(0);
  });

  it('the context menu on an empty message is a friendly ephemeral error', async () => {
    await expectEphemeralError(fake.messageContextMenu('Similar papers', { content: '' }, asNewUser()), /no text I can compare/);
  });
});

describe('/ask, /paper, /today, /about', () => {
  it('/ask cites sources, and says plainly when unanswered', async () => {
    const answered = await finalOf(fake.slashCommand('ask', { question: 'How are LLMs trained on patches?' }, asNewUser()));
    expect(answered.embeds[0].title).toBe('Answer');
    expect(answered.embeds[0].description).toMatch(/\[1\]/);
    expect(answered.embeds[0].fields[0].name).toBe('Sources');
    expect(answered.embeds[0].fields[0].value).toMatch(/^\[1\] \[/);
    const none = await finalOf(fake.slashCommand('ask', { question: 'zzqx qqq' }, asNewUser()));
    expect(none.embeds[0].title).toMatch(/Not answered/);
  });

  it('/paper shows abstract, code and 3 similar papers; unknown paper → ephemeral', async () => {
    const msg = await finalOf(fake.slashCommand('paper', { paper: FAKE_PAPERS[0]!.id }, asNewUser()));
    const e = msg.embeds[0];
    expect(e.title).toMatch(/^NIRVANA/);
    expect(e.url).toBe('https://arxiv.org/abs/2212.14593');
    expect(e.fields.find((f: Json) => f.name === 'Code').value).toContain('github.com/example/nirvana');
    expect(e.fields.find((f: Json) => f.name === 'Similar papers').value.split('\n').length).toBeLessThanOrEqual(3);
    await expectEphemeralError(fake.slashCommand('paper', { paper: 'no-such-paper-zzz' }, asNewUser()), /I don't know a paper called “no-such-paper-zzz”/);
  });

  it('/paper and /similar with a name that fits several papers: an ephemeral picker that leads to the paper / its similar list', async () => {
    const user = asNewUser();
    const ex = fake.slashCommand('paper', { paper: 'patch' }, user);
    const cb = await ex.callback;
    expect(cb.type).toBe(4);
    const prompt: Json = await ex.waitForFinal();
    expect(Number(cb.data?.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(cb.data!.content).toMatch(/papers match “patch”/);
    const menu = cb.data!.components[0].components[0];
    expect(menu.custom_id).toBe('paper:pick');
    const ids = (menu.options as Json[]).map((o) => o.value);
    expect(ids).toContain(FAKE_PAPERS[2]!.id);
    for (const o of menu.options as Json[]) expect(o.label.length).toBeLessThanOrEqual(100);
    const picked = fake.select('paper:pick', [FAKE_PAPERS[2]!.id], { message: prompt.id }, user);
    const shown: Json = await picked.waitForFinal();
    expect(shown.embeds[0].title).toMatch(/^Patch-Level Training/);

    const simEx = fake.slashCommand('similar', { paper: 'patch' }, user);
    const sim = await simEx.callback;
    expect(sim.data!.components[0].components[0].custom_id).toBe('similar:pick');
    const simPrompt: Json = await simEx.waitForFinal();
    const list: Json = await fake.select('similar:pick', [FAKE_PAPERS[2]!.id], { message: simPrompt.id }, user).waitForFinal();
    expect(list.content).toMatch(/^Papers similar to \*\*Patch-Level Training/);
  });

  it('/today in a guild and in a DM', async () => {
    const guild = await fake.slashCommand('today', {}, asNewUser()).callback;
    expect(guild.type).toBe(4);
    expect(guild.data!.embeds[0].author.name).toBe('Paper picks for 2026-03-01');
    const dm = await fake.slashCommand('today', {}, asNewUser({ guildId: null })).callback;
    expect(dm.type).toBe(4);
    expect(dm.data!.embeds).toHaveLength(3);
  });

  it('/about reports size, mode, model note, index age and uptime', async () => {
    const cb = await fake.slashCommand('about', {}, asNewUser()).callback;
    const fields = Object.fromEntries((cb.data!.embeds[0].fields as Json[]).map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ Papers: String(FAKE_PAPERS.length), 'Search mode': 'lexical', Uptime: '1h 0m' });
    expect(fields['Embedding model']).toMatch(/^none — no local model folder/);
    expect(fields['Index age']).toMatch(/ago$/);
  });
});

describe('/daily', () => {
  const admin = () => asNewUser({ permissions: PERMISSIONS.MANAGE_GUILD | PERMISSIONS.VIEW_CHANNEL });

  it('set stores valid settings, reschedules, and replies ephemerally', async () => {
    rescheduled.length = 0;
    const cb = await fake.subcommand('daily', 'set', { time: '7:30', timezone: 'Europe/Berlin', count: 4, channel: fake.channelId }, admin()).callback;
    expect(cb.type).toBe(4);
    expect(Number(cb.data!.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(state.daily.getSettings(fake.guildId, services().dailyDefaults)).toMatchObject({ time: '07:30', timezone: 'Europe/Berlin', count: 4, channelId: fake.channelId });
    expect(rescheduled).toEqual([fake.guildId]);
    const paused = await fake.subcommand('daily', 'pause', {}, admin()).callback;
    expect(paused.data!.content).toMatch(/paused/);
    expect(state.daily.getSettings(fake.guildId, services().dailyDefaults).paused).toBe(true);
    const shown = await fake.subcommand('daily', 'show', {}, admin()).callback;
    expect(JSON.stringify(shown.data!.embeds)).toContain('07:30 (Europe/Berlin)');
  });

  it.each([
    ['a bad time', { time: '24:00' }, /HH:MM between 00:00 and 23:59/],
    ['a bad zone', { timezone: 'Mars/Base' }, /not a time zone/],
    ['nothing', {}, /at least one of/],
  ])('set with %s → ephemeral error, nothing stored', async (_label, options, message) => {
    const before = state.daily.getSettings(fake.guildId, services().dailyDefaults);
    await expectEphemeralError(fake.subcommand('daily', 'set', options, admin()), message);
    expect(state.daily.getSettings(fake.guildId, services().dailyDefaults)).toEqual(before);
  });

  it('refuses members without Manage Server', async () => {
    await expectEphemeralError(fake.subcommand('daily', 'set', { time: '10:00' }, asNewUser()), /Manage Server/);
  });
});

describe('bad input, failures, cooldown', () => {
  it.each([
    ['empty', '   ', /empty/],
    ['5000 chars', 'x'.repeat(5000), /limit is 500/],
    ['@everyone', '@everyone look', /mentions/],
    ['only markdown', '**__**', /no words/],
  ])('/find with %s → ephemeral error; a later command still works', async (_label, query, message) => {
    const user = asNewUser();
    await expectEphemeralError(fake.slashCommand('find', { query }, user), message);
    const ok = await finalOf(fake.slashCommand('find', { query: 'patches' }, user));
    expect(ok.embeds.length).toBeGreaterThan(0);
  });

  it('markdown around words is searched, and echoed escaped', async () => {
    const msg = await finalOf(fake.slashCommand('find', { query: '**patches**' }, asNewUser()));
    expect(msg.content).toBe('Search: “patches”');
  });

  it('an engine failure: public "thinking…" removed, ephemeral apology, error logged with context', async () => {
    const user = asNewUser();
    const ex = fake.slashCommand('find', { query: 'explode now' }, user);
    await expectEphemeralError(ex, new RegExp(APOLOGY.slice(0, 20)));
    expect(ex.visibleText()).not.toMatch(/fake engine failure|at \w+ \(/);
    const logged = logLines.find((l) => l.msg === 'interaction failed' && l.userId === user.userId);
    expect(logged).toMatchObject({ command: 'find', guildId: fake.guildId, level: 50 });
    expect(logged!.err.message).toMatch(/fake engine failure/);
  });

  it('a sixth command within 10 s gets a polite cooldown note; autocomplete is exempt', async () => {
    const user = asNewUser();
    for (let i = 0; i < 5; i++) expect((await fake.slashCommand('about', {}, user).callback).type).toBe(4);
    expect((await fake.autocomplete('paper', 'paper', 'pat', {}, user).callback).type).toBe(8);
    await expectEphemeralError(fake.slashCommand('about', {}, user), /a bit fast — please try again <t:\d+:R>/);
  });

  it('every message the bot sent carried allowed_mentions { parse: [] }', () => {
    const bodies: Json[] = [];
    for (const r of fake.requests) {
      if (r.method === 'POST' && /\/interactions\/\d+\/[^/]+\/callback$/.test(r.path) && [4, 7].includes(r.body?.type)) bodies.push(r.body!.data);
      if ((r.method === 'PATCH' || r.method === 'POST') && /^\/webhooks\//.test(r.path) && r.body) bodies.push(r.body);
    }
    expect(bodies.length).toBeGreaterThan(20);
    for (const b of bodies) expect(b.allowed_mentions).toEqual({ parse: [] });
  });

  it('logs one info line per interaction with command, user, guild and latency', () => {
    const done = logLines.filter((l) => l.msg === 'interaction done');
    expect(done.length).toBeGreaterThan(20);
    for (const l of done) {
      expect(l).toHaveProperty('command');
      expect(l).toHaveProperty('userId');
      expect(l).toHaveProperty('guildId');
      expect(typeof l.latencyMs).toBe('number');
    }
  });
});

describe('transport trouble', () => {
  it('a 429 on the results edit is waited out and the edit still lands', async () => {
    const faultsBefore = fake.faultsInjected;
    fake.failNext({ method: 'PATCH', pathPattern: /^\/webhooks\/.*@original$/, status: 429, retryAfter: 0.05 });
    const msg = await finalOf(fake.slashCommand('find', { query: 'patch tokens' }, asNewUser()));
    expect(msg.embeds.length).toBeGreaterThan(0);
    expect(fake.faultsInjected).toBe(faultsBefore + 1);
  });

  it('after a gateway drop the bot resumes and keeps answering', async () => {
    const resumed = fake.gateway.waitForResume();
    fake.dropGateway(4000);
    await resumed;
    const cb = await fake.slashCommand('about', {}, asNewUser()).callback;
    expect(cb.type).toBe(4);
  });
});

describe('shutdown', () => {
  it('stop() waits for an in-flight interaction to finish before disconnecting', async () => {
    const slowFake = await startFakeDiscord();
    const slow = createFakeEngine({ delayMs: 300 });
    const s = { ...services(), engine: slow };
    const slowBot = createBot({ client: createClient({ clientOptions: slowFake.clientOptions() }), token: TOKEN, commands, services: s, logger: s.logger });
    try {
      await slowBot.start();
      const ex = slowFake.slashCommand('find', { query: 'patches' }, asNewUser());
      expect((await ex.callback).type).toBe(5);
      await slowBot.stop();
      expect(ex.edits.length).toBe(1); // the edit landed before stop() resolved
      expect(slowBot.isReady()).toBe(false);
    } finally {
      await slowBot.stop().catch(() => undefined);
      await slowFake.close();
    }
  });
});
