import { describe, expect, it } from 'vitest';
import { compileAbbreviations, learnAbbreviations } from '../../../src/engine/text/abbreviations.js';
import { analyze } from '../../../src/engine/text/analyze.js';

describe('learned abbreviations', () => {
  it('learns acronyms the text defines, only when the letters spell the words', () => {
    const pairs = learnAbbreviations([
      'We use Masked Image Modeling (MIM) and Low-Rank Adaptation (LoRA) with Vision Transformers (ViTs).',
      'Results improve (BLEU) and the key and value (KV) cache shrinks; see the appendix (Table).',
    ]);
    expect(pairs).toEqual(
      expect.arrayContaining([
        ['masked image modeling', 'mim'],
        ['low rank adaptation', 'lora'],
        ['vision transformers', 'vit'],
        ['key and value', 'kv'],
      ]),
    );
    expect(pairs.map(([, a]) => a)).not.toContain('bleu');
    expect(pairs.map(([, a]) => a)).not.toContain('table');
  });

  it('matches a phrase across a hyphenated compound', () => {
    const rules = compileAbbreviations([['single image super resolution', 'sisr']]);
    expect(analyze('Scalable Single Image Super-Resolution', rules)).toContain('sisr');
    expect(analyze('single image super resolution', rules)).toContain('sisr');
    expect(analyze('single image', rules)).not.toContain('sisr');
  });
});
