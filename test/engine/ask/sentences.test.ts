import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../src/engine/ask/sentences.js';

describe('splitSentences', () => {
  it('does not split at abbreviations, decimals or inside URLs', () => {
    const text =
      'Prior work (Li et al., 2023) uses tricks, e.g. pruning, i.e. removing weights. ' +
      'We improve PSNR from 37.36 to 37.70 vs. the baseline. ' +
      'Code is at https://github.com/a/b.c. Results follow!';
    expect(splitSentences(text)).toEqual([
      'Prior work (Li et al., 2023) uses tricks, e.g. pruning, i.e. removing weights.',
      'We improve PSNR from 37.36 to 37.70 vs. the baseline.',
      'Code is at https://github.com/a/b.c.',
      'Results follow!',
    ]);
  });

  it('keeps text without final punctuation and ignores empty input', () => {
    expect(splitSentences('One sentence here. Source code: https://x.org/y')).toEqual([
      'One sentence here.',
      'Source code: https://x.org/y',
    ]);
    expect(splitSentences('   ')).toEqual([]);
  });

  it('splits lower-cased text at a period set apart by spaces', () => {
    expect(splitSentences('eighteen infants were operated on . repair succeeded in 16 . e.g. cooling helped')).toEqual([
      'eighteen infants were operated on .',
      'repair succeeded in 16 .',
      'e.g. cooling helped',
    ]);
  });
});
