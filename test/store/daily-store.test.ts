import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import type { DailyDefaults } from '../../src/store/daily-store.js';
import { tempStateStores } from './temp-state.js';

const defaults: DailyDefaults = { channelId: null, time: '09:00', timezone: 'UTC', count: 3 };

const temp = tempStateStores('paperbot-daily-store-');
const open = temp.open;

describe('DailyStore on the state store', () => {
  it('keeps data across reopen', () => {
    const a = open();
    a.daily.claimPicks('g1', '2026-01-01', () => ['p1', 'p2']);
    a.close();
    const b = open();
    expect(b.daily.dailyRecord('g1', '2026-01-01')?.paperIds).toEqual(['p1', 'p2']);
  });

  it('asserts a YYYY-MM-DD date when claiming (a plain Error)', () => {
    const s = open();
    expect(() => s.daily.claimPicks('g1', '2026-02-30', () => ['a'])).toThrow(/not a YYYY-MM-DD date/);
    expect(s.daily.dailyRecords('g1')).toEqual([]);
  });
});

describe('settings', () => {
  it('defaults when nothing is stored, not listed as configured', () => {
    const s = open();
    expect(s.daily.getSettings('g1', defaults)).toEqual({ guildId: 'g1', ...defaults, paused: false });
    expect(s.daily.configuredGuildIds()).toEqual([]);
  });

  it('round trip: patch, partial patch, pause/resume, reopen', () => {
    const s = open();
    s.daily.updateSettings('g1', { channelId: '123456789012345678', time: '07:30', timezone: 'Europe/Berlin' }, defaults);
    const after = s.daily.updateSettings('g1', { count: 5, paused: true }, defaults);
    expect(after).toEqual({ guildId: 'g1', channelId: '123456789012345678', time: '07:30', timezone: 'Europe/Berlin', count: 5, paused: true });
    s.close();
    const t = open();
    expect(t.daily.getSettings('g1', defaults).paused).toBe(true);
    expect(t.daily.updateSettings('g1', { paused: false }, defaults).paused).toBe(false);
    expect(t.daily.getSettings('g1', defaults).time).toBe('07:30');
    expect(t.daily.configuredGuildIds()).toEqual(['g1']);
  });

  it('unset fields follow the (env) defaults, even when they change later', () => {
    const s = open();
    s.daily.updateSettings('g1', { time: '10:15' }, defaults);
    const newDefaults = { ...defaults, timezone: 'Asia/Tokyo', count: 4 };
    expect(s.daily.getSettings('g1', newDefaults)).toMatchObject({ time: '10:15', timezone: 'Asia/Tokyo', count: 4 });
  });

  it.each([
    [{ time: '9:00' }, /HH:MM/],
    [{ time: '24:00' }, /HH:MM/],
    [{ timezone: 'Mars/Olympus' }, /IANA/],
    [{ count: 0 }, /1 to 10/],
    [{ count: 11 }, /1 to 10/],
    [{ count: 2.5 }, /1 to 10/],
    [{ channelId: '#general' }, /channel id/],
  ])('rejects %o (an invariant: a plain Error, not a message for users)', (patch, message) => {
    const s = open();
    expect(() => s.daily.updateSettings('g1', patch, defaults)).toThrow(Error);
    expect(() => s.daily.updateSettings('g1', patch, defaults)).not.toThrow(UserFacingError);
    expect(() => s.daily.updateSettings('g1', patch, defaults)).toThrow(message);
    expect(s.daily.configuredGuildIds()).toEqual([]);
  });
});

describe('claimPicks', () => {
  it('is idempotent: the second call returns the first picks and does not call choose', () => {
    const s = open();
    const first = s.daily.claimPicks('g1', '2026-01-01', () => ['a', 'b', 'c']);
    let called = false;
    const second = s.daily.claimPicks('g1', '2026-01-01', () => {
      called = true;
      return ['x', 'y', 'z'];
    });
    expect(first).toEqual({ paperIds: ['a', 'b', 'c'], status: 'chosen', channelId: null, messageId: null });
    expect(second.paperIds).toEqual(['a', 'b', 'c']);
    expect(called).toBe(false);
  });

  it('is per guild and per date', () => {
    const s = open();
    s.daily.claimPicks('g1', '2026-01-01', () => ['a']);
    expect(s.daily.claimPicks('g2', '2026-01-01', () => ['b']).paperIds).toEqual(['b']);
    expect(s.daily.claimPicks('g1', '2026-01-02', () => ['c']).paperIds).toEqual(['c']);
  });

  it('two connections agree on one claim', () => {
    const path = join(temp.dir(), 'state.db');
    const a = open(path);
    const b = open(path);
    a.daily.claimPicks('g1', '2026-01-01', () => ['from-a']);
    expect(b.daily.claimPicks('g1', '2026-01-01', () => ['from-b']).paperIds).toEqual(['from-a']);
  });

  it('an empty pick (empty collection) throws (not a user message) and records nothing', () => {
    const s = open();
    expect(() => s.daily.claimPicks('g1', '2026-01-01', () => [])).toThrow(/no paper ids/);
    expect(() => s.daily.claimPicks('g1', '2026-01-01', () => [])).not.toThrow(UserFacingError);
    expect(s.daily.dailyRecord('g1', '2026-01-01')).toBeUndefined();
  });

  it('a throwing choose() leaves no record', () => {
    const s = open();
    expect(() =>
      s.daily.claimPicks('g1', '2026-01-01', () => {
        throw new Error('picker broke');
      }),
    ).toThrow('picker broke');
    expect(s.daily.dailyRecord('g1', '2026-01-01')).toBeUndefined();
    expect(s.daily.history('g1')).toEqual([]);
  });

  it('noteAttempt then markSent moves the record to sent with channel and message', () => {
    const s = open();
    s.daily.claimPicks('g1', '2026-01-01', () => ['a']);
    s.daily.noteAttempt('g1', '2026-01-01', 'c1');
    expect(s.daily.dailyRecord('g1', '2026-01-01')).toMatchObject({ status: 'chosen', channelId: 'c1', messageId: null });
    s.daily.markSent('g1', '2026-01-01', 'c1', 'm1');
    expect(s.daily.dailyRecord('g1', '2026-01-01')).toEqual({ paperIds: ['a'], status: 'sent', channelId: 'c1', messageId: 'm1' });
    expect(s.daily.claimPicks('g1', '2026-01-01', () => ['z'])).toMatchObject({ status: 'sent', messageId: 'm1' });
    expect(() => s.daily.noteAttempt('g1', '2026-01-01', 'c1')).toThrow(/no unsent/);
    expect(() => s.daily.markSent('g1', '2026-01-09', 'c1', 'm9')).toThrow(/no daily record/);
  });

  it('attemptWindow: none before an attempt; then the first and the latest attempt time', () => {
    const s = open();
    s.daily.claimPicks('g1', '2026-01-01', () => ['a']);
    expect(s.daily.attemptWindow('g1', '2026-01-01')).toBeNull();
    s.daily.noteAttempt('g1', '2026-01-01', 'c1', { discord: new Date('2026-01-01T09:00:00Z') });
    s.daily.noteAttempt('g1', '2026-01-01', 'c2', { discord: new Date('2026-01-01T09:40:00Z') });
    expect(s.daily.attemptWindow('g1', '2026-01-01')).toEqual({ first: new Date('2026-01-01T09:00:00Z'), last: new Date('2026-01-01T09:40:00Z') });
    expect(s.daily.attemptWindow('g1', '2026-01-02')).toBeNull();
  });

  it('attemptWindow of an attempt noted before times were kept: from the claim, open-ended', () => {
    const s = open();
    s.daily.claimPicks('g1', '2026-01-01', () => ['a']);
    s.db.prepare("UPDATE daily_post SET channel_id = 'c1', attempts = 1, chosen_at = '2026-01-01T08:00:00.000Z'").run();
    expect(s.daily.attemptWindow('g1', '2026-01-01')).toEqual({ first: new Date('2026-01-01T08:00:00Z'), last: null });
  });
});

describe('history across cycles', () => {
  it('is in claim order (not by local date: a zone change can make a later claim an earlier date), per guild', () => {
    const s = open();
    s.daily.claimPicks('g1', '2026-01-02', () => ['c', 'd']);
    s.daily.claimPicks('g1', '2026-01-01', () => ['a', 'b']);
    s.daily.claimPicks('g2', '2026-01-01', () => ['z']);
    expect(s.daily.history('g1')).toEqual(['c', 'd', 'a', 'b']);
    expect(s.daily.history('g2')).toEqual(['z']);
  });

  it('a claim for an earlier local date still sees every earlier claim (and opens a cycle on a repeat)', () => {
    const s = open();
    s.daily.claimPicks('g1', '2026-01-15', () => ['a', 'b']);
    let seen: string[] = [];
    s.daily.claimPicks('g1', '2026-01-14', () => ((seen = s.daily.history('g1')), ['c', 'a']));
    expect(seen).toEqual(['a', 'b']);
    expect(s.daily.history('g1')).toEqual(['a']); // 'a' again: a new cycle
  });

  it('restarts when the picker repeats a paper: the new cycle holds only ids after the restart', () => {
    const s = open();
    // Collection of 5: a..e. Day 3 takes the last one (e) and opens a new cycle with a.
    s.daily.claimPicks('g1', '2026-01-01', () => ['a', 'b']);
    s.daily.claimPicks('g1', '2026-01-02', () => ['c', 'd']);
    expect(s.daily.history('g1')).toEqual(['a', 'b', 'c', 'd']);
    s.daily.claimPicks('g1', '2026-01-03', () => ['e', 'a']);
    expect(s.daily.history('g1')).toEqual(['a']);
    s.daily.claimPicks('g1', '2026-01-04', () => ['c', 'b']);
    expect(s.daily.history('g1')).toEqual(['a', 'c', 'b']);
    s.close();
    expect(open().daily.history('g1')).toEqual(['a', 'c', 'b']);
  });

  it('a cycle completed exactly (no repeat yet) still restarts on the next repeat', () => {
    const s = open();
    s.daily.claimPicks('g1', '2026-01-01', () => ['a', 'b']);
    s.daily.claimPicks('g1', '2026-01-02', () => ['c']);
    expect(s.daily.history('g1')).toEqual(['a', 'b', 'c']);
    s.daily.claimPicks('g1', '2026-01-03', () => ['b', 'c']);
    expect(s.daily.history('g1')).toEqual(['b', 'c']);
  });
});

describe('the 20-hour rule data', () => {
  it('lastPostAt: the first attempt of the latest other date, on the schedule clock', () => {
    const s = open();
    s.daily.claimPicks('g1', '2026-01-01', () => ['a']);
    s.daily.claimPicks('g1', '2026-01-02', () => ['b']);
    expect(s.daily.lastPostAt('g1', '2026-01-03')).toBeNull(); // claims are not posts
    s.daily.noteAttempt('g1', '2026-01-01', 'c1', { schedule: new Date('2026-01-01T08:00:00Z') });
    s.daily.noteAttempt('g1', '2026-01-01', 'c1', { schedule: new Date('2026-01-01T09:00:00Z') }); // a retry keeps the first
    expect(s.daily.lastPostAt('g1', '2026-01-03')).toEqual(new Date('2026-01-01T08:00:00Z'));
    s.daily.noteAttempt('g1', '2026-01-02', 'c1', { schedule: new Date('2026-01-02T08:00:00Z') });
    expect(s.daily.lastPostAt('g1', '2026-01-03')).toEqual(new Date('2026-01-02T08:00:00Z'));
    expect(s.daily.lastPostAt('g1', '2026-01-02')).toEqual(new Date('2026-01-01T08:00:00Z'));
    expect(s.daily.lastPostAt('g2', '2026-01-03')).toBeNull();
  });
});
