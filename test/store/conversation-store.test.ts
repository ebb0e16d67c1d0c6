import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryConversationStore } from '../../src/conversation/memory-store.js';
import type { ConversationLimits, ConversationState, ConversationStore } from '../../src/conversation/types.js';
import { CONVERSATIONS_MIGRATION, SqliteConversationStore } from '../../src/store/conversation-store.js';
import { openDatabase } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperbot-conv-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function openDb(file = path.join(dir, `db-${files++}.sqlite`)): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const applied = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'conversation'").get();
  if (!applied) db.exec(CONVERSATIONS_MIGRATION.up);
  return db;
}

const LIMITS: ConversationLimits = { turns: 4, turnChars: 10, focus: 3, conversations: 3 };

function state(id: string, updatedAt: number, extra: Partial<ConversationState> = {}): ConversationState {
  return { id, turns: [], focus: [], lastShown: [], createdAt: updatedAt, updatedAt, ...extra };
}

const stores: [string, (limits?: ConversationLimits) => ConversationStore][] = [
  ['memory', (limits) => new MemoryConversationStore(limits)],
  ['sqlite', (limits) => new SqliteConversationStore(openDb(), limits)],
];

describe.each(stores)('%s conversation store', (_name, make) => {
  it('stores and returns a conversation as it was put', () => {
    const store = make();
    const s = state('t1', 1000, {
      turns: [
        { role: 'user', text: 'papers on reefs', at: 1000 },
        { role: 'bot', text: 'Papers on “reefs”: …', at: 1000, kind: 'find', paperIds: ['a', 'b'] },
      ],
      focus: ['a', 'b'],
      lastShown: ['a', 'b'],
    });
    store.put(s);
    expect(store.get('t1')).toEqual(s);
    expect(store.get('nope')).toBeUndefined();
  });

  it('hands out copies: editing what was read changes nothing stored', () => {
    const store = make();
    store.put(state('t1', 1, { focus: ['a'] }));
    store.get('t1')!.focus.push('b');
    expect(store.get('t1')!.focus).toEqual(['a']);
  });

  it('keeps the newest turns, cuts long texts and long focus lists', () => {
    const store = make(LIMITS);
    const turns = Array.from({ length: 7 }, (_, i) => ({ role: 'user' as const, text: `turn ${i} with a long text`, at: i }));
    store.put(state('t1', 10, { turns, focus: ['a', 'b', 'c', 'd', 'a'], lastShown: ['x', 'y', 'z', 'w'] }));
    const got = store.get('t1')!;
    expect(got.turns.map((t) => t.at)).toEqual([3, 4, 5, 6]);
    expect(got.turns[0]!.text).toBe('turn 3 wit');
    expect(got.focus).toEqual(['a', 'b', 'c']);
    expect(got.lastShown).toEqual(['x', 'y', 'z']);
  });

  it('prunes the least recently updated conversations beyond the cap', () => {
    const store = make(LIMITS);
    store.put(state('old', 1));
    store.put(state('mid', 2));
    store.put(state('new', 3));
    store.put(state('old', 4)); // touched again: now the newest
    store.put(state('newest', 5));
    expect(store.count()).toBe(3);
    expect(store.get('mid')).toBeUndefined();
    expect(store.get('old')).toBeDefined();
  });

  it('prunes idle conversations and deletes on request', () => {
    const store = make();
    store.put(state('a', 100));
    store.put(state('b', 200));
    store.put(state('c', 300));
    expect(store.pruneIdle(250)).toBe(2);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('c')).toBeDefined();
    store.delete('c');
    expect(store.count()).toBe(0);
  });
});

describe('SqliteConversationStore', () => {
  it('survives a restart (close and reopen the file)', () => {
    const file = path.join(dir, 'restart.sqlite');
    const db = openDb(file);
    new SqliteConversationStore(db).put(state('thread-1', 5, { focus: ['p1'], lastShown: ['p1', 'p2'], turns: [{ role: 'user', text: 'hi', at: 5 }] }));
    db.close();
    const reopened = new SqliteConversationStore(openDb(file));
    expect(reopened.get('thread-1')).toMatchObject({ focus: ['p1'], lastShown: ['p1', 'p2'], turns: [{ role: 'user', text: 'hi', at: 5 }] });
  });

  it('applies as the next named migration of the state database and survives reopening it', () => {
    const file = path.join(dir, 'state.sqlite');
    const migrations = MIGRATIONS;
    expect(migrations).toContain(CONVERSATIONS_MIGRATION);
    const first = openDatabase(file, migrations);
    new SqliteConversationStore(first.db).put(state('dm-1', 7, { focus: ['p9'] }));
    first.db.close();
    const again = openDatabase(file, migrations);
    expect(new SqliteConversationStore(again.db).get('dm-1')!.focus).toEqual(['p9']);
    again.db.close();
  });

  it('exports its schema as a named migration', () => {
    expect(CONVERSATIONS_MIGRATION.name).toMatch(/^\d{3}-conversations$/);
    const db = new Database(':memory:');
    db.exec(CONVERSATIONS_MIGRATION.up);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['conversation', 'conversation_turn']);
  });

  it('reads a damaged focus column as empty instead of failing', () => {
    const db = openDb();
    const store = new SqliteConversationStore(db);
    store.put(state('t', 1, { focus: ['a'] }));
    db.prepare("UPDATE conversation SET focus = 'not json' WHERE id = 't'").run();
    expect(store.get('t')!.focus).toEqual([]);
  });
});
