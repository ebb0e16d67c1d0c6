import { describe, expect, it } from 'vitest';
import { analyze, compoundPartStems } from '../../../src/engine/text/analyze.js';
import { stem } from '../../../src/engine/text/stem.js';

describe('analyze', () => {
  it('stems so inflections meet, folding British -ise spellings', () => {
    expect(analyze('modelling')).toEqual(analyze('modeling'));
  });

  it('adds the abbreviation when the full phrase is written out', () => {
    expect(analyze('large language models')).toContain('llm');
    expect(analyze('key-value cache')).toContain('kv');
    expect(analyze('Vision Transformers')).toContain('vit');
    expect(analyze('neural radiance fields')).toContain('nerf');
    expect(analyze('language models')).not.toContain('llm');
  });
});

describe('compoundPartStems', () => {
  it('marks parts of hyphenated words, unless they also stand alone', () => {
    expect([...compoundPartStems('fine-tuning of models')].sort()).toEqual([stem('fine'), stem('tuning')].sort());
    expect(compoundPartStems('fine-tuning, fine models').has(stem('fine'))).toBe(false);
  });
});
