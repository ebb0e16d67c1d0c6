import { describe, expect, it } from 'vitest';
import { LexicalIndex, type LexicalDoc } from '../../../src/engine/lexical/index.js';

const docs: LexicalDoc[] = [
  { id: 'quant', title: 'Post-training quantization of language models', abstract: 'We study quantization of weights to 4 bits for inference.' },
  {
    id: 'mention',
    title: 'A survey of transformer architectures',
    abstract: 'Transformers are everywhere. Among many topics we briefly touch on quantization and pruning, attention variants and scaling.',
  },
  { id: 'inpaint', title: 'Image inpainting with large holes', abstract: 'We fill missing regions of photos with a transformer.' },
  { id: 'kv', title: 'Compressing the key-value cache', abstract: 'Long contexts make the key-value cache large; we shrink it.' },
  { id: 'llm', title: 'Scaling large language models', abstract: 'We train large language models on many tokens.' },
];

describe('LexicalIndex', () => {
  const index = LexicalIndex.build(docs);

  it('reports its size', () => {
    expect(index.size).toBe(5);
  });

  it('ranks a title match above a passing mention', () => {
    const ids = index.search('quantization').map((h) => h.id);
    expect(ids[0]).toBe('quant');
    expect(ids).toContain('mention');
    expect(ids.indexOf('quant')).toBeLessThan(ids.indexOf('mention'));
  });

  it('finds inflected forms through stemming', () => {
    expect(index.search('quantized')[0]?.id).toBe('quant');
  });

  it('matches abbreviations to written-out phrases', () => {
    expect(index.search('kv cache')[0]?.id).toBe('kv');
    expect(index.search('llm scaling')[0]?.id).toBe('llm');
  });

  it('expands a partial last word', () => {
    expect(index.search('inpai')[0]?.id).toBe('inpaint');
  });

  it('applies the filter and k', () => {
    const hits = index.search('quantization', { filter: (id) => id !== 'quant' });
    expect(hits.map((h) => h.id)).toEqual(['mention']);
    expect(index.search('transformer', { k: 1 })).toHaveLength(1);
  });

  it('gives [] for empty, stop-word-only or unknown queries', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('the of and')).toEqual([]);
    expect(index.search('zzzqqq')).toEqual([]);
  });

  it('never returns a paper twice, even when synonyms and prefixes add terms', () => {
    for (const q of ['fill holes in photos', 'quantiz transformer', 'shrink kv cach']) {
      const ids = index.search(q).map((h) => h.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('brings everyday words to the papers\' vocabulary', () => {
    expect(index.search('fill holes in photos')[0]?.id).toBe('inpaint');
  });

  it('returns scores best first', () => {
    const scores = index.search('transformer quantization').map((h) => h.score);
    expect(scores.length).toBeGreaterThan(1);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('round-trips through its saved form with identical results', () => {
    const copy = LexicalIndex.fromBuffer(index.toBuffer());
    for (const q of ['quantization', 'kv cache', 'photos with holes']) expect(copy.search(q)).toEqual(index.search(q));
  });

  it('answers a pasted 10,000-character query quickly', () => {
    const pasted = docs.map((d) => d.abstract).join(' ').repeat(60).slice(0, 10_000);
    const started = performance.now();
    expect(index.search(pasted).length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('learns acronyms from the collection for papers that only write the phrase', () => {
    const withAcronym = LexicalIndex.build([
      { id: 'defines', title: 'Estimators', abstract: 'We study the straight-through estimator (STE) for quantized networks.' },
      { id: 'phrase-only', title: 'Training binary networks', abstract: 'Gradients pass through a straight-through estimator.' },
      { id: 'other', title: 'Pruning networks', abstract: 'We prune weights by magnitude.' },
    ]);
    expect(withAcronym.search('STE').map((h) => h.id).sort()).toEqual(['defines', 'phrase-only']);
  });

  it('finds papers through the vocabulary files when the query uses everyday words', () => {
    const papers = LexicalIndex.build([
      { id: 'speculative', title: 'Speculative decoding for language models', abstract: 'Draft tokens are verified in parallel to cut latency.' },
      { id: 'watermark', title: 'Watermarking language models', abstract: 'We hide a signal in sampled text.' },
      { id: 'unlearning', title: 'Machine unlearning for language models', abstract: 'We remove private training data from a trained model.' },
      { id: 'mobile', title: 'Diffusion on mobile devices', abstract: 'Image synthesis under tight memory budgets.' },
    ], {}, ['general', 'ml']);
    expect(papers.search('make text generation faster')[0]?.id).toBe('speculative');
    expect(papers.search('making a model forget things')[0]?.id).toBe('unlearning');
    expect(papers.search('running it on phones')[0]?.id).toBe('mobile');
  });

  it('handles an empty collection', () => {
    expect(LexicalIndex.build([]).search('anything')).toEqual([]);
  });
});

describe('query term frequency', () => {
  const docs: LexicalDoc[] = [
    { id: 'glucose', title: 'Plasma levels', abstract: 'We measured glucose in adults over a year of follow-up.' },
    { id: 'insulin', title: 'Plasma levels', abstract: 'We measured insulin in adults over a year of follow-up.' },
    { id: 'other', title: 'Unrelated', abstract: 'A survey of library catalogues and their users.' },
  ];
  const index = LexicalIndex.build(docs, { feedbackWeight: 0 });
  const scoreOf = (q: string, id: string) => index.search(q, { k: 3 }).find((h) => h.id === id)!.score;

  it('a word the query repeats counts more than a word it says once', () => {
    expect(index.search('glucose insulin glucose', { k: 1 })[0]!.id).toBe('glucose');
    expect(index.search('insulin glucose insulin', { k: 1 })[0]!.id).toBe('insulin');
  });

  it('with diminishing returns: twice counts less than two different words', () => {
    const once = scoreOf('glucose', 'glucose');
    const twice = scoreOf('glucose glucose', 'glucose');
    const thrice = scoreOf('glucose glucose glucose', 'glucose');
    expect(twice).toBeGreaterThan(once);
    expect(twice).toBeLessThan(2 * once);
    expect(thrice - twice).toBeLessThan(twice - once);
  });
});
