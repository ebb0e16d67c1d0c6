import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/engine/text/analyze.js';
import { queryExpansions, queryTermWeight } from '../../../src/engine/text/expansion.js';
import { stem } from '../../../src/engine/text/stem.js';

describe('query helpers', () => {
  it('down-weights filler words and maps everyday words to paper vocabulary', () => {
    expect(queryTermWeight(stem('papers'))).toBeLessThan(1);
    expect(queryTermWeight(stem('quantization'))).toBe(1);
    expect(queryExpansions([stem('photos')])).toContain(stem('image'));
    expect(queryExpansions([stem('quantization')])).toEqual([]);
  });

  it('expands phrases as well as single words, never repeating the query', () => {
    const expansions = queryExpansions(analyze('make text generation faster'));
    expect(expansions).toContain(stem('decoding')); // from the phrase "text generation"
    expect(expansions).toContain(stem('accelerate')); // from "faster"
    expect(expansions).not.toContain(stem('text'));
    expect(queryExpansions(analyze('generation'))).not.toContain(stem('decoding'));
    expect(queryExpansions(analyze('quantization kernels'))).toEqual([]);
  });
});
