/**
 * What the feeds offered (migration '006-feeds'): each paper once, by the same-paper rule as the
 * library (arXiv id, normalised title), with when it was first and last seen and what became of
 * it (new → added or dismissed), and one row per feed run.
 */
import type Database from 'better-sqlite3';
import { identityOf } from '../collection/identity.js';
import type { PaperRecord } from '../collection/types.js';

export type FeedItemStatus = 'new' | 'added' | 'dismissed';

/** One paper a feed offered, before it is stored. */
export interface OfferedItem {
  record: PaperRecord;
  /** The best link for people. */
  url: string;
  /** The FEEDS source, e.g. `arxiv:cat:cs.CL`. */
  source: string;
}

/** How close an item was to the collection when it was first seen (see src/library/rank.ts). */
export interface ItemScore {
  score: number;
  because?: { id: string; title: string };
}

export interface FeedItem extends OfferedItem {
  id: number;
  firstSeen: string;
  lastSeen: string;
  status: FeedItemStatus;
  /** Set when the item was ranked as it was stored. */
  rank?: ItemScore;
}

export interface FeedFailure {
  source: string;
  message: string;
}

export interface FeedRunRecord {
  id: number;
  startedAt: string;
  finishedAt: string;
  offered: number;
  fresh: number;
  failures: FeedFailure[];
}

interface ItemRow {
  id: number;
  record: string;
  url: string;
  source: string;
  first_seen: string;
  last_seen: string;
  status: FeedItemStatus;
  score: number | null;
  because_id: string | null;
  because_title: string | null;
}

function toItem(row: ItemRow): FeedItem {
  return {
    id: row.id,
    record: JSON.parse(row.record) as PaperRecord,
    url: row.url,
    source: row.source,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    status: row.status,
    ...(row.score !== null
      ? { rank: { score: row.score, ...(row.because_id && row.because_title ? { because: { id: row.because_id, title: row.because_title } } : {}) } }
      : {}),
  };
}

export class FeedStore {
  constructor(private readonly db: Database.Database) {}

  /**
   * Stores one feed run in one IMMEDIATE transaction: items not seen before become 'new' (a
   * repeat within the run, or of an earlier run, only moves last_seen), and the run is recorded.
   * A process killed before this returns stored nothing of the run.
   */
  recordRun(run: { startedAt: Date; finishedAt: Date; offered: readonly (OfferedItem & { rank?: ItemScore })[]; failures: readonly FeedFailure[] }): {
    runId: number;
    fresh: FeedItem[];
  } {
    const seenAt = run.finishedAt.toISOString();
    const tx = this.db.transaction(() => {
      const find = this.db.prepare(
        'SELECT id FROM feed_item WHERE (@arxiv IS NOT NULL AND arxiv_id = @arxiv) OR title_key = @title LIMIT 1',
      );
      const touch = this.db.prepare('UPDATE feed_item SET last_seen = ? WHERE id = ?');
      const insert = this.db.prepare(
        `INSERT INTO feed_item (arxiv_id, title_key, record, url, source, first_seen, last_seen, status, score, because_id, because_title)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?)`,
      );
      const freshIds: number[] = [];
      for (const item of run.offered) {
        const identity = identityOf(item.record);
        if (!identity.titleKey) continue;
        const existing = find.get({ arxiv: identity.arxivId ?? null, title: identity.titleKey }) as { id: number } | undefined;
        if (existing) {
          touch.run(seenAt, existing.id);
          continue;
        }
        const info = insert.run(
          identity.arxivId ?? null,
          identity.titleKey,
          JSON.stringify(item.record),
          item.url,
          item.source,
          seenAt,
          seenAt,
          item.rank?.score ?? null,
          item.rank?.because?.id ?? null,
          item.rank?.because?.title ?? null,
        );
        freshIds.push(Number(info.lastInsertRowid));
      }
      const runInfo = this.db
        .prepare('INSERT INTO feed_run (started_at, finished_at, offered, fresh, failures) VALUES (?, ?, ?, ?, ?)')
        .run(run.startedAt.toISOString(), seenAt, run.offered.length, freshIds.length, JSON.stringify(run.failures));
      return { runId: Number(runInfo.lastInsertRowid), fresh: freshIds.map((id) => this.item(id)!) };
    });
    return tx.immediate();
  }

  item(id: number): FeedItem | undefined {
    const row = this.db.prepare('SELECT * FROM feed_item WHERE id = ?').get(id) as ItemRow | undefined;
    return row ? toItem(row) : undefined;
  }

  /** Items still 'new' that were first seen at or after `since` (ISO time), oldest first. */
  pending(since: Date): FeedItem[] {
    return (
      this.db.prepare("SELECT * FROM feed_item WHERE status = 'new' AND first_seen >= ? ORDER BY first_seen, id").all(since.toISOString()) as ItemRow[]
    ).map(toItem);
  }

  /** Which of these same-paper identities are stored already (any status): the items a run need not rank. */
  known(identities: readonly { arxivId?: string; titleKey: string }[]): boolean[] {
    const find = this.db.prepare('SELECT 1 FROM feed_item WHERE (@arxiv IS NOT NULL AND arxiv_id = @arxiv) OR title_key = @title LIMIT 1');
    return identities.map((i) => find.get({ arxiv: i.arxivId ?? null, title: i.titleKey }) !== undefined);
  }

  /**
   * Arrivals a server's daily post may show: still 'new', first seen at or after `since`, never shown
   * to this server before, best score first. `keep` filters (e.g. not in the collection meanwhile).
   */
  candidatesFor(guildId: string, since: Date, limit: number, keep: (item: FeedItem) => boolean = () => true): FeedItem[] {
    if (limit <= 0) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM feed_item
         WHERE status = 'new' AND first_seen >= ? AND score IS NOT NULL
           AND id NOT IN (SELECT item_id FROM feed_shown WHERE guild_id = ?)
         ORDER BY score DESC, id`,
      )
      .iterate(since.toISOString(), guildId) as IterableIterator<ItemRow>;
    const out: FeedItem[] = [];
    for (const row of rows) {
      const item = toItem(row);
      if (keep(item)) out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Records the arrivals a daily post shows (call inside the post's claim transaction). */
  recordShown(guildId: string, date: string, itemIds: readonly number[]): void {
    const insert = this.db.prepare('INSERT INTO feed_shown (guild_id, date, position, item_id) VALUES (?, ?, ?, ?)');
    itemIds.forEach((id, position) => insert.run(guildId, date, position, id));
  }

  /** The arrivals a server's post of `date` shows, in order. */
  shown(guildId: string, date: string): FeedItem[] {
    return (
      this.db
        .prepare('SELECT feed_item.* FROM feed_shown JOIN feed_item ON feed_item.id = feed_shown.item_id WHERE guild_id = ? AND date = ? ORDER BY position')
        .all(guildId, date) as ItemRow[]
    ).map(toItem);
  }

  setStatus(ids: readonly number[], status: FeedItemStatus, now = new Date()): void {
    if (ids.length === 0) return;
    const update = this.db.prepare('UPDATE feed_item SET status = ?, status_at = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) update.run(status, now.toISOString(), id);
    }).immediate();
  }

  lastRun(): FeedRunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM feed_run ORDER BY id DESC LIMIT 1').get() as
      | { id: number; started_at: string; finished_at: string; offered: number; fresh: number; failures: string }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      offered: row.offered,
      fresh: row.fresh,
      failures: JSON.parse(row.failures) as FeedFailure[],
    };
  }
}
