import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appliedMigrations, openDatabase, StateError } from '../../src/store/db.js';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.js';
import { StateStore } from '../../src/store/state.js';
import { tempStateStores, thrown } from './temp-state.js';

/** Exactly what paperbot wrote before named migrations: the daily tables plus schema_version. */
function makeLegacyDatabase(path: string, version: number): void {
  const db = new Database(path);
  db.exec(MIGRATIONS[0]!.up);
  db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
  db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version);
  db.prepare("INSERT INTO guild_settings (guild_id, time, paused, updated_at) VALUES ('g1', '07:30', 0, '2026-01-01')").run();
  db.close();
}

const tableNames = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);

const temp = tempStateStores('paperbot-state-');
const open = temp.open;

describe('state database schema', () => {
  it('creates the folder, the schema, the applied migrations, and WAL + synchronous=FULL', () => {
    const path = join(temp.dir(), 'nested', 'deeper', 'state.db');
    open(path).close();
    const db = new Database(path, { readonly: true });
    expect(tableNames(db)).toEqual(
      expect.arrayContaining([
        'daily_pick', 'daily_post', 'guild_settings', 'schema_migrations', 'conversation', 'conversation_turn',
        'feed_item', 'feed_run', 'feed_shown', 'library_addition', 'library_removal', 'library_settings', 'library_version',
      ]),
    );
    expect(appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(MIGRATIONS[0]!.name).toBe('001-daily');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('uses synchronous=FULL on its connection', () => {
    const s = open();
    // The durability setting is the point of the test.
    expect(s.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('the facade: one property per store module, the database, the path, close()', () => {
    const s = open();
    expect(Object.keys(s).sort()).toEqual(['chatThreads', 'close', 'conversations', 'daily', 'db', 'feeds', 'library', 'path']);
    expect(s.path).toBe(join(temp.dir(), 'state.db'));
    s.close();
    expect(s.db.open).toBe(false);
    s.close(); // idempotent
  });
});

describe('StateStore.open on a bad file', () => {
  it('garbage bytes → StateError naming the path and what to do; file untouched', () => {
    const path = join(temp.dir(), 'garbage.db');
    const garbage = Buffer.from('this is not an sqlite database at all, just some bytes '.repeat(100));
    writeFileSync(path, garbage);
    const err = thrown(() => StateStore.open(path));
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(/move the file aside.*restore it from a backup/);
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('a truncated database → StateError, not a silent reset', () => {
    const path = join(temp.dir(), 'trunc.db');
    const s = StateStore.open(path);
    // Few transactions (each fsyncs), many rows: enough pages that half the file is real damage.
    for (let d = 1; d <= 30; d++) {
      const ids = Array.from({ length: 60 }, (_, i) => `paper-${d}-${i}-with-a-longer-id-to-fill-pages`);
      s.daily.claimPicks(`guild-${d % 3}`, `2026-01-${String(d).padStart(2, '0')}`, () => ids);
    }
    s.close(); // checkpoints the WAL into the main file
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(8 * 4096);
    truncateSync(path, Math.floor(size / 2));
    const err = thrown(() => StateStore.open(path));
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(/damaged/);
    expect(statSync(path).size).toBe(Math.floor(size / 2));
  });

  it('an SQLite file that is not ours → StateError', () => {
    const path = join(temp.dir(), 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE notes (x TEXT)');
    db.close();
    expect(() => StateStore.open(path)).toThrow(/not a paperbot state database/);
  });

  it('a newer schema version (a database from before named migrations) → StateError asking to upgrade', () => {
    const path = join(temp.dir(), 'newer.db');
    makeLegacyDatabase(path, 2);
    expect(() => StateStore.open(path)).toThrow(StateError);
    expect(() => StateStore.open(path)).toThrow(/newer than this paperbot/);
  });

  it('a migration this code does not know (made by a newer paperbot) → StateError asking to upgrade, nothing changed', () => {
    const path = join(temp.dir(), 'newer-migration.db');
    open(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES ('999-from-the-future', '2030-01-01')").run();
    db.close();
    const err = thrown(() => StateStore.open(path));
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toMatch(/999-from-the-future.*newer than this paperbot.*Upgrade paperbot/);
    expect((err as Error).message).toContain(path);
  });
});

describe('named migrations', () => {
  const extra: Migration = { name: '999-notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);' };

  it("a database made before named migrations (schema_version 1) counts as '001-daily', keeps its data and gets the later ones", () => {
    const path = join(temp.dir(), 'legacy.db');
    makeLegacyDatabase(path, 1);
    const s = open(path);
    expect(appliedMigrations(s.db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(MIGRATIONS[0]!.name).toBe('001-daily');
    expect(s.daily.getSettings('g1', { channelId: null, time: '09:00', timezone: 'UTC', count: 3 }).time).toBe('07:30');
    s.close();
    // Adopted once: a reopen finds schema_migrations and applies nothing again.
    expect(appliedMigrations(open(path).db)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('applies only the missing migrations, in order, and records each name once', () => {
    const path = join(temp.dir(), 'grow.db');
    open(path).close();
    const first = openDatabase(path, [...MIGRATIONS, extra]);
    expect(appliedMigrations(first.db)).toEqual([...MIGRATIONS.map((m) => m.name), '999-notes']);
    expect(tableNames(first.db)).toContain('notes');
    first.db.close();
    const again = openDatabase(path, [...MIGRATIONS, extra]);
    expect(appliedMigrations(again.db)).toEqual([...MIGRATIONS.map((m) => m.name), '999-notes']);
    again.db.close();
    // The older code (without 002) now refuses the file rather than ignoring a table it does not know.
    expect(() => StateStore.open(path)).toThrow(/999-notes.*newer than this paperbot/);
  });

  it("'001-daily' rows brought forward: claim order from their claim times, sent posts count for the 20-hour rule", () => {
    const path = join(temp.dir(), 'daily-rows.db');
    const { db } = openDatabase(path, MIGRATIONS.slice(0, 1));
    const post = db.prepare(
      `INSERT INTO daily_post (guild_id, date, paper_ids, status, channel_id, attempts, chosen_at, sent_at) VALUES ('g1', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const pick = db.prepare(`INSERT INTO daily_pick (guild_id, date, position, paper_id, cycle) VALUES ('g1', ?, 0, ?, 0)`);
    // Claimed in this order: the 15th (Berlin), then the 14th (after a switch to a zone a day behind).
    post.run('2026-01-15', '["a"]', 'sent', 'c1', 1, '2026-01-15T07:00:00.000Z', '2026-01-15T07:00:01.000Z');
    post.run('2026-01-14', '["b"]', 'chosen', null, 0, '2026-01-15T07:30:00.000Z', null);
    pick.run('2026-01-15', 'a');
    pick.run('2026-01-14', 'b');
    db.close();
    const s = open(path);
    expect(s.daily.history('g1')).toEqual(['a', 'b']);
    expect(s.daily.lastPostAt('g1', '2026-01-16')).toEqual(new Date('2026-01-15T07:00:01Z'));
    s.daily.claimPicks('g1', '2026-01-16', () => ['c']);
    expect(s.daily.history('g1')).toEqual(['a', 'b', 'c']);
  });

  it('a legacy database is brought forward through later migrations too', () => {
    const path = join(temp.dir(), 'legacy-grow.db');
    makeLegacyDatabase(path, 1);
    const { db } = openDatabase(path, [...MIGRATIONS, extra]);
    expect(appliedMigrations(db)).toEqual([...MIGRATIONS.map((m) => m.name), '999-notes']);
    db.close();
  });

  it('a failing migration → StateError naming it; nothing of it (or of earlier pending ones) is applied', () => {
    const path = join(temp.dir(), 'broken.db');
    open(path).close();
    const broken: Migration = { name: '003-broken', up: 'CREATE TABLE ok_part (x TEXT); CREATE TABLE syntax error here;' };
    expect(() => openDatabase(path, [...MIGRATIONS, extra, broken])).toThrow(/migration 003-broken/);
    const db = new Database(path, { readonly: true });
    expect(appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(tableNames(db)).not.toContain('notes');
    expect(tableNames(db)).not.toContain('ok_part');
    db.close();
  });
});

