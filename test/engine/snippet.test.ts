import { describe, expect, it } from 'vitest';
import { snippet } from '../../src/engine/snippet.js';

const abstract =
  'Large language models are deployed widely. Serving them is costly because memory grows with context. ' +
  'Many papers study attention and training recipes, data mixtures and evaluation suites in great detail. ' +
  'We propose a method that quantizes the key-value cache to two bits per channel, cutting memory use by eight times ' +
  'while keeping accuracy. Experiments on long-context benchmarks confirm the gains across model sizes and tasks.';

describe('snippet', () => {
  it('centres on the query words, matching by stem', () => {
    const s = snippet(abstract, 'cache quantization', 120);
    expect(s).toMatch(/quantizes/);
    expect(s).toMatch(/cache/);
    expect(s.startsWith('…')).toBe(true);
  });

  it('stays within maxLen plus the two ellipses and cuts on word boundaries', () => {
    for (const q of ['cache quantization', 'memory', 'benchmarks', 'nothing here']) {
      const s = snippet(abstract, q, 80);
      expect(s.length).toBeLessThanOrEqual(82);
      const body = s.replace(/^…/, '').replace(/…$/, '');
      expect(abstract.includes(body)).toBe(true);
      const at = abstract.indexOf(body);
      expect(at === 0 || abstract[at - 1] === ' ').toBe(true);
      const end = at + body.length;
      expect(end === abstract.length || abstract[end] === ' ').toBe(true);
    }
  });

  it('falls back to the start of the text', () => {
    const s = snippet(abstract, 'zebra', 60);
    expect(s.startsWith('Large language models')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
  });

  it('stays linear on a long text', () => {
    const long = `${'filler words here '.repeat(3000)} the cache is quantized here ${'more filler '.repeat(3000)}`;
    const started = performance.now();
    const s = snippet(long, 'cache quantization', 100);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(s).toMatch(/cache is quantized/);
  });

  it('returns short text whole and empty text as empty', () => {
    expect(snippet('Short abstract.', 'anything')).toBe('Short abstract.');
    expect(snippet('', 'anything')).toBe('');
  });
});
