/**
 * Time-zone helpers for the daily post. No discord.js here; croner does the
 * IANA-aware "next run" arithmetic, Intl does the "what is the local date/time now".
 */
import { Cron } from 'croner';

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isValidTime(time: string): boolean {
  return TIME_RE.test(time);
}

export function isValidTimeZone(tz: string): boolean {
  if (!tz || typeof tz !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // hourCycle h23: midnight is "00", never "24" (some ICU versions do that with hour12:false).
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock date (YYYY-MM-DD) and time (HH:MM) of `instant` in `tz`. */
export function localDateTime(instant: Date, tz: string): { date: string; time: string } {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(tz).formatToParts(instant)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Croner pattern "minute hour * * *" for an HH:MM time. */
export function dailyCronPattern(time: string): string {
  const m = TIME_RE.exec(time);
  if (!m) throw new Error(`Invalid time ${JSON.stringify(time)}; expected HH:MM`);
  return `${Number(m[2])} ${Number(m[1])} * * *`;
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
