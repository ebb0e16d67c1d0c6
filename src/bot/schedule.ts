/**
 * Daily-post scheduling. No discord.js here; croner does the IANA-aware "next run"
 * arithmetic, src/rules/time.ts the "what is the local date/time now".
 */
import { Cron } from 'croner';
import { localDateTime, timeOfDayParts } from '../rules/time.js';

/** Croner pattern "minute hour * * *" for an HH:MM time. */
export function dailyCronPattern(time: string): string {
  const parts = timeOfDayParts(time);
  if (!parts) throw new Error(`Invalid time ${JSON.stringify(time)}; expected HH:MM`);
  return `${parts.minute} ${parts.hour} * * *`;
}

/**
 * Whether the post time of the local day has been reached. On a DST spring-forward
 * day a 02:30 post becomes due at 03:00 local (the first instant at or after it).
 */
export function isDue(instant: Date, time: string, tz: string): boolean {
  return localDateTime(instant, tz).time >= time;
}

/** The next instant (strictly after `from`) at which `time` occurs in `tz`. */
export function nextPostAt(time: string, tz: string, from: Date): Date | null {
  const probe = new Cron(dailyCronPattern(time), { timezone: tz, paused: true });
  try {
    return probe.nextRun(from);
  } finally {
    probe.stop();
  }
}
