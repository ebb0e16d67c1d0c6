import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/engine/text/tokenize.js';

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
