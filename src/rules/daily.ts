/** The one home of the daily-picks count rule. Pure; no discord.js, no store. */

export const MIN_DAILY_COUNT = 1;
export const MAX_DAILY_COUNT = 10;

/** Papers per daily post: a whole number from 1 to 10. */
export function isDailyCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_DAILY_COUNT && n <= MAX_DAILY_COUNT;
}

/**
 * At most one daily post per server per 20 hours, whatever its time or time zone settings do
 * (a zone change can make the same real day a new local date, or the post time come round again).
 */
export const MIN_HOURS_BETWEEN_POSTS = 20;
export const MIN_MS_BETWEEN_POSTS = MIN_HOURS_BETWEEN_POSTS * 3_600_000;

/** The earliest instant the next post may go out, given the previous one; null = no limit. */
export function nextPostAllowedAt(lastPostAt: Date | null): Date | null {
  return lastPostAt ? new Date(lastPostAt.getTime() + MIN_MS_BETWEEN_POSTS) : null;
}
