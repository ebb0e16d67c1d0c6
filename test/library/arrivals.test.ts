/**
 * "New today" in the daily post: the arrivals are chosen inside the picks' claim transaction, stored
 * before anything is sent, the same on a resend and in /today, never shown twice to a server, and
 * never a paper that reached the collection meanwhile. A failure choosing them costs only them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DailyService, type DailyPoster } from '../../src/bot/daily.js';
import { fixedClock } from '../../src/clock.js';
import type { Paper } from '../../src/collection/types.js';
import { DailyArrivals, type DailyArrival } from '../../src/library/arrivals.js';
import type { OfferedItem } from '../../src/store/feed-store.js';
import { StateStore } from '../../src/store/state.js';
import { fakeEngine, makePapers } from '../helpers/state-child.js';

const GUILD = '900000000000000001';
const OTHER = '900000000000000002';
const CHANNEL = '800000000000000001';
const logger = pino({ level: 'silent' });

class Poster implements DailyPoster {
  sent: { date: string; papers: string[]; arrivals: DailyArrival[] }[] = [];
  crashAfterSend = false;
  async post(_channelId: string, picks: Paper[], date: string, _marker: string, arrivals: readonly DailyArrival[] = []) {
    this.sent.push({ date, papers: picks.map((p) => p.id), arrivals: [...arrivals] });
    if (this.crashAfterSend) throw new Error('simulated crash after the send');
    return { messageId: `m${this.sent.length}` };
  }
  async findPosted() {
    return null;
  }
  async openThread() {}
}

let dir: string;
let state: StateStore;
const papers = makePapers(40);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'paperbot-arrivals-'));
  state = StateStore.open(path.join(dir, 'state.db'));
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

function offer(n: number, score: number, title = `Arrival ${n}`): OfferedItem & { rank: { score: number; because: { id: string; title: string } } } {
  return {
    record: { title, abstract: `${title} abstract.`, arxivId: `2502.${String(n).padStart(5, '0')}`, authors: ['A. Author'], categories: [] },
    url: `https://arxiv.org/abs/2502.${String(n).padStart(5, '0')}`,
    source: 'arxiv:test',
    rank: { score, because: { id: papers[0]!.id, title: papers[0]!.title } },
  };
}

function service(clock: ReturnType<typeof fixedClock>, poster: Poster, engine = { papers, ...fakeEngine(papers) }) {
  const arrivals = new DailyArrivals({ feeds: state.feeds, engine: () => engine, count: 2, clock, logger });
  return new DailyService({
    store: state.daily,
    engine,
    poster,
    clock,
    logger,
    defaults: { channelId: CHANNEL, time: '09:00', timezone: 'UTC', count: 3 },
    guildIds: () => [GUILD],
    arrivals,
  });
}

describe('daily post arrivals', () => {
  it('are chosen with the picks (best first), sent with them, the same in /today, and not repeated the next day', async () => {
    const clock = fixedClock('2026-03-02T10:00:00Z');
    state.feeds.recordRun({ startedAt: clock.now(), finishedAt: clock.now(), offered: [offer(1, 0.2), offer(2, 0.9), offer(3, 0.5), offer(4, 0.4)], failures: [] });
    const poster = new Poster();
    const daily = service(clock, poster);
    // /today first: it claims; the post must show the very same arrivals.
    const today = daily.todaysArrivals(GUILD).map((a) => a.title);
    expect(today).toEqual(['Arrival 2', 'Arrival 3']);
    expect(await daily.runGuild(GUILD)).toBe('sent');
    expect(poster.sent[0]!.arrivals.map((a) => a.title)).toEqual(today);
    expect(poster.sent[0]!.arrivals[0]!.because).toMatchObject({ id: papers[0]!.id });
    clock.set('2026-03-03T10:00:00Z');
    expect(await daily.runGuild(GUILD)).toBe('sent');
    expect(poster.sent[1]!.arrivals.map((a) => a.title)).toEqual(['Arrival 4', 'Arrival 1']);
    // Another server has its own "not shown before".
    expect(state.feeds.candidatesFor(OTHER, new Date('2026-03-01T00:00:00Z'), 5)).toHaveLength(4);
  });

  it('a resend after a crash shows the same arrivals, even if better ones arrived meanwhile', async () => {
    const clock = fixedClock('2026-03-02T10:00:00Z');
    state.feeds.recordRun({ startedAt: clock.now(), finishedAt: clock.now(), offered: [offer(1, 0.3), offer(2, 0.2)], failures: [] });
    const poster = new Poster();
    poster.crashAfterSend = true;
    const daily = service(clock, poster);
    expect(await daily.runGuild(GUILD)).toBe('failed');
    state.feeds.recordRun({ startedAt: clock.now(), finishedAt: clock.now(), offered: [offer(9, 0.99)], failures: [] });
    poster.crashAfterSend = false;
    await daily.runGuild(GUILD);
    expect(poster.sent.map((s) => s.arrivals.map((a) => a.title))).toEqual([['Arrival 1', 'Arrival 2'], ['Arrival 1', 'Arrival 2']]);
    expect(state.feeds.shown(GUILD, '2026-03-02').map((i) => i.record.title)).toEqual(['Arrival 1', 'Arrival 2']);
  });

  it('skips arrivals that reached the collection meanwhile; none at all still posts the picks', async () => {
    const clock = fixedClock('2026-03-02T10:00:00Z');
    state.feeds.recordRun({ startedAt: clock.now(), finishedAt: clock.now(), offered: [offer(1, 0.9, papers[5]!.title), offer(2, 0.5)], failures: [] });
    const poster = new Poster();
    expect(await service(clock, poster).runGuild(GUILD)).toBe('sent');
    expect(poster.sent[0]!.arrivals.map((a) => a.title)).toEqual(['Arrival 2']);
    expect(poster.sent[0]!.papers).toHaveLength(3);
  });

  it('a failure while choosing arrivals costs only the arrivals, never the post', async () => {
    const clock = fixedClock('2026-03-02T10:00:00Z');
    const poster = new Poster();
    const broken = { papers: null as unknown as Paper[], ...fakeEngine(papers) };
    expect(await service(clock, poster, broken).runGuild(GUILD)).toBe('sent');
    expect(poster.sent[0]!.papers).toHaveLength(3);
    expect(poster.sent[0]!.arrivals).toEqual([]);
  });
});
