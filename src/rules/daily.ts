/** The one home of the daily-picks count rule. Pure; no discord.js, no store. */

export const MIN_DAILY_COUNT = 1;
export const MAX_DAILY_COUNT = 10;

/** Papers per daily post: a whole number from 1 to 10. */
export function isDailyCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_DAILY_COUNT && n <= MAX_DAILY_COUNT;
}
