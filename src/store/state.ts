/**
 * The state store: one SQLite database (src/store/db.ts opens and migrates it) and one
 * store module per concern, each built on the open database. Adding a concern
 * (conversations, library, feeds) is one line in STORES plus its migration(s) in
 * src/store/migrations.ts.
 */
import type Database from 'better-sqlite3';
import { ChatThreadStore } from './chat-thread-store.js';
import { SqliteConversationStore } from './conversation-store.js';
import { DailyStore } from './daily-store.js';
import { openDatabase } from './db.js';
import { FeedStore } from './feed-store.js';
import { LibraryStore } from './library-store.js';

const STORES = {
  daily: (db: Database.Database) => new DailyStore(db),
  conversations: (db: Database.Database) => new SqliteConversationStore(db),
  library: (db: Database.Database) => new LibraryStore(db),
  feeds: (db: Database.Database) => new FeedStore(db),
  chatThreads: (db: Database.Database) => new ChatThreadStore(db),
} as const;

/** The store modules; what commands and services get (no close, no raw database). */
export type Stores = { readonly [K in keyof typeof STORES]: ReturnType<(typeof STORES)[K]> };

export type StateStore = Stores & {
  readonly db: Database.Database;
  /** Absolute path of the database file. */
  readonly path: string;
  close(): void;
};

export const StateStore = {
  /** Opens (creating the folder and schema if new). A damaged, foreign or newer file → StateError, never a silent reset. */
  open(path: string): StateStore {
    const opened = openDatabase(path);
    const { db } = opened;
    const stores = Object.fromEntries(Object.entries(STORES).map(([name, make]) => [name, make(db)])) as Stores;
    return {
      ...stores,
      db,
      path: opened.path,
      close() {
        if (db.open) db.close();
      },
    };
  },
};
