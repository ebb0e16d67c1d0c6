import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { SCHEMA_VERSION, StateError, StateStore, type DailyDefaults } from '../../src/store/state.js';

const defaults: DailyDefaults = { channelId: null, time: '09:00', timezone: 'UTC', count: 3 };

let dir: string;
let stores: StateStore[];
const open = (path = join(dir, 'state.db')) => {
  const s = StateStore.open(path);
  stores.push(s);
  return s;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperbot-state-'));
  stores = [];
});
afterEach(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('StateStore schema', () => {
  it('creates the folder, the schema, a schema version, and WAL + synchronous=FULL', () => {
    const path = join(dir, 'nested', 'deeper', 'state.db');
    open(path).close();
    const db = new Database(path, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(tables).toEqual(['daily_pick', 'daily_post', 'guild_settings', 'schema_version']);
    expect(db.prepare('SELECT version FROM schema_version').get()).toEqual({ version: SCHEMA_VERSION });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('uses synchronous=FULL on its connection', () => {
    const s = open();
    // Reach the private connection: the durability setting is the point of the test.
    const db = (s as unknown as { db: Database.Database }).db;
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('keeps data across reopen', () => {
    const a = open();
    a.claimPicks('g1', '2026-01-01', () => ['p1', 'p2']);
    a.close();
    const b = open();
    expect(b.dailyRecord('g1', '2026-01-01')?.paperIds).toEqual(['p1', 'p2']);
  });
});

describe('StateStore.open on a bad file', () => {
  it('garbage bytes → StateError naming the path and what to do; file untouched', () => {
    const path = join(dir, 'garbage.db');
    const garbage = Buffer.from('this is not an sqlite database at all, just some bytes '.repeat(100));
    writeFileSync(path, garbage);
    let err: unknown;
    try {
      StateStore.open(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(/move the file aside.*restore it from a backup/);
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('a truncated database → StateError, not a silent reset', () => {
    const path = join(dir, 'trunc.db');
    const s = StateStore.open(path);
    // Few transactions (each fsyncs), many rows: enough pages that half the file is real damage.
    for (let d = 1; d <= 30; d++) {
      const ids = Array.from({ length: 60 }, (_, i) => `paper-${d}-${i}-with-a-longer-id-to-fill-pages`);
      s.claimPicks(`guild-${d % 3}`, `2026-01-${String(d).padStart(2, '0')}`, () => ids);
    }
    s.close(); // checkpoints the WAL into the main file
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(8 * 4096);
    truncateSync(path, Math.floor(size / 2));
    let err: unknown;
    try {
      StateStore.open(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(/damaged/);
    expect(statSync(path).size).toBe(Math.floor(size / 2));
  });

  it('an SQLite file that is not ours → StateError', () => {
    const path = join(dir, 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE notes (x TEXT)');
    db.close();
    expect(() => StateStore.open(path)).toThrow(/not a paperbot state database/);
  });

  it('a newer schema version → StateError asking to upgrade', () => {
    const path = join(dir, 'newer.db');
    open(path).close();
    const db = new Database(path);
    db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION + 1);
    db.close();
    expect(() => StateStore.open(path)).toThrow(/newer than this paperbot/);
  });
});

describe('settings', () => {
  it('defaults when nothing is stored, not listed as configured', () => {
    const s = open();
    expect(s.getSettings('g1', defaults)).toEqual({ guildId: 'g1', ...defaults, paused: false });
    expect(s.configuredGuildIds()).toEqual([]);
  });

  it('round trip: patch, partial patch, pause/resume, reopen', () => {
    const s = open();
    s.updateSettings('g1', { channelId: '123456789012345678', time: '07:30', timezone: 'Europe/Berlin' }, defaults);
    const after = s.updateSettings('g1', { count: 5, paused: true }, defaults);
    expect(after).toEqual({ guildId: 'g1', channelId: '123456789012345678', time: '07:30', timezone: 'Europe/Berlin', count: 5, paused: true });
    s.close();
    const t = open();
    expect(t.getSettings('g1', defaults).paused).toBe(true);
    expect(t.updateSettings('g1', { paused: false }, defaults).paused).toBe(false);
    expect(t.getSettings('g1', defaults).time).toBe('07:30');
    expect(t.configuredGuildIds()).toEqual(['g1']);
  });

  it('unset fields follow the (env) defaults, even when they change later', () => {
    const s = open();
    s.updateSettings('g1', { time: '10:15' }, defaults);
    const newDefaults = { ...defaults, timezone: 'Asia/Tokyo', count: 4 };
    expect(s.getSettings('g1', newDefaults)).toMatchObject({ time: '10:15', timezone: 'Asia/Tokyo', count: 4 });
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
    expect(() => s.updateSettings('g1', patch, defaults)).toThrow(Error);
    expect(() => s.updateSettings('g1', patch, defaults)).not.toThrow(UserFacingError);
    expect(() => s.updateSettings('g1', patch, defaults)).toThrow(message);
    expect(s.configuredGuildIds()).toEqual([]);
  });
});

describe('claimPicks', () => {
  it('is idempotent: the second call returns the first picks and does not call choose', () => {
    const s = open();
    const first = s.claimPicks('g1', '2026-01-01', () => ['a', 'b', 'c']);
    let called = false;
    const second = s.claimPicks('g1', '2026-01-01', () => {
      called = true;
      return ['x', 'y', 'z'];
    });
    expect(first).toEqual({ paperIds: ['a', 'b', 'c'], status: 'chosen', channelId: null, messageId: null });
    expect(second.paperIds).toEqual(['a', 'b', 'c']);
    expect(called).toBe(false);
  });

  it('is per guild and per date', () => {
    const s = open();
    s.claimPicks('g1', '2026-01-01', () => ['a']);
    expect(s.claimPicks('g2', '2026-01-01', () => ['b']).paperIds).toEqual(['b']);
    expect(s.claimPicks('g1', '2026-01-02', () => ['c']).paperIds).toEqual(['c']);
  });

  it('two connections agree on one claim', () => {
    const path = join(dir, 'state.db');
    const a = open(path);
    const b = open(path);
    a.claimPicks('g1', '2026-01-01', () => ['from-a']);
    expect(b.claimPicks('g1', '2026-01-01', () => ['from-b']).paperIds).toEqual(['from-a']);
  });

  it('an empty pick (empty collection) throws (not a user message) and records nothing', () => {
    const s = open();
    expect(() => s.claimPicks('g1', '2026-01-01', () => [])).toThrow(/no paper ids/);
    expect(() => s.claimPicks('g1', '2026-01-01', () => [])).not.toThrow(UserFacingError);
    expect(s.dailyRecord('g1', '2026-01-01')).toBeUndefined();
  });

  it('a throwing choose() leaves no record', () => {
    const s = open();
    expect(() =>
      s.claimPicks('g1', '2026-01-01', () => {
        throw new Error('picker broke');
      }),
    ).toThrow('picker broke');
    expect(s.dailyRecord('g1', '2026-01-01')).toBeUndefined();
    expect(s.history('g1')).toEqual([]);
  });

  it('noteAttempt then markSent moves the record to sent with channel and message', () => {
    const s = open();
    s.claimPicks('g1', '2026-01-01', () => ['a']);
    s.noteAttempt('g1', '2026-01-01', 'c1');
    expect(s.dailyRecord('g1', '2026-01-01')).toMatchObject({ status: 'chosen', channelId: 'c1', messageId: null });
    s.markSent('g1', '2026-01-01', 'c1', 'm1');
    expect(s.dailyRecord('g1', '2026-01-01')).toEqual({ paperIds: ['a'], status: 'sent', channelId: 'c1', messageId: 'm1' });
    expect(s.claimPicks('g1', '2026-01-01', () => ['z'])).toMatchObject({ status: 'sent', messageId: 'm1' });
    expect(() => s.noteAttempt('g1', '2026-01-01', 'c1')).toThrow(/no unsent/);
    expect(() => s.markSent('g1', '2026-01-09', 'c1', 'm9')).toThrow(/no daily record/);
  });
});

describe('history across cycles', () => {
  it('is oldest first, per guild, and respects beforeDate', () => {
    const s = open();
    s.claimPicks('g1', '2026-01-02', () => ['c', 'd']);
    s.claimPicks('g1', '2026-01-01', () => ['a', 'b']);
    s.claimPicks('g2', '2026-01-01', () => ['z']);
    expect(s.history('g1')).toEqual(['a', 'b', 'c', 'd']);
    expect(s.history('g1', '2026-01-02')).toEqual(['a', 'b']);
    expect(s.history('g2')).toEqual(['z']);
  });

  it('restarts when the picker repeats a paper: the new cycle holds only ids after the restart', () => {
    const s = open();
    // Collection of 5: a..e. Day 3 takes the last one (e) and opens a new cycle with a.
    s.claimPicks('g1', '2026-01-01', () => ['a', 'b']);
    s.claimPicks('g1', '2026-01-02', () => ['c', 'd']);
    expect(s.history('g1')).toEqual(['a', 'b', 'c', 'd']);
    s.claimPicks('g1', '2026-01-03', () => ['e', 'a']);
    expect(s.history('g1')).toEqual(['a']);
    s.claimPicks('g1', '2026-01-04', () => ['c', 'b']);
    expect(s.history('g1')).toEqual(['a', 'c', 'b']);
    // The view from before the restart day is still the old cycle.
    expect(s.history('g1', '2026-01-03')).toEqual(['a', 'b', 'c', 'd']);
    s.close();
    expect(open().history('g1')).toEqual(['a', 'c', 'b']);
  });

  it('a cycle completed exactly (no repeat yet) still restarts on the next repeat', () => {
    const s = open();
    s.claimPicks('g1', '2026-01-01', () => ['a', 'b']);
    s.claimPicks('g1', '2026-01-02', () => ['c']);
    expect(s.history('g1')).toEqual(['a', 'b', 'c']);
    s.claimPicks('g1', '2026-01-03', () => ['b', 'c']);
    expect(s.history('g1')).toEqual(['b', 'c']);
  });
});
