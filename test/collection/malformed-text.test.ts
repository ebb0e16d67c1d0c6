import { describe, expect, it } from 'vitest';
import { parseCollectionText } from '../../src/collection/load.js';
import { parseHfPapersText } from '../../src/collection/parse.js';
import { content, readPapersTxt } from './helpers.js';

const lines = readPapersTxt().split('\n');
const original = parseCollectionText(lines.join('\n'), 'papers.txt');

/** Line numbers are 1-based, like the problems report them. */
function without(lineNo: number): string {
  return lines.filter((_, i) => i !== lineNo - 1).join('\n');
}

describe('malformed HF papers text', () => {
  it('reports a title whose abstract is missing mid-file and reads every other paper', () => {
    // Line 100 is the abstract of "Token-level Correlation-guided Compression..." (line 99).
    const broken = parseCollectionText(without(100), 'papers.txt');
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]).toMatchObject({ file: 'papers.txt', line: 99 });
    expect(broken.problems[0]!.message).toMatch(/Token-level Correlation-guided Compression.*no abstract/);

    const expected = original.papers.filter((p) => p.source.line !== 99).map(content);
    expect(broken.papers.map(content)).toEqual(expected);
    // The pair right after the gap is intact, not shifted by one line.
    const next = broken.papers.find((p) => p.title.startsWith('Masking as an Efficient Alternative'));
    expect(next?.abstract).toBe(lines[101]);
  });

  it('reports an abstract whose title is missing and reads every other paper', () => {
    const broken = parseCollectionText(without(99), 'papers.txt');
    expect(broken.problems).toEqual([
      { file: 'papers.txt', line: 99, message: expect.stringMatching(/abstract without a title/) },
    ]);
    expect(broken.papers).toHaveLength(211);
    expect(broken.papers.map((p) => p.title)).toEqual(
      original.papers.filter((p) => p.source.line !== 99).map((p) => p.title),
    );
  });

  it('reports a title at the end of the file with no abstract', () => {
    const result = parseHfPapersText(`${lines.slice(0, 6).join('\n')}\nA Lonely Title At The End\n`, 'f.txt');
    expect(result.records).toHaveLength(2);
    expect(result.problems).toEqual([
      { file: 'f.txt', line: 7, message: expect.stringMatching(/A Lonely Title At The End.*end of the file/) },
    ]);
  });

  it('reports two consecutive missing abstracts separately', () => {
    const text = lines.filter((_, i) => i + 1 !== 6 && i + 1 !== 8).join('\n');
    const result = parseHfPapersText(text, 'f.txt');
    expect(result.problems.map((p) => p.line)).toEqual([5, 6]);
    expect(result.records).toHaveLength(210);
  });

  it('keeps a title that ends in an ellipsis or a question mark as a title', () => {
    const text = [
      'Are Decoder-Only Large Language Models the Silver Bullet for Code Search?',
      'We study whether decoder-only models help code search. They do, sometimes. Results vary by language.',
      'Attention is All You Need? Good Embeddings are enough: Transformers/ RNNs or ....',
      'We show that simple embeddings with statistics suffice for audio understanding. No attention needed.',
    ].join('\n');
    const result = parseHfPapersText(text, 'f.txt');
    expect(result.problems).toEqual([]);
    expect(result.records.map((r) => r.title)).toEqual([
      'Are Decoder-Only Large Language Models the Silver Bullet for Code Search?',
      'Attention is All You Need? Good Embeddings are enough: Transformers/ RNNs or ....',
    ]);
  });

  it('accepts a short one-sentence abstract that ends with a period', () => {
    const result = parseHfPapersText('A Short Paper\nWe show a short result.\nAnother Paper\nAlso short.', 'f.txt');
    expect(result.problems).toEqual([]);
    expect(result.records.map((r) => [r.title, r.abstract, r.line])).toEqual([
      ['A Short Paper', 'We show a short result.', 1],
      ['Another Paper', 'Also short.', 3],
    ]);
  });

  it('rejects a paper whose title is only punctuation, with its line', () => {
    const collection = parseCollectionText('....\nAn abstract that is otherwise fine.\n', 'f.txt');
    expect(collection.papers).toEqual([]);
    expect(collection.problems).toEqual([
      { file: 'f.txt', line: 1, message: expect.stringMatching(/title has no words/) },
    ]);
  });

  it('returns nothing and no problems for an empty file', () => {
    expect(parseHfPapersText('\uFEFF\r\n  \n', 'empty.txt')).toEqual({ records: [], problems: [] });
  });
});
