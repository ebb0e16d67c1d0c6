/**
 * Conversation state in SQLite, so a restarted bot still knows what "it" meant in a thread.
 * The caller owns the database (opened, pragmas set, migrations run); this class only reads
 * and writes its two tables. Every `put` is one transaction and keeps the limits: newest
 * turns only, each turn's text cut, focus lists cut, and the least recently updated
 * conversations pruned beyond the cap.
 */
import type Database from 'better-sqlite3';
import {
  boundState,
  DEFAULT_LIMITS,
  type ConversationLimits,
  type ConversationState,
  type ConversationStore,
  type StoredTurn,
  type TurnKind,
} from '../conversation/types.js';
import type { Migration } from './migrations.js';

/** For the store's migration list (src/store/migrations.ts), after '001-daily'. */
export const CONVERSATIONS_MIGRATION: Migration = {
  name: '002-conversations',
  up: `
CREATE TABLE conversation (
  id         TEXT PRIMARY KEY,            -- a Discord thread/DM channel id, or a CLI session id
  focus      TEXT NOT NULL DEFAULT '[]',  -- JSON array of paper ids, most salient first
  last_shown TEXT NOT NULL DEFAULT '[]',  -- JSON array of paper ids, in the order last shown
  created_at INTEGER NOT NULL,            -- epoch ms
  updated_at INTEGER NOT NULL             -- epoch ms of the last turn; idle expiry and pruning use it
);
CREATE INDEX conversation_by_updated ON conversation (updated_at);
CREATE TABLE conversation_turn (
  conversation_id TEXT NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL,             -- 0 = oldest kept turn
  role      TEXT NOT NULL CHECK (role IN ('user', 'bot')),
  text      TEXT NOT NULL,
  kind      TEXT,                         -- bot turns: find, ask, paper, …
  paper_ids TEXT NOT NULL DEFAULT '[]',   -- bot turns: JSON array of cited/shown paper ids
  at        INTEGER NOT NULL,             -- epoch ms
  PRIMARY KEY (conversation_id, seq)
);
`,
};

interface ConversationRow {
  id: string;
  focus: string;
  last_shown: string;
  created_at: number;
  updated_at: number;
}

interface TurnRow {
  role: 'user' | 'bot';
  text: string;
  kind: string | null;
  paper_ids: string;
  at: number;
}

/** A JSON array of strings, or [] for anything else (a damaged row loses its focus, not the bot). */
function idList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export class SqliteConversationStore implements ConversationStore {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly limits: ConversationLimits = DEFAULT_LIMITS,
  ) {
    this.statements = {
      get: db.prepare('SELECT * FROM conversation WHERE id = ?'),
      turns: db.prepare('SELECT role, text, kind, paper_ids, at FROM conversation_turn WHERE conversation_id = ? ORDER BY seq'),
      upsert: db.prepare(
        `INSERT INTO conversation (id, focus, last_shown, created_at, updated_at)
         VALUES (@id, @focus, @last_shown, @created_at, @updated_at)
         ON CONFLICT (id) DO UPDATE SET focus = @focus, last_shown = @last_shown, updated_at = @updated_at`,
      ),
      deleteTurns: db.prepare('DELETE FROM conversation_turn WHERE conversation_id = ?'),
      insertTurn: db.prepare(
        'INSERT INTO conversation_turn (conversation_id, seq, role, text, kind, paper_ids, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      delete: db.prepare('DELETE FROM conversation WHERE id = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM conversation'),
      idleIds: db.prepare('SELECT id FROM conversation WHERE updated_at < ?'),
      overflowIds: db.prepare('SELECT id FROM conversation ORDER BY updated_at DESC, rowid DESC LIMIT -1 OFFSET ?'),
    };
  }

  get(id: string): ConversationState | undefined {
    const row = this.statements.get.get(id) as ConversationRow | undefined;
    if (!row) return undefined;
    const turns = (this.statements.turns.all(id) as TurnRow[]).map((t): StoredTurn => {
      const turn: StoredTurn = { role: t.role, text: t.text, at: t.at };
      if (t.kind) turn.kind = t.kind as TurnKind;
      if (t.role === 'bot') turn.paperIds = idList(t.paper_ids);
      return turn;
    });
    return {
      id: row.id,
      turns,
      focus: idList(row.focus),
      lastShown: idList(row.last_shown),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  put(raw: ConversationState): void {
    const state = boundState(raw, this.limits);
    this.db
      .transaction(() => {
        this.statements.upsert.run({
          id: state.id,
          focus: JSON.stringify(state.focus),
          last_shown: JSON.stringify(state.lastShown),
          created_at: state.createdAt,
          updated_at: state.updatedAt,
        });
        // At most `limits.turns` small rows: rewriting them keeps seq dense and the bound exact.
        this.statements.deleteTurns.run(state.id);
        state.turns.forEach((t, seq) => {
          this.statements.insertTurn.run(state.id, seq, t.role, t.text, t.kind ?? null, JSON.stringify(t.paperIds ?? []), t.at);
        });
        for (const { id } of this.statements.overflowIds.all(this.limits.conversations) as { id: string }[]) this.remove(id);
      })
      .immediate();
  }

  delete(id: string): void {
    this.db.transaction(() => this.remove(id)).immediate();
  }

  pruneIdle(before: number): number {
    return this.db
      .transaction(() => {
        const ids = this.statements.idleIds.all(before) as { id: string }[];
        for (const { id } of ids) this.remove(id);
        return ids.length;
      })
      .immediate();
  }

  count(): number {
    return (this.statements.count.get() as { n: number }).n;
  }

  /** Turns first: the cascade needs foreign_keys=ON, which this class does not assume. */
  private remove(id: string): void {
    this.statements.deleteTurns.run(id);
    this.statements.delete.run(id);
  }
}
