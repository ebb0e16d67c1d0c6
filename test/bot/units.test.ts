import { describe, expect, it } from 'vitest';
import { QueryMemory, findPageId, parseFindPageId, queryHash } from '../../src/bot/components.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { cleanUserText } from '../../commands/shared.js';
import { checkTimeZone, parseTime } from '../../commands/daily.js';
import { UserFacingError } from '../../src/errors.js';

describe('Cooldown', () => {
  it('allows 5 per 10 s sliding window, then says how long to wait', () => {
    let t = 0;
    const c = new Cooldown(5, 10_000, () => t);
    for (let i = 0; i < 5; i++) {
      expect(c.take('u')).toBe(0);
      t += 1000;
    }
    expect(c.take('u')).toBe(5000); // first use at 0 leaves the window at 10 000
    expect(c.take('other')).toBe(0);
    t = 10_001;
    expect(c.take('u')).toBe(0);
  });
});

describe('custom ids and query memory', () => {
  it('round-trips find paging state in ≤ 100 chars', () => {
    const id = findPageId({ offset: 9990, k: 10, hasCode: true, queryHash: queryHash('x'.repeat(500)) });
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseFindPageId(id)).toEqual({ offset: 9990, k: 10, hasCode: true, queryHash: queryHash('x'.repeat(500)) });
    expect(parseFindPageId('find:page:x:1:0:abc')).toBeNull();
  });
  it('evicts the least recently used query', () => {
    const m = new QueryMemory(2);
    const a = m.remember('a');
    const b = m.remember('b');
    m.recall(a);
    m.remember('c');
    expect(m.recall(a)).toBe('a');
    expect(m.recall(b)).toBeUndefined();
  });
});

describe('input checks', () => {
  const opts = { what: 'query', max: 500 };
  it.each([
    ['empty', '', /empty/],
    ['blank', '   ', /empty/],
    ['5000 chars', 'x'.repeat(5000), /5000 characters long; the limit is 500/],
    ['@everyone', '@everyone patches', /mentions/],
    ['a user mention', 'see <@123456789012345678>', /mentions/],
    ['only markdown', '** ~~ ||', /no words/],
  ])('refuses %s', (_label, input, message) => {
    expect(() => cleanUserText(input, opts)).toThrow(UserFacingError);
    expect(() => cleanUserText(input, opts)).toThrow(message);
  });
  it('strips formatting but keeps words and underscores', () => {
    expect(cleanUserText('**patch** `k_means` > tokens', opts)).toBe('patch k_means > tokens');
  });
  it('times and time zones', () => {
    expect(parseTime('9:05')).toBe('09:05');
    expect(parseTime('23:59')).toBe('23:59');
    expect(() => parseTime('24:00')).toThrow(UserFacingError);
    expect(() => parseTime('12:60')).toThrow(UserFacingError);
    expect(checkTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/not a time zone/);
  });
});
