import { describe, expect, it } from 'vitest';
import { MAX_DAILY_COUNT, MIN_DAILY_COUNT, isDailyCount } from '../../src/rules/daily.js';
import { isSnowflake } from '../../src/rules/ids.js';
import { canonicalTimeZone, isIsoDate, isTimeOfDay, isTimeZone, localDate, localDateTime, parseTimeOfDay, timeOfDayParts } from '../../src/rules/time.js';

describe('time of day', () => {
  it.each(['00:00', '09:05', '23:59'])('%s is a time of day', (t) => expect(isTimeOfDay(t)).toBe(true));
  it.each(['9:05', '24:00', '12:60', ' 09:00', '0900', '', '09:00:00'])('%j is not', (t) => expect(isTimeOfDay(t)).toBe(false));
  it('parts of a valid time, null otherwise', () => {
    expect(timeOfDayParts('07:30')).toEqual({ hour: 7, minute: 30 });
    expect(timeOfDayParts('7:30')).toBeNull();
  });
  it('typed input is normalised leniently, but only 00:00–23:59', () => {
    expect(parseTimeOfDay('9:05')).toBe('09:05');
    expect(parseTimeOfDay(' 23:59 ')).toBe('23:59');
    expect(parseTimeOfDay('24:00')).toBeNull();
    expect(parseTimeOfDay('12:60')).toBeNull();
    expect(parseTimeOfDay('noon')).toBeNull();
  });
});

describe('time zones', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/Los_Angeles'])('%s is a zone', (z) => expect(isTimeZone(z)).toBe(true));
  it.each(['Mars/Olympus', '', ' UTC', 'Europe/Berlin '])('%j is not', (z) => expect(isTimeZone(z)).toBe(false));
  it('typed zones are trimmed and canonically spelled', () => {
    expect(canonicalTimeZone(' utc ')).toBe('UTC');
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('   ')).toBeNull();
  });
});

describe('calendar dates', () => {
  it.each(['2026-01-31', '2024-02-29', '2000-12-01'])('accepts %s', (d) => expect(isIsoDate(d)).toBe(true));
  it.each(['2026-02-30', '2023-02-29', '2026-13-01', 'tomorrow', '2026-1-5', '', '2026-01-01T00:00'])('rejects %j', (d) =>
    expect(isIsoDate(d)).toBe(false),
  );
});

describe('local date and time of an instant', () => {
  it('follows the zone, across the date line and DST', () => {
    expect(localDateTime(new Date('2026-01-16T07:45:00Z'), 'America/Los_Angeles')).toEqual({ date: '2026-01-15', time: '23:45' });
    expect(localDateTime(new Date('2026-07-15T22:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-07-16', time: '00:30' });
    expect(localDate(new Date('2026-01-15T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-01-16');
    expect(localDateTime(new Date('2026-01-15T00:00:00Z'), 'UTC').time).toBe('00:00'); // never "24:00"
  });
  it('an unknown zone throws', () => {
    expect(() => localDateTime(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('daily count', () => {
  it('is a whole number from 1 to 10', () => {
    expect([MIN_DAILY_COUNT, MAX_DAILY_COUNT]).toEqual([1, 10]);
    for (const n of [1, 5, 10]) expect(isDailyCount(n)).toBe(true);
    for (const n of [0, 11, 2.5, Number.NaN, '3', null]) expect(isDailyCount(n)).toBe(false);
  });
});

describe('Discord ids', () => {
  it('are digits only', () => {
    expect(isSnowflake('123456789012345678')).toBe(true);
    expect(isSnowflake('1')).toBe(true);
    for (const id of ['', '#general', '12a', '1'.repeat(26), ' 123']) expect(isSnowflake(id)).toBe(false);
  });
});
