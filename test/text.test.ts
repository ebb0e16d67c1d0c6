import { describe, expect, it } from 'vitest';
import { truncate } from '../src/text.js';

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('short text', 20)).toBe('short text');
  });
  it('cuts on a word boundary and ends with an ellipsis', () => {
    const out = truncate('the quick brown fox jumps over the lazy dog', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toBe('the quick brown fox…');
  });
  it('hard-cuts a single huge word and never splits a surrogate pair', () => {
    expect(truncate('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    const emoji = '😀'.repeat(10);
    const out = truncate(emoji, 6);
    expect(out.length).toBeLessThanOrEqual(6);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
  it('handles tiny limits', () => {
    expect(truncate('hello', 0)).toBe('');
    expect(truncate('hello', 1)).toBe('…');
  });
});
