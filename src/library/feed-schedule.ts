/**
 * When the bot reads its FEEDS: on a croner schedule in the daily post's time zone (by default one
 * hour before DAILY_TIME, so the post's "New today" has fresh arrivals), and once at start-up when
 * the last run is older than a day (a bot that was down at run time catches up). A run never
 * overlaps another and never throws: a failing source is logged and the others still count.
 */
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { FeedStore } from '../store/feed-store.js';
import type { FeedRunner } from './feed-runner.js';

/** A start-up run happens when the last one finished longer ago than this. */
const CATCH_UP_AFTER_MS = 20 * 3600_000;

export interface FeedScheduleDeps {
  runner: Pick<FeedRunner, 'fetch'>;
  store: Pick<FeedStore, 'lastRun'>;
  /** Croner pattern, e.g. "0 8 * * *". */
  pattern: string;
  timezone: string;
  clock: Clock;
  logger: Logger;
}

export class FeedSchedule {
  private job: Cron | undefined;
  private current: Promise<void> | undefined;

  constructor(private readonly deps: FeedScheduleDeps) {}

  start(): void {
    if (this.job) return;
    this.job = new Cron(this.deps.pattern, { timezone: this.deps.timezone, protect: true, unref: true }, () => this.runNow());
    const last = this.deps.store.lastRun();
    const age = last ? this.deps.clock.now().getTime() - Date.parse(last.finishedAt) : Infinity;
    if (age > CATCH_UP_AFTER_MS) void this.runNow();
    this.deps.logger.info({ pattern: this.deps.pattern, timezone: this.deps.timezone, next: this.job.nextRun()?.toISOString() }, 'feeds: scheduled');
  }

  /** One run now (shared with a run in progress); never throws. */
  runNow(): Promise<void> {
    this.current ??= this.deps.runner
      .fetch()
      .then(
        () => undefined,
        (err: unknown) => this.deps.logger.error({ err }, 'feeds: run failed; the next one is on schedule'),
      )
      .finally(() => (this.current = undefined));
    return this.current;
  }

  stop(): void {
    this.job?.stop();
    this.job = undefined;
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    await this.current;
  }

  nextRun(): Date | null {
    return this.job?.nextRun() ?? null;
  }
}
