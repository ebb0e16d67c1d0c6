/**
 * Fault 6: the bad-input corpus through every command and option of the real bot
 * (in-process, real engine, real state) over the fake Discord. No crash, no mention
 * can ping, nothing over Discord's limits (the fake answers 400), errors ephemeral.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, startFakeDiscord, type FakeDiscord, type InteractionExchange, type Json } from '../fake-discord/index.js';
import { botMessageBodies, pool, settle, startInProcessBot, type InProcessBot, type Settled } from './harness.js';
import { NASTY_CUSTOM_IDS, NASTY_INTEGERS, NASTY_STRINGS, NASTY_TIMES, NASTY_TIMEZONES } from './nasty-inputs.js';
import { FAKE_BOT_TOKEN, expectNoSecrets, report, tempDir } from './support.js';

let fake: FakeDiscord;
let app: InProcessBot;
let dir: string;
const interactionTokens: string[] = [];
let userSeq = 400000000000000000n;
const user = () => ({ userId: String(++userSeq) });
const admin = () => ({ ...user(), permissions: PERMISSIONS.MANAGE_GUILD | PERMISSIONS.VIEW_CHANNEL });

beforeAll(async () => {
  fake = await startFakeDiscord({ timeoutMs: 20_000 });
  dir = tempDir('nasty');
  app = await startInProcessBot(fake, dir);
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  input: string;
  send: () => InteractionExchange;
}

function cases(): Case[] {
  const out: Case[] = [];
  const add = (name: string, input: string, send: () => InteractionExchange) => out.push({ name, input, send });
  const botMessage = fake.addMessage(fake.channelId, { content: 'results', author: fake.botUser });
  for (const { label, text } of NASTY_STRINGS) {
    add('/find query', label, () => fake.slashCommand('find', { query: text }, user()));
    add('/find query+has_code', label, () => fake.slashCommand('find', { query: text, has_code: true, k: 3 }, user()));
    add('/similar paper', label, () => fake.slashCommand('similar', { paper: text }, user()));
    add('/ask question', label, () => fake.slashCommand('ask', { question: text }, user()));
    add('/paper paper', label, () => fake.slashCommand('paper', { paper: text }, user()));
    add('autocomplete /similar', label, () => fake.autocomplete('similar', 'paper', text, {}, user()));
    add('autocomplete /paper', label, () => fake.autocomplete('paper', 'paper', text, {}, user()));
    add('context menu', label, () => fake.messageContextMenu('Similar papers', { content: text }, user()));
    add('/daily set time', label, () => fake.subcommand('daily', 'set', { time: text }, admin()));
    add('/daily set timezone', label, () => fake.subcommand('daily', 'set', { timezone: text }, admin()));
    add('select similar:more', label, () => fake.select('similar:more', [text], { message: botMessage.id as string }, user()));
  }
  for (const t of NASTY_TIMES) add('/daily set time', t, () => fake.subcommand('daily', 'set', { time: t }, admin()));
  for (const tz of NASTY_TIMEZONES) add('/daily set timezone', tz, () => fake.subcommand('daily', 'set', { timezone: tz }, admin()));
  for (const k of NASTY_INTEGERS) {
    add('/find k', String(k), () => fake.slashCommand('find', { query: 'diffusion', k }, user()));
    add('/daily set count', String(k), () => fake.subcommand('daily', 'set', { count: k }, admin()));
  }
  for (const channel of ['1', '123456789012345678', '99999999999999999999', fake.channelId]) {
    add('/daily set channel', channel, () => fake.subcommand('daily', 'set', { channel }, admin()));
  }
  add('/daily set (no permission)', 'member', () => fake.subcommand('daily', 'set', { time: '10:00' }, user()));
  add('/daily set in DM', 'dm', () => fake.subcommand('daily', 'set', { time: '10:00' }, { ...admin(), guildId: null }));
  for (const id of NASTY_CUSTOM_IDS) add('button', id || '(empty)', () => fake.button(id, { message: botMessage.id as string }, user()));
  return out;
}

describe('the nasty-input corpus through every command', () => {
  it('never crashes, pings, overflows or shows an error publicly', async () => {
    const all = cases();
    const results: Array<{ c: Case; s: Settled }> = [];
    const failedToSend: string[] = [];
    await pool(all, 6, async (c) => {
      const t0 = performance.now();
      let ex: InteractionExchange;
      try {
        ex = c.send();
      } catch (err) {
        failedToSend.push(`${c.name} [${c.input}]: ${(err as Error).message}`);
        return;
      }
      interactionTokens.push(ex.token);
      results.push({ c, s: await settle(ex, 15_000, t0) });
    });

    const hung = results.filter((r) => r.s.outcome === 'hung').map((r) => `${r.c.name} [${r.c.input}]`);
    const publicErrors = results.filter((r) => r.s.publicError !== undefined).map((r) => `${r.c.name} [${r.c.input}]: ${r.s.publicError}`);
    const bodies = botMessageBodies(fake);
    const pinging = bodies.filter((b) => JSON.stringify((b.body.allowed_mentions as Json | undefined)?.parse) !== '[]').map((b) => `${b.path}: ${JSON.stringify(b.body.allowed_mentions)}`);
    const rejected = fake.requests.filter((r) => r.status === 400).map((r) => `${r.method} ${r.path.slice(0, 60)} ${JSON.stringify(r.body).slice(0, 200)}`);
    const logLines = app.logText().split('\n');
    const crashes = logLines.filter((l) => /"level":(50|60)/.test(l) && !/interaction failed/.test(l));
    // Internal errors answered with the apology: not a crash, but worth knowing about.
    const apologies = logLines.filter((l) => /interaction failed/.test(l)).map((l) => /"command":"([^"]*)"/.exec(l)?.[1] + ': ' + (/"message":"([^"]{0,120})/.exec(l)?.[1] ?? ''));
    if (apologies.length) console.log(`internal errors on nasty input:\n  ${[...new Set(apologies)].join('\n  ')}`);
    const byOutcome = results.reduce<Record<string, number>>((acc, r) => ((acc[r.s.outcome] = (acc[r.s.outcome] ?? 0) + 1), acc), {});

    // Still healthy: a normal /find gets its results.
    const after = fake.slashCommand('find', { query: 'diffusion models for video' }, user());
    interactionTokens.push(after.token);
    const healthy = await settle(after, 15_000);

    report(
      `nasty-inputs inputs=${NASTY_STRINGS.length + NASTY_TIMES.length + NASTY_TIMEZONES.length + NASTY_INTEGERS.length + NASTY_CUSTOM_IDS.length + 4} ` +
        `interactions=${results.length} (strings ${NASTY_STRINGS.length} x 11 commands/options + times, zones, integers, channels, forged ids) outcomes=${JSON.stringify(byOutcome)} ` +
        `bot-bodies=${bodies.length} pinging=${pinging.length} 400s=${rejected.length} public-errors=${publicErrors.length} hung=${hung.length} other-errors-logged=${crashes.length} internal-errors(apology)=${apologies.length}`,
    );
    expect(failedToSend).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(600);
    expect(hung).toEqual([]);
    expect(pinging).toEqual([]);
    expect(rejected).toEqual([]);
    expect(publicErrors).toEqual([]);
    expect(bodies.length).toBeGreaterThan(300);
    expect(crashes).toEqual([]);
    expect(healthy.outcome).toBe('ok');
  });

  it('never logs the bot token or an interaction token', () => {
    expectNoSecrets('nasty', app.logText(), [FAKE_BOT_TOKEN, ...interactionTokens]);
  });
});
