import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/engine/text/normalize.js';

describe('normalize', () => {
  it('folds width, case, diacritics and zero-width characters', () => {
    expect(normalize('Ｃａｆé NAÏVE zero\u200Bwidth\uFEFF')).toBe('cafe naive zerowidth');
  });
});
