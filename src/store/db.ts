/**
 * Opens the SQLite state database and brings its schema up to date with named migrations.
 *
 * WAL + synchronous=FULL: a committed transaction survives a kill -9 or power loss, which
 * the daily post's claim → send → markSent ordering relies on. A damaged, foreign or newer
 * file is refused with a StateError that names it and says what to do; it is never reset.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { BASELINE_MIGRATION, MIGRATIONS, type Migration } from './migrations.js';

/** The state database cannot be used; the message names the file and what to do. */
export class StateError extends Error {
  override readonly name = 'StateError';
}

/** The schema_version that paperbot wrote before named migrations; it equals BASELINE_MIGRATION. */
const LEGACY_SCHEMA_VERSION = 1;

const MIGRATIONS_TABLE = `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`;

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isCorruption(err: unknown): boolean {
  const code = sqliteCode(err);
  return code === 'SQLITE_NOTADB' || (code?.startsWith('SQLITE_CORRUPT') ?? false) || code === 'SQLITE_IOERR_SHORT_READ';
}

function corruptError(path: string, detail: string): StateError {
  return new StateError(
    `The state database ${path} is damaged or not a paperbot database (${detail}). ` +
      `Stop the bot, move the file aside (with its -wal/-shm files) to start fresh, or restore it from a backup. ` +
      `It was not modified.`,
  );
}

/**
 * Opens (creating folders and schema if new) and migrates. `migrations` is for tests;
 * the bot uses MIGRATIONS. A damaged file → StateError, never a silent reset.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): { db: Database.Database; path: string } {
  const fullPath = resolve(path);
  try {
    mkdirSync(dirname(fullPath), { recursive: true });
  } catch (err) {
    throw new StateError(`Cannot create the folder for the state database ${fullPath}: ${(err as Error).message}`);
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(fullPath);
    db.pragma('busy_timeout = 5000');
    // Check before anything writes (journal_mode=WAL writes the header).
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw corruptError(fullPath, `quick_check: ${String(check).slice(0, 200)}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, fullPath, migrations);
    return { db, path: fullPath };
  } catch (err) {
    db?.close();
    if (err instanceof StateError) throw err;
    if (isCorruption(err)) throw corruptError(fullPath, (err as Error).message);
    throw new StateError(`Cannot open the state database ${fullPath}: ${(err as Error).message}`);
  }
}

/** Names of the migrations recorded in the database, in the order they were applied. */
export function appliedMigrations(db: Database.Database): string[] {
  return (db.prepare('SELECT name FROM schema_migrations ORDER BY rowid').all() as { name: string }[]).map((r) => r.name);
}

/**
 * In one IMMEDIATE transaction (so two processes starting at once agree): find what is
 * applied, refuse a foreign or newer database, apply the missing migrations in order.
 * A failing migration rolls everything back.
 */
function migrate(db: Database.Database, path: string, migrations: readonly Migration[]): void {
  const run = db.transaction(() => {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    let applied: string[];
    if (tables.includes('schema_migrations')) {
      applied = appliedMigrations(db);
    } else if (tables.length === 0) {
      db.exec(MIGRATIONS_TABLE);
      applied = [];
    } else if (tables.includes('schema_version')) {
      adoptLegacy(db, path);
      applied = [BASELINE_MIGRATION];
    } else {
      throw new StateError(
        `${path} is an SQLite database but not a paperbot state database (no schema_migrations table). ` +
          `Point the bot at another file, or move this one aside to start fresh.`,
      );
    }
    const known = new Set(migrations.map((m) => m.name));
    const unknown = applied.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new StateError(
        `${path} has schema migration ${unknown.map((n) => JSON.stringify(n)).join(', ')}, newer than this paperbot understands ` +
          `(it knows up to ${JSON.stringify(migrations.at(-1)?.name ?? 'none')}). Upgrade paperbot, or restore a backup made by this version.`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
    for (const migration of migrations) {
      if (applied.includes(migration.name)) continue;
      try {
        db.exec(migration.up);
      } catch (err) {
        if (isCorruption(err)) throw err;
        throw new StateError(`Cannot apply schema migration ${migration.name} to ${path}: ${(err as Error).message}. The file was not changed.`);
      }
      record.run(migration.name, new Date().toISOString());
    }
  });
  run.immediate();
}

/** A database made before named migrations: schema_version 1 is the baseline migration. */
function adoptLegacy(db: Database.Database, path: string): void {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  const version = row.v ?? 0;
  if (version > LEGACY_SCHEMA_VERSION) {
    throw new StateError(
      `${path} has schema version ${version}, newer than this paperbot understands (${LEGACY_SCHEMA_VERSION}). ` +
        `Upgrade paperbot, or restore a backup made by this version.`,
    );
  }
  if (version < 1) throw corruptError(path, 'schema_version is empty');
  db.exec(MIGRATIONS_TABLE);
  db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(BASELINE_MIGRATION, new Date().toISOString());
}
