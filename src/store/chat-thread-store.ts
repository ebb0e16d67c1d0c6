/**
 * The threads the bot opened for conversations (on a mention, or from /ask's "Follow up"
 * button). With the Message Content intent on, every message in one of these is answered;
 * without it, only mentions and replies are. Kept in SQLite so that a restart still knows
 * them. Bounded: the oldest rows go beyond `maxThreads`.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './migrations.js';

/** For the store's migration list (src/store/migrations.ts), after '006-feeds'. */
export const CHAT_THREADS_MIGRATION: Migration = {
  name: '007-chat-threads',
  up: `
CREATE TABLE chat_thread (
  thread_id  TEXT PRIMARY KEY,   -- = the id of the message it was opened on
  guild_id   TEXT NOT NULL,
  parent_id  TEXT NOT NULL,      -- the channel it is in
  opened_for TEXT NOT NULL,      -- the user whose message (or button press) opened it
  created_at INTEGER NOT NULL    -- epoch ms
);
CREATE INDEX chat_thread_by_created ON chat_thread (created_at);
`,
};

export interface ChatThread {
  threadId: string;
  guildId: string;
  parentId: string;
  openedFor: string;
  /** Epoch ms. */
  createdAt: number;
}

interface Row {
  thread_id: string;
  guild_id: string;
  parent_id: string;
  opened_for: string;
  created_at: number;
}

export const DEFAULT_MAX_THREADS = 50_000;

export class ChatThreadStore {
  private readonly statements;

  constructor(
    db: Database.Database,
    private readonly maxThreads = DEFAULT_MAX_THREADS,
  ) {
    this.statements = {
      get: db.prepare('SELECT * FROM chat_thread WHERE thread_id = ?'),
      insert: db.prepare(
        `INSERT INTO chat_thread (thread_id, guild_id, parent_id, opened_for, created_at)
         VALUES (@thread_id, @guild_id, @parent_id, @opened_for, @created_at)
         ON CONFLICT (thread_id) DO NOTHING`,
      ),
      count: db.prepare('SELECT COUNT(*) AS n FROM chat_thread'),
      trim: db.prepare(
        'DELETE FROM chat_thread WHERE thread_id IN (SELECT thread_id FROM chat_thread ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)',
      ),
    };
  }

  /** Records a thread the bot opened (again: no change). */
  add(thread: ChatThread): void {
    this.statements.insert.run({
      thread_id: thread.threadId,
      guild_id: thread.guildId,
      parent_id: thread.parentId,
      opened_for: thread.openedFor,
      created_at: thread.createdAt,
    });
    this.statements.trim.run(this.maxThreads);
  }

  get(threadId: string): ChatThread | undefined {
    const row = this.statements.get.get(threadId) as Row | undefined;
    if (!row) return undefined;
    return { threadId: row.thread_id, guildId: row.guild_id, parentId: row.parent_id, openedFor: row.opened_for, createdAt: row.created_at };
  }

  has(threadId: string): boolean {
    return this.statements.get.get(threadId) !== undefined;
  }

  count(): number {
    return (this.statements.count.get() as { n: number }).n;
  }
}
