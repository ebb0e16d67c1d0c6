/**
 * Fault 4: REST 500 / 429 / connection-reset storms on the daily post's channel send (and its
 * recovery lookup) and on interaction callbacks and edits. Each is retried or reported, never
 * a crash, and never a second daily post.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { startFakeDiscord, type FakeDiscord, type FaultRule, type Json } from '../fake-discord/index.js';
import { settle, startInProcessBot, type InProcessBot } from './harness.js';
import { FAKE_BOT_TOKEN, expectNoSecrets, report, tempDir } from './support.js';

const SEND = /^\/channels\/\d+\/messages$/;
const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
const ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const clock = fixedClock('2026-04-01T12:00:00Z');
let fake: FakeDiscord;
let app: InProcessBot;
let dir: string;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => void unhandled.push(err);
const interactionTokens: string[] = [];
const figures: string[] = [];
let userSeq = 600000000000000000n;
const user = () => ({ userId: String(++userSeq) });

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  fake = await startFakeDiscord({ timeoutMs: 20_000 });
  dir = tempDir('storms');
  app = await startInProcessBot(fake, dir, { clock });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await app?.stop();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

function postsFor(date: string): number {
  return fake.messages(fake.channelId).filter((m) => ((m.embeds as Json[] | undefined) ?? []).some((e) => String(e.footer?.text ?? '').includes(`:${date}`))).length;
}

async function stillHealthy(): Promise<void> {
  const ex = fake.slashCommand('find', { query: 'diffusion' }, user());
  interactionTokens.push(ex.token);
  expect((await settle(ex, 20_000)).outcome).toBe('ok');
}

/** Runs the day's post once per stage (with that stage's faults), then twice more without faults. */
async function dailyUnder(date: string, stages: FaultRule[][]): Promise<{ outcomes: string[]; posts: number }> {
  clock.set(`${date}T12:00:00Z`);
  const outcomes: string[] = [];
  for (const rules of [...stages, [], []]) {
    fake.clearFaults();
    for (const r of rules) fake.failNext(r);
    outcomes.push(String((await app.daily.runDue()).get(fake.guildId)));
  }
  fake.clearFaults();
  return { outcomes, posts: postsFor(date) };
}

describe('REST storms', () => {
  // `expect` is the outcome sequence: one run per stage, then two runs with no faults.
  const dailyCases: Array<{ name: string; stages: FaultRule[][]; expect: RegExp }> = [
    { name: '500x2 on send', stages: [[{ method: 'POST', pathPattern: SEND, status: 500, times: 2 }]], expect: /^sent,already-sent,already-sent$/ },
    { name: '503x3 on send', stages: [[{ method: 'POST', pathPattern: SEND, status: 503, times: 3 }]], expect: /^sent,already-sent,already-sent$/ },
    { name: '429x4 on send', stages: [[{ method: 'POST', pathPattern: SEND, status: 429, times: 4, retryAfter: 0.1 }]], expect: /^sent,already-sent,already-sent$/ },
    { name: 'global 429x2 on send', stages: [[{ method: 'POST', pathPattern: SEND, status: 429, times: 2, retryAfter: 0.1, global: true }]], expect: /^sent,already-sent,already-sent$/ },
    { name: 'reset x2 on send', stages: [[{ method: 'POST', pathPattern: SEND, status: 'reset', times: 2 }]], expect: /^sent,already-sent,already-sent$/ },
    { name: '500x10 on send (outlives retries)', stages: [[{ method: 'POST', pathPattern: SEND, status: 500, times: 10 }]], expect: /^failed,sent,already-sent$/ },
    { name: 'hangup on send', stages: [[{ method: 'POST', pathPattern: SEND, status: 'hangup', times: 1 }]], expect: /^(failed,sent|sent,already-sent),already-sent$/ },
    {
      // After a failed send, the next run must look the post up first; if that lookup fails it must not send blind.
      name: 'send fails, then the recovery lookup fails',
      stages: [[{ method: 'POST', pathPattern: SEND, status: 500, times: 10 }], [{ method: 'GET', pathPattern: SEND, status: 500, times: 10 }]],
      expect: /^failed,failed,sent,already-sent$/,
    },
  ];

  it('daily post: retried or reported, exactly one post per day', async () => {
    const rows: string[] = [];
    let day = 1;
    for (const c of dailyCases) {
      const date = `2026-04-${String(day++).padStart(2, '0')}`;
      const r = await dailyUnder(date, c.stages);
      rows.push(`${c.name}: ${r.outcomes.join('→')} posts=${r.posts}`);
      expect(r.outcomes.join(','), c.name).toMatch(c.expect);
      expect(r.posts, `${c.name}: posts on ${date}`).toBe(1);
    }
    // A failed post is reported in the log, not swallowed.
    expect(app.logText()).toMatch(/daily: post failed; will retry/);
    figures.push(`daily-storms cases=${dailyCases.length} ${rows.join(' | ')}`);
    await stillHealthy();
  });

  it('interaction callbacks and edits: retried or reported, the bot stays up', async () => {
    const rows: string[] = [];
    const run = async (name: string, rules: FaultRule[], expectAnswered: boolean) => {
      fake.clearFaults();
      for (const r of rules) fake.failNext(r);
      const t0 = performance.now();
      const ex = fake.slashCommand('find', { query: 'video generation' }, user());
      interactionTokens.push(ex.token);
      const s = await settle(ex, expectAnswered ? 12_000 : 6000, t0);
      fake.clearFaults();
      rows.push(`${name}: ${s.outcome}${Number.isFinite(s.finalMs) ? ` in ${Math.round(s.finalMs)}ms` : ''}`);
      if (expectAnswered) expect(s.outcome, name).toBe('ok');
      else {
        // The one place the user can be left without an answer: Discord itself keeps refusing the callback.
        expect(['hung', 'error', 'ok'], name).toContain(s.outcome);
        // Either way it is reported: a warning or error naming this interaction.
        await new Promise((r) => setTimeout(r, 200));
        const reported = app.logText().split('\n').some((l) => l.includes(`"interactionId":"${ex.id}"`) && /"level":(40|50)/.test(l));
        expect(reported, `${name}: no warning/error logged for interaction ${ex.id}`).toBe(true);
      }
      await stillHealthy();
    };
    await run('callback 500x2', [{ method: 'POST', pathPattern: CALLBACK, status: 500, times: 2 }], true);
    await run('callback 429x3', [{ method: 'POST', pathPattern: CALLBACK, status: 429, times: 3, retryAfter: 0.1 }], true);
    await run('callback reset x1', [{ method: 'POST', pathPattern: CALLBACK, status: 'reset', times: 1 }], true);
    await run('edit 500x2', [{ method: 'PATCH', pathPattern: ORIGINAL, status: 500, times: 2 }], true);
    await run('edit 429x3', [{ method: 'PATCH', pathPattern: ORIGINAL, status: 429, times: 3, retryAfter: 0.1 }], true);
    await run('callback 500x10 (outlives retries)', [{ method: 'POST', pathPattern: CALLBACK, status: 500, times: 10 }], false);
    await run('edit 500x10 (outlives retries)', [{ method: 'PATCH', pathPattern: ORIGINAL, status: 500, times: 10 }], false);
    // Failures that outlived the retries were reported.
    expect(app.logText()).toMatch(/"level":(40|50)[^\n]*(interaction failed|could not send the error reply|500)/);
    figures.push(`callback-storms ${rows.join(' | ')}`);
  });

  it('no crash: no unhandled rejection, and the summary', () => {
    const redactions = (app.logText().match(/\[REDACTED\]/g) ?? []).length;
    report(`rest-storms ${figures.join(' || ')} unhandled-rejections=${unhandled.length} redactions-in-logs=${redactions} faults-injected=${fake.faultsInjected}`);
    expect(unhandled).toEqual([]);
    expect(fake.faultsInjected).toBeGreaterThan(30);
  });

  it('never logs the bot token or an interaction token', () => {
    expectNoSecrets('storms', app.logText(), [FAKE_BOT_TOKEN, ...interactionTokens]);
  });
});
