import { describe, expect, it } from 'vitest';
import { expandsAcronym } from '../../../src/engine/ask/evidence.js';

describe('acronym evidence', () => {
  it('recognises an acronym spelled out, not merely followed by brackets', () => {
    expect(expandsAcronym('We propose conTextualized equivariAnt Position Embedding (TAPE), a framework.', 'TAPE')).toBe(true);
    expect(expandsAcronym('We propose RSQ (Rotate, Scale, then Quantize), which rotates.', 'RSQ')).toBe(true);
    expect(expandsAcronym('It generalizes masked modeling of BERT (Devlin et al., 2019) to images.', 'BERT')).toBe(false);
  });
});
