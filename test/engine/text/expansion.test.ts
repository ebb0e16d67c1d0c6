import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/engine/text/analyze.js';
import { queryExpansions, querySynonyms, queryTermWeight } from '../../../src/engine/text/expansion.js';
import { stem } from '../../../src/engine/text/stem.js';
import { THESAURUS } from '../../../src/engine/thesaurus.js';

describe('query helpers', () => {
  it('down-weights filler words and maps everyday words to paper vocabulary', () => {
    expect(queryTermWeight(stem('papers'))).toBeLessThan(1);
    expect(queryTermWeight(stem('quantization'))).toBe(1);
    expect(querySynonyms(stem('photos'))).toContain(stem('image'));
    expect(querySynonyms(stem('quantization'))).toEqual([]);
  });

  it('expands thesaurus phrases as well as single words, never repeating the query', () => {
    const expansions = queryExpansions(analyze('make text generation faster'));
    expect(expansions).toContain(stem('decoding')); // from the phrase "text generation"
    expect(expansions).toContain(stem('accelerate')); // from "faster"
    expect(expansions).not.toContain(stem('text'));
    expect(queryExpansions(analyze('generation'))).not.toContain(stem('decoding'));
    expect(queryExpansions(analyze('quantization kernels'))).toEqual([]);
  });

  it('keeps every thesaurus phrase a phrase after stop words are dropped', () => {
    // "over time" would shrink to "time" and expand every query that mentions time.
    const collapsed = Object.keys(THESAURUS).filter((key) => key.includes(' ') && analyze(key).length < 2);
    expect(collapsed).toEqual([]);
  });

  it('has no thesaurus entry whose words all share the key\'s stem', () => {
    // "embedded" → "embedding" stems to the key itself and would only add noise.
    const useless = Object.keys(THESAURUS).filter((key) => queryExpansions(analyze(key)).length === 0);
    expect(useless).toEqual([]);
  });
});
