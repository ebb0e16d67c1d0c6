/**
 * The collection's durable changes: papers added through paperbot and papers taken out of the
 * collection files (migration '005-library'), plus who may change it from Discord, per server.
 * SQLite is the truth; the index is derived from the files plus these (see src/engine/live.ts).
 */
import type Database from 'better-sqlite3';
import { identityOf, type PaperIdentity } from '../collection/identity.js';
import type { LibraryChanges, PaperRecord, PaperRemoval } from '../collection/types.js';
import { isSnowflake } from '../rules/ids.js';

export interface Addition {
  seq: number;
  record: PaperRecord;
  /** 'cli', 'discord:<guild>:<user>', 'feed'. */
  addedBy: string;
  addedAt: string;
}

export interface Removal extends PaperRemoval {
  seq: number;
  title: string;
  removedBy: string;
  removedAt: string;
}

export type AddResult = { added: true; seq: number } | { added: false; existing: Addition };

export type AddPolicy = 'everyone' | 'curators';
export const ADD_POLICIES: readonly AddPolicy[] = ['everyone', 'curators'];

export interface LibrarySettings {
  guildId: string;
  /** Members with this role may remove papers (and add them when the policy is 'curators'), besides Manage Server. */
  curatorRoleId: string | null;
  addPolicy: AddPolicy;
}

interface AdditionRow {
  seq: number;
  record: string;
  added_by: string;
  added_at: string;
}

interface RemovalRow {
  seq: number;
  paper_id: string;
  arxiv_id: string | null;
  title_key: string;
  title: string;
  removed_by: string;
  removed_at: string;
}

function toAddition(row: AdditionRow): Addition {
  return { seq: row.seq, record: JSON.parse(row.record) as PaperRecord, addedBy: row.added_by, addedAt: row.added_at };
}

function toRemoval(row: RemovalRow): Removal {
  return {
    seq: row.seq,
    paperId: row.paper_id,
    ...(row.arxiv_id ? { arxivId: row.arxiv_id } : {}),
    titleKey: row.title_key,
    title: row.title,
    removedBy: row.removed_by,
    removedAt: row.removed_at,
  };
}

/** A record the store can keep: a bug upstream when not (callers check user input first). */
function assertRecord(record: PaperRecord): void {
  if (!record.title.trim() || !record.abstract.trim()) throw new Error('library: a paper record needs a title and an abstract');
  if (!identityOf(record).titleKey) throw new Error(`library: the title ${JSON.stringify(record.title.slice(0, 80))} has no words`);
}

export class LibraryStore {
  constructor(private readonly db: Database.Database) {}

  /** Additions (oldest first) and removals, read in one transaction so they belong together. */
  changes(): LibraryChanges & { version: number } {
    return this.db.transaction(() => ({
      additions: this.additions(),
      removals: this.removals(),
      version: this.version(),
    }))();
  }

  additions(): Addition[] {
    return (this.db.prepare('SELECT seq, record, added_by, added_at FROM library_addition ORDER BY seq').all() as AdditionRow[]).map(toAddition);
  }

  removals(): Removal[] {
    return (this.db.prepare('SELECT * FROM library_removal ORDER BY seq').all() as RemovalRow[]).map(toRemoval);
  }

  /** How many papers were added and removed through paperbot (for /about). */
  counts(): { added: number; removed: number } {
    const row = this.db.prepare('SELECT (SELECT COUNT(*) FROM library_addition) AS added, (SELECT COUNT(*) FROM library_removal) AS removed').get() as { added: number; removed: number };
    return row;
  }

  /** Goes up with every change (any process): one cheap read to notice that the collection changed. */
  version(): number {
    return (this.db.prepare('SELECT version FROM library_version WHERE id = 1').get() as { version: number }).version;
  }

  /** The stored addition that is the same paper (arXiv id, then normalised title), if any. */
  addition(identity: PaperIdentity): Addition | undefined {
    const row = this.db
      .prepare(
        `SELECT seq, record, added_by, added_at FROM library_addition
         WHERE (@arxiv IS NOT NULL AND arxiv_id = @arxiv) OR title_key = @title ORDER BY seq LIMIT 1`,
      )
      .get({ arxiv: identity.arxivId ?? null, title: identity.titleKey }) as AdditionRow | undefined;
    return row ? toAddition(row) : undefined;
  }

  /**
   * Adds a paper, in one IMMEDIATE transaction: if the same paper was added already (by anyone,
   * in any process) the earlier addition is returned and nothing changes; else any removal of
   * it is undone and the addition is stored. Committed (synchronous=FULL) when this returns.
   */
  add(record: PaperRecord, addedBy: string, now = new Date()): AddResult {
    assertRecord(record);
    const identity = identityOf(record);
    const run = this.db.transaction((): AddResult => {
      const existing = this.addition(identity);
      if (existing) return { added: false, existing };
      this.db
        .prepare('DELETE FROM library_removal WHERE (@arxiv IS NOT NULL AND arxiv_id = @arxiv) OR title_key = @title')
        .run({ arxiv: identity.arxivId ?? null, title: identity.titleKey });
      const info = this.db
        .prepare('INSERT INTO library_addition (arxiv_id, title_key, record, added_by, added_at) VALUES (?, ?, ?, ?, ?)')
        .run(identity.arxivId ?? null, identity.titleKey, JSON.stringify(record), addedBy, now.toISOString());
      this.bump();
      return { added: true, seq: Number(info.lastInsertRowid) };
    });
    return run.immediate();
  }

  /**
   * Takes a paper out of the collection, in one IMMEDIATE transaction: its additions are deleted,
   * and when the collection files hold it (`inFiles`) a removal is recorded that hides it there.
   * Returns whether anything changed.
   */
  remove(paper: PaperRemoval & { title: string }, removedBy: string, opts: { inFiles: boolean }, now = new Date()): boolean {
    const run = this.db.transaction((): boolean => {
      const deleted = this.db
        .prepare('DELETE FROM library_addition WHERE (@arxiv IS NOT NULL AND arxiv_id = @arxiv) OR title_key = @title')
        .run({ arxiv: paper.arxivId ?? null, title: paper.titleKey }).changes;
      let recorded = 0;
      if (opts.inFiles) {
        const already = this.db.prepare('SELECT 1 FROM library_removal WHERE paper_id = ? OR title_key = ?').get(paper.paperId, paper.titleKey);
        if (!already) {
          recorded = this.db
            .prepare('INSERT INTO library_removal (paper_id, arxiv_id, title_key, title, removed_by, removed_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(paper.paperId, paper.arxivId ?? null, paper.titleKey, paper.title, removedBy, now.toISOString()).changes;
        }
      }
      if (deleted + recorded === 0) return false;
      this.bump();
      return true;
    });
    return run.immediate();
  }

  // ---- who may change the collection from Discord ------------------------------------------

  settings(guildId: string): LibrarySettings {
    const row = this.db.prepare('SELECT curator_role_id, add_policy FROM library_settings WHERE guild_id = ?').get(guildId) as
      | { curator_role_id: string | null; add_policy: AddPolicy }
      | undefined;
    return { guildId, curatorRoleId: row?.curator_role_id ?? null, addPolicy: row?.add_policy ?? 'everyone' };
  }

  /** Stores a partial change; `curatorRoleId: null` clears the role. */
  updateSettings(guildId: string, patch: Partial<Omit<LibrarySettings, 'guildId'>>): LibrarySettings {
    if (patch.curatorRoleId != null && !isSnowflake(patch.curatorRoleId)) {
      throw new Error(`library settings: ${JSON.stringify(patch.curatorRoleId)} is not a Discord role id`);
    }
    if (patch.addPolicy !== undefined && !ADD_POLICIES.includes(patch.addPolicy)) {
      throw new Error(`library settings: add policy must be one of ${ADD_POLICIES.join(', ')}`);
    }
    const run = this.db.transaction(() => {
      const current = this.settings(guildId);
      const next = { ...current, ...patch };
      this.db
        .prepare(
          `INSERT INTO library_settings (guild_id, curator_role_id, add_policy, updated_at) VALUES (@g, @role, @policy, @at)
           ON CONFLICT (guild_id) DO UPDATE SET curator_role_id = @role, add_policy = @policy, updated_at = @at`,
        )
        .run({ g: guildId, role: next.curatorRoleId, policy: next.addPolicy, at: new Date().toISOString() });
      return next;
    });
    return run.immediate();
  }

  private bump(): void {
    this.db.prepare('UPDATE library_version SET version = version + 1 WHERE id = 1').run();
  }
}
