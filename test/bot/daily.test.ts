import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { Paper } from '../../src/collection/types.js';
import { ChannelUnavailableError, DailyService, dailyMarker, type DailyPoster } from '../../src/bot/daily.js';
import { isDue, nextPostAt } from '../../src/bot/schedule.js';
import { UserFacingError } from '../../src/errors.js';
import { localDateTime } from '../../src/rules/time.js';
import type { DailyDefaults } from '../../src/store/daily-store.js';
import { StateStore } from '../../src/store/state.js';
import {
  CHILD_CHANNEL,
  CHILD_DEFAULTS,
  CHILD_GUILD,
  CHILD_PAPERS,
  FilePoster,
  fakeEngine,
  makePapers,
} from '../helpers/state-child.js';

const GUILD = '900000000000000001';
const CHANNEL = '800000000000000001';
const defaults: DailyDefaults = { channelId: CHANNEL, time: '09:00', timezone: 'Europe/Berlin', count: 3 };

interface Sent {
  channelId: string;
  date: string;
  marker: string;
  paperIds: string[];
  messageId: string;
}

/** Records every call; `fail` lets a test make the next call throw before or after "sending". */
class MemoryPoster implements DailyPoster {
  sent: Sent[] = [];
  finds: string[] = [];
  threads: { channelId: string; messageId: string; name: string }[] = [];
  failPost: 'before-send' | 'after-send' | 'unavailable' | null = null;
  failFind: Error | null = null;
  failThread = false;

  async post(channelId: string, picks: Paper[], date: string, marker: string) {
    if (this.failPost === 'unavailable') throw new ChannelUnavailableError(channelId, 'Missing Permissions (50013)');
    if (this.failPost === 'before-send') throw new Error('simulated crash before the send');
    const messageId = `msg-${this.sent.length + 1}`;
    this.sent.push({ channelId, date, marker, paperIds: picks.map((p) => p.id), messageId });
    if (this.failPost === 'after-send') throw new Error('simulated crash after the send');
    return { messageId };
  }
  async findPosted(channelId: string, marker: string) {
    this.finds.push(marker);
    if (this.failFind) throw this.failFind;
    return this.sent.find((m) => m.channelId === channelId && m.marker === marker)?.messageId ?? null;
  }
  async openThread(channelId: string, messageId: string, name: string) {
    if (this.failThread) throw new Error('Missing Permissions: CREATE_PUBLIC_THREADS');
    this.threads.push({ channelId, messageId, name });
  }
}

let dir: string;
let dbPath: string;
let opened: StateStore[];
let services: DailyService[];
let logs: { level: number; msg: string }[];
const papers = makePapers(212);

function openState(): StateStore {
  const s = StateStore.open(dbPath);
  opened.push(s);
  return s;
}

function makeService(opts: {
  poster: DailyPoster;
  clock: ReturnType<typeof fixedClock>;
  state?: StateStore;
  guilds?: string[];
  channelInGuild?: (channelId: string, guildId: string) => boolean;
  engine?: ReturnType<typeof fakeEngine>;
}) {
  const engine = opts.engine ?? fakeEngine(papers);
  const state = opts.state ?? openState();
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const service = new DailyService({
    store: state.daily,
    engine,
    poster: opts.poster,
    clock: opts.clock,
    logger,
    defaults,
    guildIds: () => opts.guilds ?? [GUILD],
    channelInGuild: opts.channelInGuild,
  });
  services.push(service);
  return { service, state, engine };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperbot-daily-'));
  dbPath = join(dir, 'state.db');
  opened = [];
  services = [];
  logs = [];
});
afterEach(() => {
  for (const s of services) s.stop();
  for (const s of opened) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('schedule helpers', () => {
  it('local date/time in a zone, including across the date line', () => {
    expect(localDateTime(new Date('2026-01-16T07:45:00Z'), 'America/Los_Angeles')).toEqual({ date: '2026-01-15', time: '23:45' });
    expect(localDateTime(new Date('2026-01-15T23:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-01-16', time: '00:30' });
  });

  it('09:00 Europe/Berlin is 08:00Z in winter and 07:00Z in summer (croner next run)', () => {
    expect(nextPostAt('09:00', 'Europe/Berlin', new Date('2026-01-15T07:59:00Z'))?.toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(nextPostAt('09:00', 'Europe/Berlin', new Date('2026-01-15T08:01:00Z'))?.toISOString()).toBe('2026-01-16T08:00:00.000Z');
    expect(nextPostAt('09:00', 'Europe/Berlin', new Date('2026-07-15T06:00:00Z'))?.toISOString()).toBe('2026-07-15T07:00:00.000Z');
  });

  it('a time inside the DST gap becomes due at the first instant after it', () => {
    // 2026-03-29: Berlin jumps from 02:00 to 03:00 local (01:00Z).
    expect(isDue(new Date('2026-03-29T00:59:00Z'), '02:30', 'Europe/Berlin')).toBe(false);
    expect(isDue(new Date('2026-03-29T01:00:00Z'), '02:30', 'Europe/Berlin')).toBe(true);
  });
});

describe('DailyService', () => {
  it("the default channel (DAILY_CHANNEL_ID) serves only its own server: other servers don't post into it", async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T12:00:00Z');
    const other = '900000000000000099';
    const { service } = makeService({ poster, clock, guilds: [GUILD, other], channelInGuild: (_channel, guild) => guild === GUILD });
    const outcomes = await service.runDue();
    expect(outcomes.get(GUILD)).toBe('sent');
    expect(outcomes.get(other)).toBe('no-channel');
    expect(poster.sent).toHaveLength(1);
  });

  it('posts at the configured time in the configured zone (09:00 Berlin = 08:00Z in winter)', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T07:59:00Z');
    const { service } = makeService({ poster, clock });
    expect((await service.runDue()).get(GUILD)).toBe('not-due');
    expect(poster.sent).toHaveLength(0);
    expect(service.nextPostAt(GUILD)?.toISOString()).toBe('2026-01-15T08:00:00.000Z');
    clock.set('2026-01-15T08:01:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    expect(poster.sent).toHaveLength(1);
    expect(poster.sent[0]).toMatchObject({ channelId: CHANNEL, date: '2026-01-15', marker: dailyMarker(GUILD, '2026-01-15') });
    expect(poster.sent[0]!.paperIds).toHaveLength(3);
    expect(poster.threads).toEqual([{ channelId: CHANNEL, messageId: 'msg-1', name: 'Papers of 2026-01-15' }]);
  });

  it('uses the local date of the guild zone', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-16T07:45:00Z'); // 23:45 on the 15th in Los Angeles
    const { service, state } = makeService({ poster, clock });
    state.daily.updateSettings(GUILD, { time: '23:30', timezone: 'America/Los_Angeles' }, defaults);
    await service.runDue();
    expect(poster.sent.map((m) => m.date)).toEqual(['2026-01-15']);
  });

  it('exactly one post per guild per date under repeated, concurrent and restarted runs', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T10:00:00Z');
    const a = makeService({ poster, clock, guilds: [GUILD, '900000000000000002'] });
    const outcomes = await Promise.all([a.service.runDue(), a.service.runDue(), a.service.runDue()]);
    await a.service.runDue();
    // A "restart": a second service over a fresh connection to the same file.
    const b = makeService({ poster, clock, guilds: [GUILD, '900000000000000002'] });
    expect((await b.service.runDue()).get(GUILD)).toBe('already-sent');
    expect(poster.sent.map((m) => `${m.marker}`).sort()).toEqual(
      [dailyMarker(GUILD, '2026-01-15'), dailyMarker('900000000000000002', '2026-01-15')].sort(),
    );
    // Concurrent calls join the one in-flight run per guild, so they all report its outcome.
    expect(outcomes.map((o) => o.get(GUILD))).toEqual(['sent', 'sent', 'sent']);
    expect((await a.service.runDue()).get(GUILD)).toBe('already-sent');
  });

  it('an empty collection: todaysPicks says so to the user (UserFacingError) and records nothing', () => {
    const state = openState();
    const service = new DailyService({
      store: state.daily,
      engine: fakeEngine([]),
      poster: new MemoryPoster(),
      clock: fixedClock('2026-01-15T10:00:00Z'),
      logger: pino({ level: 'silent' }),
      defaults,
      guildIds: () => [GUILD],
    });
    expect(() => service.todaysPicks(GUILD)).toThrow(UserFacingError);
    expect(() => service.todaysPicks(GUILD)).toThrow(/no papers in the collection/);
    expect(state.daily.dailyRecord(GUILD, '2026-01-15')).toBeUndefined();
  });

  it('/today and the post agree: todaysPicks claims the same set the post uses', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T06:00:00Z');
    const { service, engine } = makeService({ poster, clock });
    const today = service.todaysPicks(GUILD).map((p) => p.id);
    expect(today).toHaveLength(3);
    expect(service.todaysPicks(GUILD).map((p) => p.id)).toEqual(today);
    clock.set('2026-01-15T08:30:00Z');
    await service.runDue();
    expect(poster.sent[0]!.paperIds).toEqual(today);
    expect(engine.picksCalls).toBe(1);
  });

  it('a crash between claim and send: the next start posts exactly once, with the same picks', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T09:00:00Z');
    const first = makeService({ poster, clock });
    poster.failPost = 'before-send';
    expect((await first.service.runDue()).get(GUILD)).toBe('failed');
    const claimed = first.state.daily.dailyRecord(GUILD, '2026-01-15');
    expect(claimed?.status).toBe('chosen');
    first.state.close();

    poster.failPost = null;
    const second = makeService({ poster, clock });
    expect((await second.service.runDue()).get(GUILD)).toBe('sent');
    expect(poster.sent).toHaveLength(1);
    expect(poster.sent[0]!.paperIds).toEqual(claimed!.paperIds);
    expect(second.state.daily.dailyRecord(GUILD, '2026-01-15')).toMatchObject({ status: 'sent', messageId: 'msg-1' });
    expect(second.engine.picksCalls).toBe(0);
  });

  it('a crash after the send but before markSent: findPosted finds it, no second send', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T09:00:00Z');
    const first = makeService({ poster, clock });
    poster.failPost = 'after-send';
    await first.service.runDue();
    expect(poster.sent).toHaveLength(1);
    expect(first.state.daily.dailyRecord(GUILD, '2026-01-15')?.status).toBe('chosen');

    poster.failPost = null;
    const second = makeService({ poster, clock });
    expect((await second.service.runDue()).get(GUILD)).toBe('recovered');
    expect(poster.sent).toHaveLength(1);
    expect(poster.finds).toEqual([dailyMarker(GUILD, '2026-01-15')]);
    expect(second.state.daily.dailyRecord(GUILD, '2026-01-15')).toMatchObject({ status: 'sent', messageId: 'msg-1', channelId: CHANNEL });
    expect(poster.threads).toHaveLength(1);
  });

  it('does not send blind when the earlier-send lookup fails; retries later', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T09:00:00Z');
    const { service, state } = makeService({ poster, clock });
    poster.failPost = 'after-send';
    await service.runDue();
    poster.failPost = null;
    poster.failFind = new Error('HTTP 500');
    expect((await service.runDue()).get(GUILD)).toBe('failed');
    expect(poster.sent).toHaveLength(1);
    poster.failFind = null;
    expect((await service.runDue()).get(GUILD)).toBe('recovered');
    expect(poster.sent).toHaveLength(1);
    expect(state.daily.dailyRecord(GUILD, '2026-01-15')?.status).toBe('sent');
  });

  it('never looks up earlier sends when no send was attempted', async () => {
    const poster = new MemoryPoster();
    const { service } = makeService({ poster, clock: fixedClock('2026-01-15T09:00:00Z') });
    await service.runDue();
    expect(poster.finds).toEqual([]);
  });

  it('start() schedules one croner job per guild in its zone; reschedule() follows /daily changes; stop() clears', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T05:00:00Z');
    const other = '900000000000000002';
    const { service, state } = makeService({ poster, clock, guilds: [GUILD, other] });
    state.daily.updateSettings(other, { time: '18:45', timezone: 'Asia/Tokyo' }, defaults);
    service.start();
    const jobs = service.scheduled().sort((a, b) => a.guildId.localeCompare(b.guildId));
    expect(jobs.map(({ guildId, pattern, timezone }) => ({ guildId, pattern, timezone }))).toEqual([
      { guildId: GUILD, pattern: '0 9 * * *', timezone: 'Europe/Berlin' },
      { guildId: other, pattern: '45 18 * * *', timezone: 'Asia/Tokyo' },
    ]);
    state.daily.updateSettings(GUILD, { time: '07:15', timezone: 'America/New_York' }, defaults);
    service.reschedule(GUILD);
    expect(service.scheduled().find((j) => j.guildId === GUILD)).toMatchObject({ pattern: '15 7 * * *', timezone: 'America/New_York' });
    expect(service.scheduled()).toHaveLength(2);
    await service.runDue();
    expect(poster.sent).toHaveLength(0); // 00:00 in New York, 14:00 in Tokyo (18:45 not reached)
    service.stop();
    expect(service.scheduled()).toEqual([]);
  });

  it('catches up on start the same day after downtime', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T14:00:00Z'); // post time was 08:00Z; the bot was down
    const { service } = makeService({ poster, clock });
    service.start();
    service.stop();
    await service.idle(); // the catch-up started by start() finishes
    expect(poster.sent.map((m) => m.date)).toEqual(['2026-01-15']);
    await service.runDue();
    expect(poster.sent).toHaveLength(1);
  });

  it('does not back-fill a day that is already past', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-16T07:00:00Z'); // down all of the 15th; 08:00 Berlin on the 16th
    const { service, state } = makeService({ poster, clock });
    service.start();
    await service.runDue();
    expect(poster.sent).toHaveLength(0);
    expect(state.daily.dailyRecord(GUILD, '2026-01-15')).toBeUndefined();
    clock.set('2026-01-16T08:00:00Z');
    await service.runDue();
    expect(poster.sent.map((m) => m.date)).toEqual(['2026-01-16']);
  });

  it('a paused guild and a guild without a channel do not post', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T10:00:00Z');
    const { service, state } = makeService({ poster, clock });
    state.daily.updateSettings(GUILD, { paused: true }, defaults);
    const noChannel = new DailyService({
      store: state.daily,
      engine: fakeEngine(papers),
      poster,
      clock,
      logger: pino({ level: 'silent' }),
      defaults: { ...defaults, channelId: null },
      guildIds: () => ['900000000000000002'],
    });
    expect((await service.runDue()).get(GUILD)).toBe('paused');
    expect((await noChannel.runDue()).get('900000000000000002')).toBe('no-channel');
    expect(poster.sent).toHaveLength(0);
    expect(state.daily.dailyRecord(GUILD, '2026-01-15')).toBeUndefined();
    state.daily.updateSettings(GUILD, { paused: false }, defaults);
    expect((await service.runDue()).get(GUILD)).toBe('sent');
  });

  it('a missing channel/permission is logged and skipped, stays chosen, and is retried', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T10:00:00Z');
    const { service, state } = makeService({ poster, clock });
    poster.failPost = 'unavailable';
    expect((await service.runDue()).get(GUILD)).toBe('unavailable');
    expect((await service.runDue()).get(GUILD)).toBe('unavailable');
    const warnings = logs.filter((l) => l.level === 40 && l.msg.includes('cannot post'));
    expect(warnings).toHaveLength(1); // the repeat is logged at debug
    expect(state.daily.dailyRecord(GUILD, '2026-01-15')?.status).toBe('chosen');
    poster.failPost = null;
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    expect(poster.sent).toHaveLength(1);
  });

  it('a thread that cannot be opened is logged, the post still counts', async () => {
    const poster = new MemoryPoster();
    poster.failThread = true;
    const { service, state } = makeService({ poster, clock: fixedClock('2026-01-15T10:00:00Z') });
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    expect(state.daily.dailyRecord(GUILD, '2026-01-15')?.status).toBe('sent');
    expect(logs.some((l) => l.level === 40 && l.msg.includes('thread'))).toBe(true);
  });

  it('80 days, 212 papers, 3 a day: one post every day, no repeat until every paper had its turn', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-01T05:00:00Z');
    const { service } = makeService({ poster, clock });
    for (let day = 0; day < 80; day++) {
      clock.set(new Date(Date.UTC(2026, 0, 1 + day, 5, 0))); // 06:00 Berlin: not due yet
      await service.runDue();
      clock.advance(4 * 3600_000); // 10:00 Berlin
      await service.runDue();
      await service.runDue();
    }
    expect(poster.sent).toHaveLength(80);
    const dates = poster.sent.map((m) => m.date);
    expect(new Set(dates).size).toBe(80);
    expect(dates[0]).toBe('2026-01-01');
    expect(dates[79]).toBe('2026-03-21');
    const sequence = poster.sent.flatMap((m) => m.paperIds);
    expect(sequence).toHaveLength(240);
    expect(new Set(sequence.slice(0, 212)).size).toBe(212); // the first cycle covers the collection
    expect(new Set(sequence.slice(212)).size).toBe(240 - 212); // the second cycle has no repeat yet
  });
});

describe('time-zone changes: at most one post per 20 hours, picks never repeat', () => {
  /** A picker that always takes the first papers not in history: a repeat shows whenever history is incomplete. */
  function firstFreeEngine() {
    const engine = fakeEngine(papers);
    engine.picks = function (_date: string, n: number, history: readonly string[]) {
      this.picksCalls++;
      return papers.filter((p) => !history.includes(p.id)).slice(0, n);
    };
    return engine;
  }
  const HOUR = 3_600_000;

  it('posted at 08:30 Berlin, then switched to Los Angeles (still the previous date there, and past 08:30): no second post within 20 h, no repeated picks', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T07:30:00Z'); // 08:30 in Berlin
    const { service, state } = makeService({ poster, clock, engine: firstFreeEngine() });
    state.daily.updateSettings(GUILD, { time: '08:30', timezone: 'Europe/Berlin' }, defaults);
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    const berlin = poster.sent[0]!;
    expect(berlin.date).toBe('2026-01-15');

    clock.set('2026-01-15T07:35:00Z'); // 23:35 on the 14th in Los Angeles: a date with no post, past its 08:30
    state.daily.updateSettings(GUILD, { timezone: 'America/Los_Angeles' }, defaults);
    expect(localDateTime(clock.now(), 'America/Los_Angeles')).toEqual({ date: '2026-01-14', time: '23:35' });
    expect((await service.runDue()).get(GUILD)).toBe('too-soon');
    expect((await service.runDue()).get(GUILD)).toBe('too-soon');
    expect(poster.sent).toHaveLength(1);
    // /today there claims the 14th's picks (shown, not posted): none of them is a paper posted 5 minutes ago.
    const today = service.todaysPicks(GUILD).map((p) => p.id);
    expect(today.filter((id) => berlin.paperIds.includes(id))).toEqual([]);

    // 08:30 on the 15th in Los Angeles: that date had its post (in Berlin) 9 h ago. Next: the 16th, 08:30 there.
    clock.set('2026-01-15T16:30:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('already-sent');
    expect(service.nextPostAt(GUILD)?.toISOString()).toBe('2026-01-16T16:30:00.000Z');
    clock.set('2026-01-16T16:30:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    expect(poster.sent.map((m) => m.date)).toEqual(['2026-01-15', '2026-01-16']);
    const earlier = new Set([...berlin.paperIds, ...today]);
    expect(poster.sent[1]!.paperIds.filter((id) => earlier.has(id))).toEqual([]);
    // Said once at info; the repeat at debug.
    expect(logs.filter((l) => l.msg.includes('less than 20 hours old') && l.level === 30)).toHaveLength(1);
  });

  it('posted at 09:00 Los Angeles, then switched to Berlin: its 09:00 comes round 15 h later and waits for the 20 h mark', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T17:00:00Z'); // 09:00 in Los Angeles
    const { service, state } = makeService({ poster, clock, engine: firstFreeEngine() });
    state.daily.updateSettings(GUILD, { time: '09:00', timezone: 'America/Los_Angeles' }, defaults);
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    state.daily.updateSettings(GUILD, { timezone: 'Europe/Berlin' }, defaults);
    clock.set('2026-01-16T08:00:00Z'); // 09:00 on the 16th in Berlin
    expect((await service.runDue()).get(GUILD)).toBe('too-soon');
    expect(service.nextPostAt(GUILD)?.toISOString()).toBe('2026-01-16T13:00:00.000Z');
    clock.set('2026-01-16T13:00:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    expect(poster.sent.map((m) => m.date)).toEqual(['2026-01-15', '2026-01-16']);
    expect(new Set(poster.sent.flatMap((m) => m.paperIds)).size).toBe(6);
    // Back on schedule within two days: 09:00 Berlin on the 17th is 19 h later, held to 09:00Z; the 18th is on time.
    clock.set('2026-01-17T08:00:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('too-soon');
    clock.set('2026-01-17T09:00:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    clock.set('2026-01-18T08:00:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    expect(poster.sent.map((m) => m.date)).toEqual(['2026-01-15', '2026-01-16', '2026-01-17', '2026-01-18']);
  });

  it('a held-back post whose local day ends first is skipped, not back-filled; a crashed send of the same date is never held back', async () => {
    const poster = new MemoryPoster();
    const clock = fixedClock('2026-01-15T17:00:00Z'); // 09:00 in Los Angeles
    const { service, state } = makeService({ poster, clock });
    state.daily.updateSettings(GUILD, { time: '09:00', timezone: 'America/Los_Angeles' }, defaults);
    poster.failPost = 'after-send'; // sent, then the process "died" before markSent
    expect((await service.runDue()).get(GUILD)).toBe('failed');
    poster.failPost = null;
    clock.set('2026-01-15T17:10:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('recovered'); // the same date: recovery, not the 20-hour rule
    // UTC+14: 07:10 on the 16th, past a 07:00 post time; the 16th ends there at 10:00Z, before the 20 h mark (13:00Z).
    state.daily.updateSettings(GUILD, { time: '07:00', timezone: 'Pacific/Kiritimati' }, defaults);
    expect((await service.runDue()).get(GUILD)).toBe('too-soon');
    expect(service.nextPostAt(GUILD)?.toISOString()).toBe('2026-01-16T17:00:00.000Z'); // 07:00 on the 17th there
    clock.set('2026-01-16T13:00:00Z'); // 03:00 on the 17th there
    expect((await service.runDue()).get(GUILD)).toBe('not-due');
    clock.set('2026-01-16T17:00:00Z');
    expect((await service.runDue()).get(GUILD)).toBe('sent');
    expect(poster.sent.map((m) => m.date)).toEqual(['2026-01-15', '2026-01-17']);
    expect(state.daily.dailyRecord(GUILD, '2026-01-16')).toBeUndefined();
  });
});

describe('kill -9 during the daily post', () => {
  const child = join(process.cwd(), 'test', 'helpers', 'state-child.ts');
  const dates = ['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06'];

  /**
   * Runs the child; SIGKILLs it `killAfterMs` after it said "ready", or as soon as it prints
   * the `killOnStage` line (with the child holding after each send, that is the send → markSent window).
   */
  function runChild(db: string, channelFile: string, killAfterMs: number | null, killOnStage?: string) {
    return new Promise<{ stages: string[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
      (resolve, reject) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', child, db, channelFile, ...dates], {
          env: { ...process.env, PAPERBOT_STATE_CHILD: '1', PAPERBOT_CHILD_HOLD_MS: killOnStage ? '10000' : '0' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const stages: string[] = [];
        let stderr = '';
        let buffer = '';
        proc.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            stages.push(line);
            if (line === 'ready' && killAfterMs !== null) setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
            if (killOnStage && line.startsWith(killOnStage)) proc.kill('SIGKILL');
          }
        });
        proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        proc.on('error', reject);
        proc.on('close', (code, signal) => resolve({ stages, code, signal, stderr }));
      },
    );
  }

  it('after SIGKILLs at random moments, a fresh run completes with exactly one post per date', async () => {
    const db = join(dir, 'state.db');
    const channelFile = join(dir, 'channel.jsonl');
    // Seeded so a failure is reproducible; kill points spread over the ~6 × 3 pauses of up to 25 ms.
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const killed: string[] = [];
    // First a deterministic kill inside the send → markSent window: sent, but not recorded as sent.
    const held = await runChild(db, channelFile, null, 'stage posted');
    expect(held.signal).toBe('SIGKILL');
    const inWindow = StateStore.open(db);
    expect(inWindow.daily.dailyRecord(CHILD_GUILD, dates[0]!)).toMatchObject({ status: 'chosen', channelId: CHILD_CHANNEL, messageId: null });
    inWindow.close();
    expect(new FilePoster(channelFile).messages().map((m) => m.date)).toEqual([dates[0]]);
    killed.push(`killed after: ${held.stages.at(-1)}`);
    for (let i = 0; i < 4; i++) {
      const run = await runChild(db, channelFile, 20 + Math.floor(random() * 200));
      expect(run.stderr).toBe('');
      killed.push(run.signal === 'SIGKILL' ? `killed after: ${run.stages.at(-1)}` : `finished (${run.stages.at(-1)})`);
    }
    const final = await runChild(db, channelFile, null);
    expect(final.code, final.stderr).toBe(0);
    expect(final.stages.at(-1)).toBe('done');

    const messages = new FilePoster(channelFile).messages();
    expect(messages.map((m) => m.date).sort()).toEqual(dates);
    expect(messages.every((m) => m.channelId === CHILD_CHANNEL)).toBe(true);
    const state = StateStore.open(db);
    opened.push(state);
    for (const m of messages) {
      expect(state.daily.dailyRecord(CHILD_GUILD, m.date)).toEqual({
        paperIds: m.paperIds,
        status: 'sent',
        channelId: CHILD_CHANNEL,
        messageId: m.id,
      });
    }
    // 6 days × 3 of 40 papers: no repeat within the cycle.
    expect(new Set(messages.flatMap((m) => m.paperIds)).size).toBe(dates.length * CHILD_DEFAULTS.count);
    expect(CHILD_PAPERS).toBeGreaterThan(dates.length * CHILD_DEFAULTS.count);
    // At least one kill must have interrupted a run, or the test proves nothing.
    expect(killed.filter((k) => k.startsWith('killed')).length).toBeGreaterThan(0);
    console.log(`kill -9 runs: ${killed.join('; ')}`);
  }, 60_000);
});
