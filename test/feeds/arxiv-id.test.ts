import { describe, expect, it } from 'vitest';
import { absUrl, parseArxivId, pdfUrl } from '../../src/feeds/arxiv-id.js';

describe('parseArxivId: what users paste', () => {
  it.each([
    ['2501.00001', { id: '2501.00001' }],
    ['2501.00001v2', { id: '2501.00001', version: 2 }],
    ['arXiv:2501.00001', { id: '2501.00001' }],
    ['arxiv: 2501.00001v3', { id: '2501.00001', version: 3 }],
    ['  2501.00001 \n', { id: '2501.00001' }],
    ['https://arxiv.org/abs/2501.00001v3', { id: '2501.00001', version: 3 }],
    ['https://arxiv.org/abs/2501.00001', { id: '2501.00001' }],
    ['http://arxiv.org/pdf/2501.00001v1', { id: '2501.00001', version: 1 }],
    ['http://arxiv.org/pdf/2501.00001v1.pdf', { id: '2501.00001', version: 1 }],
    ['https://arxiv.org/pdf/2501.00001.pdf', { id: '2501.00001' }],
    ['https://export.arxiv.org/abs/2501.00001', { id: '2501.00001' }],
    ['https://www.arxiv.org/abs/2501.00001v2/', { id: '2501.00001', version: 2 }],
    ['arxiv.org/abs/2501.00001', { id: '2501.00001' }],
    ['https://arxiv.org/abs/2501.00001?context=cs.CL#refs', { id: '2501.00001' }],
    ['https://arxiv.org/html/2501.00001v1', { id: '2501.00001', version: 1 }],
    ['<https://arxiv.org/abs/2501.00001>', { id: '2501.00001' }],
    ['hep-th/9901001', { id: 'hep-th/9901001' }],
    ['hep-th/9901001v2', { id: 'hep-th/9901001', version: 2 }],
    ['math.GT/0309136v1', { id: 'math/0309136', version: 1 }],
    ['arXiv:cond-mat/0207270', { id: 'cond-mat/0207270' }],
    ['https://arxiv.org/abs/hep-th/9901001v2', { id: 'hep-th/9901001', version: 2 }],
    ['https://arxiv.org/pdf/math.GT/0309136v1.pdf', { id: 'math/0309136', version: 1 }],
    ['0704.0001', { id: '0704.0001' }],
    ['1412.6980v9', { id: '1412.6980', version: 9 }],
    ['10.48550/arXiv.2501.00001', { id: '2501.00001' }],
    ['https://doi.org/10.48550/arXiv.2501.00001', { id: '2501.00001' }],
    ['https://huggingface.co/papers/2501.00001', { id: '2501.00001' }],
  ])('%s', (input, expected) => {
    expect(parseArxivId(input)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['https://example.org/abs/2501.00001', 'not-arxiv-url'],
    ['https://www.biorxiv.org/content/10.1101/2024.01.01.000001v1', 'not-arxiv-url'],
    ['https://arxiv.org/list/cs.CL/new', 'not-a-paper-url'],
    ['https://arxiv.org/', 'not-a-paper-url'],
    ['2513.00001', 'malformed'], // month 13
    ['2501.0001', 'malformed'], // 4 digits after 2015
    ['1412.12345', 'malformed'], // 5 digits before 2015
    ['0612.0001', 'malformed'], // new style starts in 0704
    ['hep-th/0801001', 'malformed'], // old style ended in March 2007
    ['2501.00001v0', 'malformed'],
    ['attention is all you need', 'garbage'],
    ['12345', 'garbage'],
    ['2501.00001 2501.00002', 'garbage'],
    ['@everyone', 'garbage'],
  ])('%j is rejected as %s', (input, problem) => {
    const result = parseArxivId(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });

  it('explains what an id looks like and names the other site', () => {
    const garbage = parseArxivId('hello');
    expect(!garbage.ok && garbage.message).toMatch(/2501\.00001/);
    const other = parseArxivId('https://example.org/paper.pdf');
    expect(!other.ok && other.message).toMatch(/example\.org/);
    const month = parseArxivId('2513.00001');
    expect(!month.ok && month.message).toMatch(/13 is not a month/);
  });

  it('quotes at most 80 characters of what was pasted', () => {
    for (const input of ['x'.repeat(5000), `https://example.org/${'a'.repeat(5000)}`, `2501.00001 ${'word '.repeat(1000)}`]) {
      const result = parseArxivId(input);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message.length).toBeLessThan(300);
    }
  });
});

describe('absUrl / pdfUrl', () => {
  it('link the latest version, or the one asked for', () => {
    expect(absUrl('2501.00001')).toBe('https://arxiv.org/abs/2501.00001');
    expect(absUrl('2501.00001', 2)).toBe('https://arxiv.org/abs/2501.00001v2');
    expect(pdfUrl('hep-th/9901001', 1)).toBe('https://arxiv.org/pdf/hep-th/9901001v1');
  });

  it('round-trip through the parser', () => {
    for (const id of ['2501.00001', 'hep-th/9901001', '0704.0001']) {
      expect(parseArxivId(absUrl(id, 3))).toEqual({ ok: true, id, version: 3 });
      expect(parseArxivId(pdfUrl(id))).toEqual({ ok: true, id });
    }
  });
});
