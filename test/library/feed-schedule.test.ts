import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { feedsCronBefore } from '../../src/config.js';
import { FeedSchedule } from '../../src/library/feed-schedule.js';
import type { FeedRunRecord } from '../../src/store/feed-store.js';

function schedule(lastFinished: string | undefined, fetch: () => Promise<unknown>) {
  const clock = fixedClock('2026-03-02T06:00:00Z');
  const last: FeedRunRecord | undefined = lastFinished ? { id: 1, startedAt: lastFinished, finishedAt: lastFinished, offered: 0, fresh: 0, failures: [] } : undefined;
  return new FeedSchedule({
    runner: { fetch: fetch as never },
    store: { lastRun: () => last },
    pattern: '0 8 * * *',
    timezone: 'Europe/Berlin',
    clock,
    logger: pino({ level: 'silent' }),
  });
}

describe('FeedSchedule', () => {
  it('runs at start-up when the last run is older than a day (or there was none), not when it is recent', async () => {
    for (const [last, expected] of [[undefined, 1], ['2026-02-28T07:00:00Z', 1], ['2026-03-01T20:00:00Z', 0]] as const) {
      let runs = 0;
      const s = schedule(last, async () => void runs++);
      s.start();
      await s.idle();
      s.stop();
      expect(runs, String(last)).toBe(expected);
    }
  });

  it('runs never overlap, and a failing run is logged, not thrown', async () => {
    let runs = 0;
    let release!: () => void;
    const s = schedule('2026-03-02T05:00:00Z', () => {
      runs++;
      return new Promise<void>((_, reject) => (release = () => reject(new Error('boom'))));
    });
    const a = s.runNow();
    const b = s.runNow();
    expect(runs).toBe(1);
    release();
    await expect(Promise.all([a, b])).resolves.toBeDefined();
    s.start();
    const next = s.nextRun()!;
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('08:00');
    s.stop();
  });

  it('the default FEEDS_CRON is one hour before DAILY_TIME, across midnight too', () => {
    expect(feedsCronBefore('09:00')).toBe('0 8 * * *');
    expect(feedsCronBefore('00:30')).toBe('30 23 * * *');
  });
});
