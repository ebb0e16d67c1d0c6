import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { detectFormat, loadCollection, parseCollectionText } from '../../src/collection/load.js';
import { FIXTURES, PAPERS_TXT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'paperbot-collection-'));
function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('duplicates', () => {
  it('keeps the first of papers whose titles differ only in case and punctuation, and reports all sources', () => {
    const text = [
      'Universal Sentence Encoder',
      'First abstract, the one that is kept.',
      'Patch-Level Training for Large Language Models',
      'Another paper in between.',
      'universal sentence encoder.',
      'Second abstract, dropped.',
      'Universal  Sentence Encoder',
      'Third abstract, dropped too.',
    ].join('\n');
    const collection = parseCollectionText(text, 'dups.txt');
    expect(collection.papers.map((p) => p.abstract)).toEqual([
      'First abstract, the one that is kept.',
      'Another paper in between.',
    ]);
    expect(collection.duplicates).toEqual([
      {
        title: 'Universal Sentence Encoder',
        id: collection.papers[0]!.id,
        sources: [
          { file: 'dups.txt', line: 1 },
          { file: 'dups.txt', line: 5 },
          { file: 'dups.txt', line: 7 },
        ],
      },
    ]);
    expect(collection.problems).toEqual([]);
  });
});

describe('loadCollection', () => {
  it('merges files of different formats and reports duplicates across them', async () => {
    const collection = await loadCollection([
      PAPERS_TXT,
      join(FIXTURES, 'mixed.jsonl'),
      join(FIXTURES, 'arxiv-sample.xml'),
    ]);
    // "Universal Sentence Encoder" is in papers.txt and mixed.jsonl; "Patches Are All You Need?" in both fixtures.
    expect(collection.papers).toHaveLength(212 + 2 + 2);
    expect(collection.duplicates.map((d) => d.title).sort()).toEqual(['Patches Are All You Need?', 'Universal Sentence Encoder']);
    const use = collection.duplicates.find((d) => d.title === 'Universal Sentence Encoder')!;
    expect(use.sources.map((s) => s.file)).toEqual([PAPERS_TXT, join(FIXTURES, 'mixed.jsonl')]);
    expect(collection.problems.map((p) => p.file.split('/').pop())).toEqual([
      'mixed.jsonl',
      'mixed.jsonl',
      'mixed.jsonl',
      'mixed.jsonl',
      'arxiv-sample.xml',
    ]);
  });

  it('throws a UserFacingError naming a missing file', async () => {
    const missing = join(dir, 'nope.txt');
    const err = await loadCollection([missing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserFacingError);
    expect((err as Error).message).toContain(missing);
    expect((err as Error).message).toMatch(/not found/);
  });

  it('throws a UserFacingError for a folder, no files, or a file without any paper', async () => {
    await expect(loadCollection([dir])).rejects.toThrow(UserFacingError);
    await expect(loadCollection([])).rejects.toThrow(/No collection file given/);
    const empty = write('empty.jsonl', '{"title": "no abstract"}\n');
    await expect(loadCollection([empty])).rejects.toThrow(/No papers could be read.*empty\.jsonl:1/);
  });

  it('sniffs the format of files whose extension does not say', async () => {
    const jsonlAsTxt = write('export.txt', '{"title": "A", "abstract": "Some abstract."}\n');
    const atomNoExt = write('feed', '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>B</title><summary>S.</summary></entry></feed>');
    const collection = await loadCollection([jsonlAsTxt, atomNoExt]);
    expect(collection.papers.map((p) => p.title)).toEqual(['A', 'B']);
    expect(detectFormat('x.ndjson', '')).toBe('jsonl');
    expect(detectFormat('x.atom', '')).toBe('atom');
    expect(detectFormat('papers', 'Title\nAbstract.')).toBe('hf-text');
  });
});
