import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperId } from '../../src/collection/ids.js';
import { parseCollectionText } from '../../src/collection/load.js';
import { parseArxivAtom, parseJsonl } from '../../src/collection/parse.js';
import { FIXTURES } from './helpers.js';

const jsonl = readFileSync(join(FIXTURES, 'mixed.jsonl'), 'utf8');
const atom = readFileSync(join(FIXTURES, 'arxiv-sample.xml'), 'utf8');

describe('JSONL', () => {
  it('reads the valid lines and reports every bad one with its line, without stopping', () => {
    const { records, problems } = parseJsonl(jsonl, 'mixed.jsonl');
    expect(records.map((r) => [r.line, r.title])).toEqual([
      [1, 'Patches Are All You Need?'],
      [5, 'Universal Sentence Encoder'],
      [8, 'Unicode Title 🚀'],
    ]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 6, 7]);
    expect(problems.every((p) => p.file === 'mixed.jsonl')).toBe(true);
    expect(problems[0]!.message).toMatch(/abstract/);
    expect(problems[1]!.message).toMatch(/not valid JSON/);
    expect(problems[2]!.message).toMatch(/published/);
  });

  it('normalises authors, tags and dates into Papers', () => {
    const { papers } = parseCollectionText(jsonl, 'mixed.jsonl');
    const [patches, use, unicode] = papers;
    expect(patches).toMatchObject({
      id: '2201.09792', // the source's arXiv id, not one derived from the title
      url: 'https://arxiv.org/abs/2201.09792', // from the bare arXiv id
      authors: ['Asher Trockman', 'J. Zico Kolter'],
      published: '2022-01-24',
      tags: ['cs.CV'],
      codeLinks: [{ url: 'https://github.com/locuslab/convmixer', kind: 'github' }],
      source: { file: 'mixed.jsonl', line: 1 },
    });
    expect(use).toMatchObject({
      url: 'https://arxiv.org/abs/1803.11175',
      authors: ['Daniel Cer', 'Yinfei Yang'],
      published: '2018-03-29',
      tags: [],
    });
    expect(unicode).toMatchObject({ tags: ['cs.LG', 'cs.AI'], authors: [] });
    expect(unicode!.url).toBeUndefined();
  });

  it('rejects a non-http url and an overlong title as problems', () => {
    const text = [
      JSON.stringify({ title: 'Fine', abstract: 'Fine abstract.', url: 'javascript:alert(1)' }),
      JSON.stringify({ title: 'x '.repeat(600), abstract: 'An abstract pasted into the title.' }),
      JSON.stringify({ title: 'Kept', abstract: 'Kept abstract.' }),
    ].join('\n');
    const collection = parseCollectionText(text, 'f.jsonl');
    expect(collection.papers.map((p) => p.title)).toEqual(['Kept']);
    expect(collection.problems.map((p) => p.line)).toEqual([1, 2]);
    expect(collection.problems[1]!.message).toMatch(/longer than 1000/);
  });
});

describe('arXiv Atom feed', () => {
  it('reads entries with normalised text, authors, dates, tags and the abs URL', () => {
    const { papers, problems } = parseCollectionText(atom, 'arxiv-sample.xml');
    expect(papers.map((p) => p.title)).toEqual([
      'Patches Are All You Need?',
      'An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale',
      '1984',
    ]);
    const [convmixer, vit] = papers;
    expect(convmixer).toMatchObject({
      url: 'https://arxiv.org/abs/2201.09792v1',
      authors: ['Asher Trockman', 'J. Zico Kolter'],
      published: '2022-01-24',
      tags: ['cs.CV', 'cs.LG'],
      codeLinks: [{ url: 'https://github.com/locuslab/convmixer', kind: 'github' }],
      source: { file: 'arxiv-sample.xml', line: 10 },
    });
    expect(convmixer!.abstract).toMatch(/^Although convolutional networks have been the dominant architecture for vision/);
    expect(convmixer!.abstract).not.toMatch(/\s{2}|\n/);
    expect(vit!.abstract).toMatch(/classification tasks & transfers to mid-sized benchmarks\.$/);
    expect(vit!.tags).toEqual(['cs.CV', 'cs.AI', 'cs.LG']);
    expect(vit!.published).toBe('2020-10-22');

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'arxiv-sample.xml', line: 73 });
    expect(problems[0]!.message).toMatch(/2101\.00002v1 has no summary/);
  });

  it('reports broken XML as a problem with its line instead of throwing', () => {
    const broken = atom.replace('</summary>', '</summmary>');
    const { records, problems } = parseArxivAtom(broken, 'broken.xml');
    expect(records).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBeGreaterThan(10);
    expect(problems[0]!.message).toMatch(/not a valid XML feed/);
  });

  it('reports the arXiv API error entry', () => {
    const error = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345</summary>
  </entry>
</feed>`;
    const { records, problems } = parseArxivAtom(error, 'q.xml');
    expect(records).toEqual([]);
    expect(problems).toEqual([{ file: 'q.xml', line: 3, message: 'arXiv API error: incorrect id format for 1234.12345' }]);
  });
});
