/**
 * The daily auto-post: exactly once per guild per local date, across restarts and crashes.
 *
 * Protocol (each step's DB write is committed with synchronous=FULL before the next step):
 *   1. claim     — one IMMEDIATE transaction inserts (guild, date, picks, 'chosen') under the
 *                  unique key, or returns the existing row. /today reads the same row, and the
 *                  picks are in history before anything is sent.
 *   2. recover   — if an earlier attempt was recorded (step 3 ran, step 5 did not), the message
 *                  may already be in the channel: poster.findPosted(channel, marker, attempts)
 *                  pages through the channel from the first attempt's time on (not just the latest
 *                  messages: a busy channel buries the post) and, when found, we only mark it sent.
 *                  If that lookup fails we do NOT send blind.
 *   3. note      — record the channel we are about to send to and when (attempts+1).
 *   4. send      — nonce derived from the marker + enforce_nonce (Discord dedupes a repeat within
 *                  minutes) and the marker in the embed footer (found again by step 2 later).
 *   5. markSent  — store the message id; then open a discussion thread (failure only logged).
 * Before 1, the 20-hour rule: no post for a new date while the guild's previous post (by real time
 * of its first send attempt) is less than 20 hours old, so a time-zone or time change can neither
 * post twice on one real day nor bring the post time round again too soon; the held-back post goes
 * out at the first run after the 20 hours if it is still that local date. Picks never repeat
 * because of such a change either: history is in claim order, not by local date (daily-store.ts).
 *
 * A crash before 3 → nothing was sent, the restart sends. Between 3 and 5 → the restart finds the
 * message by its time and marker, however many messages came after it and however long the nonce
 * has been forgotten (Discord dedupes nonces for minutes only), and marks it. After 5 → done. Sending first and
 * writing after is what makes a lost write recoverable; writing "sent" first could lose a post.
 *
 * No discord.js here: the Discord side is a DailyPoster (src/bot/discord-poster.ts).
 */
import { Cron } from 'croner';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../clock.js';
import type { Paper } from '../collection/types.js';
import type { Engine } from '../engine/types.js';
import type { DailyArrival } from '../library/arrivals.js';
import type { DailyDefaults, DailyStore, GuildSettings } from '../store/daily-store.js';
import { UserFacingError } from '../errors.js';
import { MIN_HOURS_BETWEEN_POSTS, nextPostAllowedAt } from '../rules/daily.js';
import { localDateTime } from '../rules/time.js';
import { dailyCronPattern, isDue, nextPostAt } from './schedule.js';

export interface DailyPoster {
  /** Send the picks message; `marker` goes in the message's nonce (derived) AND embed footer. */
  post(channelId: string, picks: Paper[], date: string, marker: string, arrivals?: readonly DailyArrival[]): Promise<{ messageId: string }>;
  /**
   * Look for this bot's message carrying `marker`, sent around `attempts` (Discord's clock); its id,
   * or null once the whole window was read without it. Throws when it cannot tell.
   */
  findPosted(channelId: string, marker: string, attempts: SendAttempts): Promise<string | null>;
  openThread(channelId: string, messageId: string, name: string): Promise<void>;
}

/**
 * The channel is gone or the bot may not post there (Discord 404 10003, 403 50013/50001).
 * Logged and skipped; the record stays 'chosen' and is retried on the next run that day.
 */
export class ChannelUnavailableError extends Error {
  override readonly name = 'ChannelUnavailableError';
  constructor(
    readonly channelId: string,
    readonly reason: string,
  ) {
    super(`Channel ${channelId} is unavailable: ${reason}`);
  }
}

/** When the send attempts of a post happened, on Discord's clock; `last` null = "until now" (old records). */
export interface SendAttempts {
  first: Date;
  last: Date | null;
}

export function dailyMarker(guildId: string, date: string): string {
  return `paperbot-daily:${guildId}:${date}`;
}

export function threadName(date: string): string {
  return `Papers of ${date}`;
}

export type DailyOutcome =
  | 'sent'
  | 'recovered' // found an earlier send, marked it
  | 'already-sent'
  | 'not-due'
  | 'too-soon' // the 20-hour rule holds it back
  | 'paused'
  | 'no-channel'
  | 'unavailable'
  | 'failed';

export interface DailyServiceDeps {
  store: DailyStore;
  engine: Pick<Engine, 'picks' | 'paper'>;
  poster: DailyPoster;
  /** The schedule: local dates, when a post is due. */
  clock: Clock;
  /**
   * The clock Discord's message ids follow (default: the system clock). Send attempts are stamped
   * with it because the crash recovery turns them into message-id bounds. Differs from `clock`
   * only in tests that move the schedule without moving Discord.
   */
  discordClock?: Clock;
  logger: Logger;
  defaults: DailyDefaults;
  /** Guilds to post for (e.g. the client's guild cache, or store.configuredGuildIds()). */
  guildIds: () => string[];
  /** Safety-net re-check (cron pattern). Catches missed ticks, DST gaps, guilds joined later. */
  safetyNetPattern?: string;
  /**
   * Is this channel in this guild? DAILY_CHANNEL_ID is one server's channel: without this check
   * every other server using the default would post its picks there too. Unknown → true.
   */
  channelInGuild?: (channelId: string, guildId: string) => boolean;
  /**
   * The post's "New today" (src/library/arrivals.ts): `choose` runs inside the claim transaction,
   * so the arrivals are chosen and stored with the picks, before anything is sent.
   */
  arrivals?: { choose(guildId: string, date: string): void; shown(guildId: string, date: string): DailyArrival[] };
}

export class DailyService {
  private readonly jobs = new Map<string, { job: Cron; key: string }>();
  private safetyNet: Cron | undefined;
  /** Per-guild in-flight run: the cron tick and a catch-up must never send concurrently. */
  private readonly inFlight = new Map<string, Promise<DailyOutcome>>();
  /** Last "unavailable" per guild, to log repeats of the same failure at debug level. */
  private readonly lastUnavailable = new Map<string, string>();
  /** Last "held back by the 20-hour rule" per guild (date|until), to log it once. */
  private readonly lastHeld = new Map<string, string>();

  constructor(private readonly deps: DailyServiceDeps) {}

  /** Schedules every guild's post in its own time zone and catches up today's if it is overdue. */
  start(): void {
    this.syncJobs();
    this.safetyNet ??= new Cron(this.deps.safetyNetPattern ?? '*/10 * * * *', { unref: true, protect: true }, () => {
      this.syncJobs();
      return this.runDue().then(() => undefined);
    });
    void this.runDue();
  }

  stop(): void {
    for (const { job } of this.jobs.values()) job.stop();
    this.jobs.clear();
    this.safetyNet?.stop();
    this.safetyNet = undefined;
  }

  /**
   * Resolves when no post is in flight: await it after stop() and before closing the state,
   * for a clean shutdown. (Closing mid-post is still safe: the next start recovers the post.)
   */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** After a /daily change: re-create the guild's job and post now if the new time has already passed today. */
  reschedule(guildId: string): void {
    this.lastUnavailable.delete(guildId);
    if (this.safetyNet === undefined) return; // not started (CLI, tests): nothing scheduled
    this.schedule(guildId);
    void this.runGuild(guildId);
  }

  /**
   * When the guild's next post goes out (for /daily status and diagnostics), or null if paused or
   * unconfigured: now when today's is due and not yet sent, else the next post time; never before
   * the 20-hour mark after the previous post (a post held back to it goes out then if its local day
   * has reached the post time, else that day is skipped).
   */
  nextPostAt(guildId: string): Date | null {
    const s = this.settings(guildId);
    if (s.paused || !s.channelId) return null;
    const now = this.deps.clock.now();
    const allowed = nextPostAllowedAt(this.deps.store.lastPostAt(guildId, localDateTime(now, s.timezone).date));
    const from = allowed && allowed > now ? allowed : now;
    const day = localDateTime(from, s.timezone).date;
    const done = this.deps.store.dailyRecord(guildId, day)?.status === 'sent';
    return isDue(from, s.time, s.timezone) && !done ? from : nextPostAt(s.time, s.timezone, from);
  }

  /** The croner jobs in place now (for diagnostics, /daily status and tests). */
  scheduled(): { guildId: string; pattern: string; timezone: string; nextRun: Date | null }[] {
    return [...this.jobs.entries()].map(([guildId, { job }]) => ({
      guildId,
      pattern: job.getPattern() ?? '',
      timezone: job.options.timezone ?? 'local',
      nextRun: job.nextRun(),
    }));
  }

  /** Today's picks in the guild's time zone: the same set the auto-post uses (claimed, so recorded). */
  todaysPicks(guildId: string): Paper[] {
    const s = this.settings(guildId);
    const { date } = localDateTime(this.deps.clock.now(), s.timezone);
    return this.papersOf(this.claim(guildId, date, s.count).paperIds);
  }

  /** Today's new arrivals in the guild's post (claimed with the picks, so the same the post shows). */
  todaysArrivals(guildId: string): DailyArrival[] {
    if (!this.deps.arrivals) return [];
    const s = this.settings(guildId);
    const { date } = localDateTime(this.deps.clock.now(), s.timezone);
    this.claim(guildId, date, s.count);
    return this.deps.arrivals.shown(guildId, date);
  }

  /** Posts for every guild whose post time today has passed and that has not posted. Never throws. */
  async runDue(): Promise<Map<string, DailyOutcome>> {
    const outcomes = new Map<string, DailyOutcome>();
    let ids: string[];
    try {
      ids = this.deps.guildIds();
    } catch (err) {
      this.deps.logger.error({ err }, 'daily: could not list guilds');
      return outcomes;
    }
    for (const guildId of ids) outcomes.set(guildId, await this.runGuild(guildId));
    return outcomes;
  }

  /** One guild, serialised per guild; never throws. */
  runGuild(guildId: string): Promise<DailyOutcome> {
    const running = this.inFlight.get(guildId);
    if (running) return running;
    const run = this.runGuildNow(guildId)
      .catch((err: unknown): DailyOutcome => {
        this.deps.logger.error({ err, guildId }, 'daily: post failed; will retry on the next run today');
        return 'failed';
      })
      .finally(() => this.inFlight.delete(guildId));
    this.inFlight.set(guildId, run);
    return run;
  }

  private async runGuildNow(guildId: string): Promise<DailyOutcome> {
    const s = this.settings(guildId);
    if (s.paused) return 'paused';
    if (!s.channelId) return 'no-channel';
    if (this.deps.channelInGuild && !this.deps.channelInGuild(s.channelId, guildId)) return 'no-channel';
    const now = this.deps.clock.now();
    // Only today's local date: a day missed while the bot was down is not back-filled.
    if (!isDue(now, s.time, s.timezone)) return 'not-due';
    const { date } = localDateTime(now, s.timezone);
    const until = this.heldBackUntil(guildId, date, now);
    if (until) {
      const key = `${date}|${until.toISOString()}`;
      const repeat = this.lastHeld.get(guildId) === key;
      this.lastHeld.set(guildId, key);
      this.deps.logger[repeat ? 'debug' : 'info'](
        { guildId, date, until: until.toISOString() },
        `daily: the previous post is less than ${MIN_HOURS_BETWEEN_POSTS} hours old (time or time zone changed); this one waits`,
      );
      return 'too-soon';
    }
    return this.postFor(s, s.channelId, date);
  }

  /**
   * The 20-hour rule: null when (guild, date) may post now, else when it may. A date whose send
   * was already attempted is the same post (finished or recovered), never held back.
   */
  private heldBackUntil(guildId: string, date: string, now: Date): Date | null {
    const record = this.deps.store.dailyRecord(guildId, date);
    if (record && (record.status === 'sent' || record.channelId)) return null;
    const allowed = nextPostAllowedAt(this.deps.store.lastPostAt(guildId, date));
    return allowed && now < allowed ? allowed : null;
  }

  private async postFor(s: GuildSettings, channelId: string, date: string): Promise<DailyOutcome> {
    const { store, poster, logger } = this.deps;
    const guildId = s.guildId;
    const log = logger.child({ guildId, date });
    const record = this.claim(guildId, date, s.count);
    if (record.status === 'sent') return 'already-sent';
    const marker = dailyMarker(guildId, date);

    try {
      // Step 2: only if an attempt was recorded can a message exist (step 3 commits before step 4).
      if (record.channelId) {
        const found = await this.findEarlier(record.channelId, channelId, marker, store.attemptWindow(guildId, date));
        if (found) {
          store.markSent(guildId, date, record.channelId, found);
          log.info({ channelId: record.channelId, messageId: found }, 'daily: found the post of an interrupted run; marked sent');
          await this.openThread(record.channelId, found, date, log);
          return 'recovered';
        }
      }
      const papers = this.papersOf(record.paperIds);
      if (papers.length === 0) {
        log.error({ paperIds: record.paperIds }, 'daily: none of the claimed papers is in the collection any more');
        return 'failed';
      }
      store.noteAttempt(guildId, date, channelId, { schedule: this.deps.clock.now(), discord: (this.deps.discordClock ?? systemClock).now() });
      const arrivals = this.deps.arrivals?.shown(guildId, date) ?? [];
      const { messageId } = await poster.post(channelId, papers, date, marker, arrivals);
      store.markSent(guildId, date, channelId, messageId);
      this.lastUnavailable.delete(guildId);
      log.info({ channelId, messageId, papers: record.paperIds }, 'daily: posted');
      await this.openThread(channelId, messageId, date, log);
      return 'sent';
    } catch (err) {
      if (err instanceof ChannelUnavailableError) {
        const key = `${date}|${err.channelId}|${err.reason}`;
        const repeat = this.lastUnavailable.get(guildId) === key;
        this.lastUnavailable.set(guildId, key);
        log[repeat ? 'debug' : 'warn'](
          { channelId: err.channelId, reason: err.reason },
          'daily: cannot post to the configured channel; skipped (fix the channel or permissions, /daily to change it)',
        );
        return 'unavailable';
      }
      throw err;
    }
  }

  /**
   * A failed lookup is rethrown, never read as "not posted", so nothing is sent blind. One
   * exception: the earlier attempt went to a channel that is now gone and the guild has since
   * switched channels; posting to the new one cannot double a visible post.
   */
  private async findEarlier(
    earlierChannelId: string,
    currentChannelId: string,
    marker: string,
    attempts: SendAttempts | null,
  ): Promise<string | null> {
    if (!attempts) throw new Error(`daily: ${marker} has a channel but no noted attempt; not sending blind`);
    try {
      return await this.deps.poster.findPosted(earlierChannelId, marker, attempts);
    } catch (err) {
      if (err instanceof ChannelUnavailableError && earlierChannelId !== currentChannelId) return null;
      throw err;
    }
  }

  private async openThread(channelId: string, messageId: string, date: string, log: Logger): Promise<void> {
    try {
      await this.deps.poster.openThread(channelId, messageId, threadName(date));
    } catch (err) {
      log.warn({ err, channelId, messageId }, 'daily: could not open a discussion thread (the post itself is fine)');
    }
  }

  private claim(guildId: string, date: string, count: number) {
    const { store, engine } = this.deps;
    const { arrivals } = this.deps;
    return store.claimPicks(
      guildId,
      date,
      () => {
        const ids = engine.picks(date, count, store.history(guildId)).map((p) => p.id);
        if (ids.length === 0) throw new UserFacingError('There are no papers in the collection to pick from.', 1);
        return ids;
      },
      arrivals ? () => arrivals.choose(guildId, date) : undefined,
    );
  }

  private papersOf(ids: readonly string[]): Paper[] {
    return ids.map((id) => this.deps.engine.paper(id)).filter((p): p is Paper => p !== undefined);
  }

  private settings(guildId: string): GuildSettings {
    return this.deps.store.getSettings(guildId, this.deps.defaults);
  }

  private syncJobs(): void {
    let ids: string[] = [];
    try {
      ids = this.deps.guildIds();
    } catch (err) {
      this.deps.logger.error({ err }, 'daily: could not list guilds');
    }
    for (const id of ids) this.schedule(id);
  }

  /** (Re)creates a guild's croner job when its time/zone changed; one job per guild. */
  private schedule(guildId: string): void {
    const s = this.settings(guildId);
    const key = `${s.time}|${s.timezone}`;
    const current = this.jobs.get(guildId);
    if (current?.key === key) return;
    current?.job.stop();
    const job = new Cron(dailyCronPattern(s.time), { timezone: s.timezone, unref: true, protect: true }, () =>
      this.runGuild(guildId).then(() => undefined),
    );
    this.jobs.set(guildId, { job, key });
  }
}
