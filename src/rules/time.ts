/**
 * The one home of each time rule: time of day (HH:MM), IANA zone, calendar date
 * (YYYY-MM-DD) and "the local date/time of an instant in a zone". Pure functions over
 * Intl; no discord.js, no store, no messages for people (callers word their own).
 */

/** 24-hour HH:MM, 00:00–23:59, two digits each. */
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** True for a 24-hour HH:MM time of day ("09:00", not "9:00" or "24:00"). */
export function isTimeOfDay(time: string): boolean {
  return typeof time === 'string' && TIME_OF_DAY.test(time);
}

/** Hour and minute of an HH:MM time, or null when it is not one. */
export function timeOfDayParts(time: string): { hour: number; minute: number } | null {
  const m = typeof time === 'string' ? TIME_OF_DAY.exec(time) : null;
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

/** Typed input, leniently: "9:05" → "09:05" (surrounding space ignored); null unless 00:00–23:59. */
export function parseTimeOfDay(raw: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

/** True for a time zone Intl knows by its IANA name (Europe/Berlin, UTC), as written (no surrounding space). */
export function isTimeZone(tz: string): boolean {
  return typeof tz === 'string' && tz.length > 0 && tz === tz.trim() && canonicalTimeZone(tz) !== null;
}

/** Typed input: the zone's canonical IANA spelling ("utc " → "UTC"), or null when Intl does not know it. */
export function canonicalTimeZone(raw: string): string | null {
  const zone = typeof raw === 'string' ? raw.trim() : '';
  if (!zone) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(s: string): boolean {
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
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

/** The wall-clock date (YYYY-MM-DD) and time (HH:MM) of `instant` in `tz`. Throws RangeError for an unknown zone. */
export function localDateTime(instant: Date, tz: string): { date: string; time: string } {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(tz).formatToParts(instant)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The wall-clock date (YYYY-MM-DD) of `instant` in `tz`. */
export function localDate(instant: Date, tz: string): string {
  return localDateTime(instant, tz).date;
}
