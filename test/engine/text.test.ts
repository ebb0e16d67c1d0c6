import { describe, expect, it } from 'vitest';
import { analyze, compileAbbreviations, compoundPartStems, learnAbbreviations, normalize, queryExpansions, querySynonyms, queryTermWeight, stem, tokenize } from '../../src/engine/text.js';
import { THESAURUS } from '../../src/engine/thesaurus.js';

describe('normalize', () => {
  it('folds width, case, diacritics and zero-width characters', () => {
    expect(normalize('Ｃａｆé NAÏVE zero\u200Bwidth\uFEFF')).toBe('cafe naive zerowidth');
  });
});

describe('tokenize', () => {
  it('keeps short technical tokens and drops stop words', () => {
    expect(tokenize('The KV cache of an LLM in 3D with INT4')).toEqual(['kv', 'cache', 'llm', '3d', 'int4']);
  });

  it('keeps hyphenated compounds both joined and split', () => {
    expect(tokenize('GPT-4 and patch-wise fine-tuning')).toEqual(['gpt4', 'gpt', 'patchwise', 'patch', 'wise', 'finetuning', 'fine', 'tuning']);
  });

  it('keeps decimal numbers whole and drops possessive s', () => {
    expect(tokenize("BitNet b1.58 and CLIP's encoder")).toEqual(['bitnet', 'b1.58', 'clip', 'encoder']);
  });

  it('survives emoji, RTL text and empty input', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('😀🚀 !!!')).toEqual([]);
    expect(tokenize('مرحبا بالعالم 😀 transformer')).toEqual(['مرحبا', 'بالعالم', 'transformer']);
  });

  it('handles 10,000 characters quickly and caps token length', () => {
    const long = 'x'.repeat(10_000);
    const started = performance.now();
    const tokens = tokenize(`${long} ${'quantization '.repeat(800)}`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(tokens[0]!.length).toBeLessThanOrEqual(40);
    expect(tokens).toHaveLength(801);
  });
});

describe('analyze', () => {
  it('stems so inflections meet, folding British -ise spellings', () => {
    expect(stem('quantized')).toBe(stem('quantization'));
    expect(stem('quantised')).toBe(stem('quantized'));
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

describe('query helpers', () => {
  it('marks parts of hyphenated words, unless they also stand alone', () => {
    expect([...compoundPartStems('fine-tuning of models')].sort()).toEqual([stem('fine'), stem('tuning')].sort());
    expect(compoundPartStems('fine-tuning, fine models').has(stem('fine'))).toBe(false);
  });

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
