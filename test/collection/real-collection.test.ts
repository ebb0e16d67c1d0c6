import { describe, expect, it } from 'vitest';
import { loadCollection, parseCollectionText } from '../../src/collection/load.js';
import { content, PAPERS_TXT, readPapersTxt } from './helpers.js';

const text = readPapersTxt();
const lines = text.split('\n');

describe('data/papers.txt', () => {
  it('has the shape the parser relies on: 2 header lines, then 212 title/abstract pairs', () => {
    // An independent count, so the 212 below is checked against the file, not against the parser.
    expect(lines.length).toBe(2 + 212 * 2);
    expect(lines[0]).toMatch(/^Get trending papers/);
    expect(lines[2]).toMatch(/^SubscribeNIRVANA:/);
  });

  it('yields exactly 212 papers, no problems, no duplicates', async () => {
    const collection = await loadCollection([PAPERS_TXT]);
    expect(collection.papers).toHaveLength(212);
    expect(collection.problems).toEqual([]);
    expect(collection.duplicates).toEqual([]);
    expect(new Set(collection.papers.map((p) => p.id)).size).toBe(212);
    expect(collection.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('pairs every title line with the abstract line after it', async () => {
    const { papers } = await loadCollection([PAPERS_TXT]);
    papers.forEach((paper, i) => {
      const titleLine = 3 + 2 * i;
      expect(paper.source).toEqual({ file: PAPERS_TXT, line: titleLine });
      expect(paper.abstract).toBe(lines[titleLine]!.trim());
      if (i > 0) expect(paper.title).toBe(lines[titleLine - 1]!.trim());
    });
  });

  it('drops the "Subscribe" glued to the first title', async () => {
    const { papers } = await loadCollection([PAPERS_TXT]);
    expect(papers[0]!.title).toBe(
      'NIRVANA: Neural Implicit Representations of Videos with Adaptive Networks and Autoregressive Patch-wise Modeling',
    );
    expect(papers[0]!.abstract).toMatch(/^Implicit Neural Representations \(INR\)/);
    expect(papers.at(-1)!.title).toBe('M2T: Masking Transformers Twice for Faster Decoding');
    expect(papers.some((p) => /subscribe|get trending/i.test(p.title))).toBe(false);
  });

  it('fills the derived fields of every paper', async () => {
    const { papers } = await loadCollection([PAPERS_TXT]);
    for (const paper of papers) {
      expect(paper.id).toMatch(/^[a-z0-9-]+-[0-9a-f]{6}$/);
      expect(paper.searchUrl).toMatch(/^https:\/\/arxiv\.org\/search\/\?query=.+&searchtype=title$/);
      expect(paper.url).toBeUndefined();
      expect(paper.hash).toMatch(/^[0-9a-f]{16}$/);
      expect(paper.authors).toEqual([]);
      expect(paper.tags).toEqual([]);
    }
    expect(papers[0]!.id).toBe('nirvana-neural-implicit-representations-fc3a78');
  });

  it('loads in a few milliseconds once warm', async () => {
    await loadCollection([PAPERS_TXT]);
    const runs = 5;
    const start = performance.now();
    for (let i = 0; i < runs; i++) parseCollectionText(text, PAPERS_TXT);
    const perRun = (performance.now() - start) / runs;
    // Generous bound: the machine running tests is shared; typical is ~10 ms.
    expect(perRun).toBeLessThan(150);
  });
});

describe('layout tolerance', () => {
  it('parses CRLF, blank lines, stray whitespace, a BOM and a standalone Subscribe identically', () => {
    const original = parseCollectionText(text, 'papers.txt');
    const [h1, h2, first, ...rest] = lines;
    const messy =
      '\uFEFF' +
      [
        `  ${h1}  `,
        '',
        `${h2}\t`,
        'Subscribe',
        '',
        `\t${first!.replace(/^Subscribe/, '')}`,
        ...rest.map((line, i) => (i % 2 === 0 ? `   ${line.replace(/ /g, '  ')}   \n` : `${line}\t\t`)),
      ].join('\r\n') +
      '\r\n\r\n';
    const reparsed = parseCollectionText(messy, 'papers.txt');
    expect(reparsed.problems).toEqual([]);
    expect(reparsed.papers.map(content)).toEqual(original.papers.map(content));
    expect(reparsed.hash).toBe(original.hash);
  });

  it('parses the pairs without the page header', () => {
    const headerless = lines.slice(2).join('\n').replace(/^Subscribe/, '');
    const collection = parseCollectionText(headerless, 'bare.txt');
    expect(collection.problems).toEqual([]);
    expect(collection.papers).toHaveLength(212);
  });
});
