/**
 * The daily picks' durable state: per-guild settings, and the daily-post records and picks
 * that make the auto-post exactly-once (see src/bot/daily.ts for the protocol). Built on the
 * open state database (src/store/db.ts); its tables are migrations '001-daily', '003-daily-attempt-time'
 * and '004-daily-claim-order'.
 */
import type Database from 'better-sqlite3';
import { isDailyCount, MAX_DAILY_COUNT, MIN_DAILY_COUNT } from '../rules/daily.js';
import { isSnowflake } from '../rules/ids.js';
import { isIsoDate, isTimeOfDay, isTimeZone } from '../rules/time.js';

export interface DailyDefaults {
  channelId: string | null;
  /** HH:MM, 24h, in `timezone`. */
  time: string;
  /** IANA zone, e.g. Europe/Berlin. */
  timezone: string;
  /** Papers per post, 1..10. */
  count: number;
}

export interface GuildSettings extends DailyDefaults {
  guildId: string;
  paused: boolean;
}

export type DailyStatus = 'chosen' | 'sent';

export interface DailyRecord {
  paperIds: string[];
  status: DailyStatus;
  /** The channel of the last send attempt (set before sending) or of the sent post. */
  channelId: string | null;
  messageId: string | null;
}

/**
 * Asserts a settings patch holds the store's invariants (callers check and word user input
 * first, with the same rules); a violation is a bug upstream, so a plain Error.
 */
export function assertSettings(s: Partial<DailyDefaults>): void {
  if (s.time !== undefined && !isTimeOfDay(s.time)) {
    throw new Error(`daily settings: time must be HH:MM (24-hour), got ${JSON.stringify(s.time)}`);
  }
  if (s.timezone !== undefined && !isTimeZone(s.timezone)) {
    throw new Error(`daily settings: timezone must be an IANA zone, got ${JSON.stringify(s.timezone)}`);
  }
  if (s.count !== undefined && !isDailyCount(s.count)) {
    throw new Error(`daily settings: count must be a whole number from ${MIN_DAILY_COUNT} to ${MAX_DAILY_COUNT}, got ${s.count}`);
  }
  if (s.channelId !== undefined && s.channelId !== null && !isSnowflake(s.channelId)) {
    throw new Error(`daily settings: ${JSON.stringify(s.channelId)} is not a Discord channel id`);
  }
}

interface SettingsRow {
  guild_id: string;
  channel_id: string | null;
  time: string | null;
  timezone: string | null;
  count: number | null;
  paused: number;
}

interface PostRow {
  paper_ids: string;
  status: DailyStatus;
  channel_id: string | null;
  message_id: string | null;
}

export class DailyStore {
  constructor(private readonly db: Database.Database) {}

  // ---- settings -------------------------------------------------------------

  getSettings(guildId: string, defaults: DailyDefaults): GuildSettings {
    const row = this.db.prepare('SELECT * FROM guild_settings WHERE guild_id = ?').get(guildId) as SettingsRow | undefined;
    return {
      guildId,
      channelId: row?.channel_id ?? defaults.channelId,
      time: row?.time ?? defaults.time,
      timezone: row?.timezone ?? defaults.timezone,
      count: row?.count ?? defaults.count,
      paused: row ? row.paused !== 0 : false,
    };
  }

  /** Stores a partial change (asserting its invariants); `channelId: null` falls back to the default channel. */
  updateSettings(guildId: string, patch: Partial<Omit<GuildSettings, 'guildId'>>, defaults: DailyDefaults): GuildSettings {
    assertSettings(patch);
    const upsert = this.db.transaction(() => {
      const cur = this.db.prepare('SELECT * FROM guild_settings WHERE guild_id = ?').get(guildId) as SettingsRow | undefined;
      const pick = <K extends keyof SettingsRow>(key: K, value: SettingsRow[K] | undefined): SettingsRow[K] | null =>
        value !== undefined ? value : (cur?.[key] ?? null);
      this.db
        .prepare(
          `INSERT INTO guild_settings (guild_id, channel_id, time, timezone, count, paused, updated_at)
           VALUES (@guild_id, @channel_id, @time, @timezone, @count, @paused, @updated_at)
           ON CONFLICT (guild_id) DO UPDATE SET channel_id = @channel_id, time = @time, timezone = @timezone,
             count = @count, paused = @paused, updated_at = @updated_at`,
        )
        .run({
          guild_id: guildId,
          channel_id: pick('channel_id', patch.channelId),
          time: pick('time', patch.time),
          timezone: pick('timezone', patch.timezone),
          count: pick('count', patch.count),
          paused: patch.paused !== undefined ? (patch.paused ? 1 : 0) : (cur?.paused ?? 0),
          updated_at: new Date().toISOString(),
        });
    });
    upsert.immediate();
    return this.getSettings(guildId, defaults);
  }

  /** Guilds that have stored settings (any /daily change). */
  configuredGuildIds(): string[] {
    return (this.db.prepare('SELECT guild_id FROM guild_settings ORDER BY guild_id').all() as { guild_id: string }[]).map(
      (r) => r.guild_id,
    );
  }

  // ---- daily records --------------------------------------------------------

  /**
   * Paper ids picked for a guild in its current cycle, in the order they were claimed (real time,
   * not local dates: a time-zone change can make a later claim carry an earlier date).
   */
  history(guildId: string): string[] {
    const rows = this.db
      .prepare(
        `SELECT pick.paper_id FROM daily_pick AS pick
         JOIN daily_post AS post ON post.guild_id = pick.guild_id AND post.date = pick.date
         WHERE pick.guild_id = @g AND pick.cycle = (SELECT MAX(cycle) FROM daily_pick WHERE guild_id = @g)
         ORDER BY post.claim_seq, pick.position`,
      )
      .all({ g: guildId }) as { paper_id: string }[];
    return rows.map((r) => r.paper_id);
  }

  /**
   * When the guild's latest post (other than `exceptDate`'s) was first attempted, on the schedule's
   * clock, or null: what the 20-hour rule measures from.
   */
  lastPostAt(guildId: string, exceptDate: string): Date | null {
    const row = this.db
      .prepare('SELECT MAX(attempted_at) AS at FROM daily_post WHERE guild_id = ? AND date <> ? AND attempted_at IS NOT NULL')
      .get(guildId, exceptDate) as { at: string | null };
    return row.at === null ? null : new Date(row.at);
  }

  /**
   * The picks for (guild, date): the stored ones if the row exists, else `choose()`'s,
   * stored in the same IMMEDIATE transaction (so two racing callers agree). Picks are in
   * history from this moment on, before anything is sent. An empty choice records nothing
   * and throws (the caller says "no papers" to people).
   */
  claimPicks(
    guildId: string,
    date: string,
    choose: () => string[],
    /** Runs in the same transaction once the new row is in (the post's other choices, e.g. new arrivals). */
    alsoInClaim?: () => void,
  ): { paperIds: string[]; status: DailyStatus; messageId: string | null; channelId: string | null } {
    if (!isIsoDate(date)) throw new Error(`claimPicks: ${JSON.stringify(date)} is not a YYYY-MM-DD date`);
    // A claimed row never changes its picks: read it without taking the write lock (every /today after the first).
    const claimed = this.readPost(guildId, date);
    if (claimed) return claimed;
    const claim = this.db.transaction(() => {
      const existing = this.readPost(guildId, date);
      if (existing) return existing;
      const paperIds = choose();
      if (paperIds.length === 0) throw new Error(`claimPicks: no paper ids to record for ${guildId} on ${date}`);
      this.db
        .prepare(
          `INSERT INTO daily_post (guild_id, date, paper_ids, status, chosen_at, claim_seq)
           VALUES (@g, @date, @ids, 'chosen', @at, (SELECT COALESCE(MAX(claim_seq), 0) + 1 FROM daily_post WHERE guild_id = @g))`,
        )
        .run({ g: guildId, date, ids: JSON.stringify(paperIds), at: new Date().toISOString() });
      this.recordCycles(guildId, date, paperIds);
      alsoInClaim?.();
      return { paperIds, status: 'chosen' as const, channelId: null, messageId: null };
    });
    return claim.immediate();
  }

  /**
   * A paper not yet in the current cycle completes it; a paper already in it means the
   * picker restarted, so it opens the next cycle. Thus each cycle holds a paper at most
   * once, and the next cycle's history only has ids posted after the restart.
   */
  private recordCycles(guildId: string, date: string, paperIds: string[]): void {
    const maxRow = this.db.prepare('SELECT MAX(cycle) AS c FROM daily_pick WHERE guild_id = ?').get(guildId) as { c: number | null };
    const cycle = maxRow.c ?? 0;
    const seen = new Set(this.history(guildId));
    const insert = this.db.prepare(
      'INSERT INTO daily_pick (guild_id, date, position, paper_id, cycle) VALUES (?, ?, ?, ?, ?)',
    );
    paperIds.forEach((id, position) => {
      if (!seen.has(id)) {
        seen.add(id);
        insert.run(guildId, date, position, id, cycle);
      } else {
        insert.run(guildId, date, position, id, cycle + 1);
      }
    });
  }

  /**
   * Records the channel about to be sent to and when, committed BEFORE the send (see daily.ts):
   * on the schedule's clock (the 20-hour rule) and on Discord's (recovery turns it into
   * message-id bounds). The first attempt's times are kept, and the latest on Discord's clock.
   */
  noteAttempt(guildId: string, date: string, channelId: string, at: { schedule?: Date; discord?: Date } = {}): void {
    const now = new Date();
    const res = this.db
      .prepare(
        `UPDATE daily_post SET channel_id = @channel, attempts = attempts + 1,
           attempted_at = COALESCE(attempted_at, @scheduleIso),
           first_attempt_ms = COALESCE(first_attempt_ms, @ms), last_attempt_ms = @ms
         WHERE guild_id = @guild AND date = @date AND status = 'chosen'`,
      )
      .run({ channel: channelId, scheduleIso: (at.schedule ?? now).toISOString(), ms: (at.discord ?? now).getTime(), guild: guildId, date });
    if (res.changes !== 1) throw new Error(`noteAttempt: no unsent daily record for ${guildId} on ${date}`);
  }

  /**
   * When the send attempts of (guild, date) happened, on Discord's clock: first and latest. A row
   * noted by a version that kept no times gives its claim time and null (= "until now").
   * Null when no attempt was noted.
   */
  attemptWindow(guildId: string, date: string): { first: Date; last: Date | null } | null {
    const row = this.db
      .prepare('SELECT attempts, chosen_at, first_attempt_ms, last_attempt_ms FROM daily_post WHERE guild_id = ? AND date = ?')
      .get(guildId, date) as
      | { attempts: number; chosen_at: string; first_attempt_ms: number | null; last_attempt_ms: number | null }
      | undefined;
    if (!row || row.attempts === 0) return null;
    if (row.first_attempt_ms === null) return { first: new Date(row.chosen_at), last: null };
    return { first: new Date(row.first_attempt_ms), last: new Date(row.last_attempt_ms ?? row.first_attempt_ms) };
  }

  markSent(guildId: string, date: string, channelId: string, messageId: string): void {
    const res = this.db
      .prepare(
        `UPDATE daily_post SET status = 'sent', channel_id = ?, message_id = ?, sent_at = ? WHERE guild_id = ? AND date = ?`,
      )
      .run(channelId, messageId, new Date().toISOString(), guildId, date);
    if (res.changes !== 1) throw new Error(`markSent: no daily record for ${guildId} on ${date}`);
  }

  dailyRecord(guildId: string, date: string): DailyRecord | undefined {
    return this.readPost(guildId, date);
  }

  /** All records of a guild, oldest first (for tests and diagnostics). */
  dailyRecords(guildId: string): (DailyRecord & { date: string })[] {
    const rows = this.db
      .prepare('SELECT date, paper_ids, status, channel_id, message_id FROM daily_post WHERE guild_id = ? ORDER BY date')
      .all(guildId) as (PostRow & { date: string })[];
    return rows.map((r) => ({ date: r.date, ...toRecord(r) }));
  }

  private readPost(guildId: string, date: string): DailyRecord | undefined {
    const row = this.db
      .prepare('SELECT paper_ids, status, channel_id, message_id FROM daily_post WHERE guild_id = ? AND date = ?')
      .get(guildId, date) as PostRow | undefined;
    return row ? toRecord(row) : undefined;
  }
}

function toRecord(row: PostRow): DailyRecord {
  return {
    paperIds: JSON.parse(row.paper_ids) as string[],
    status: row.status,
    channelId: row.channel_id,
    messageId: row.message_id,
  };
}
