import { describe, expect, it } from 'vitest';
import { stem } from '../../../src/engine/text/stem.js';

describe('stem', () => {
  it('stems so inflections meet, folding British -ise spellings', () => {
    expect(stem('quantized')).toBe(stem('quantization'));
    expect(stem('quantised')).toBe(stem('quantized'));
  });
});
