import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { MAX_PAPER_ID_CHARS, paperId } from '../../src/collection/ids.js';
import { detectFormat, loadCollection, parseCollectionText } from '../../src/collection/load.js';
import { FIXTURES, PAPERS_TXT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'paperbot-collection-'));
function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('duplicates and shared titles', () => {
  it('keeps papers that only share a title as distinct papers, reported as "same title"', () => {
    const text = [
      'Universal Sentence Encoder',
      'First abstract.',
      'Patch-Level Training for Large Language Models',
      'Another paper in between.',
      'universal sentence encoder.',
      'Second abstract, another paper.',
      'Universal  Sentence Encoder',
      'Third abstract, a third paper.',
    ].join('\n');
    const collection = parseCollectionText(text, 'same.txt');
    expect(collection.papers.map((p) => p.abstract)).toEqual([
      'First abstract.',
      'Another paper in between.',
      'Second abstract, another paper.',
      'Third abstract, a third paper.',
    ]);
    const ids = collection.papers.map((p) => p.id);
    expect(new Set(ids).size).toBe(4);
    // The first keeps the id its title gives; the others' ids do not depend on the order.
    expect(ids[0]).toBe(paperId('Universal Sentence Encoder'));
    const reversed = parseCollectionText([...text.split('\n').slice(4), ...text.split('\n').slice(0, 4)].join('\n'), 'same.txt');
    expect(reversed.papers.find((p) => p.abstract.startsWith('Third'))!.id).toBe(ids[3]);
    expect(collection.duplicates).toEqual([]);
    expect(collection.sameTitle).toEqual([{ title: 'Universal Sentence Encoder', ids: [ids[0], ids[2], ids[3]] }]);
  });

  it('drops a true duplicate (same title and abstract) and reports all its sources', () => {
    const text = ['Universal Sentence Encoder', 'One abstract.', 'Other', 'Other abstract.', 'universal sentence encoder.', 'One abstract.'].join('\n');
    const collection = parseCollectionText(text, 'dups.txt');
    expect(collection.papers.map((p) => p.title)).toEqual(['Universal Sentence Encoder', 'Other']);
    expect(collection.duplicates).toEqual([
      { title: 'Universal Sentence Encoder', id: collection.papers[0]!.id, sources: [{ file: 'dups.txt', line: 1 }, { file: 'dups.txt', line: 5 }] },
    ]);
    expect(collection.sameTitle).toEqual([]);
  });

  it('keeps two JSONL papers of the same title under their own ids; a repeated id is a duplicate', () => {
    const text = [
      JSON.stringify({ id: 'MED-12', title: 'Effects of aspirin', abstract: 'A trial in adults.' }),
      JSON.stringify({ id: 'MED-98', title: 'Effects of aspirin', abstract: 'A trial in children.' }),
      JSON.stringify({ id: 'MED-12', title: 'Effects of aspirin (again)', abstract: 'The same record, edited.' }),
    ].join('\n');
    const collection = parseCollectionText(text, 'med.jsonl');
    expect(collection.papers.map((p) => p.id)).toEqual(['MED-12', 'MED-98']);
    expect(collection.sameTitle).toEqual([{ title: 'Effects of aspirin', ids: ['MED-12', 'MED-98'] }]);
    expect(collection.duplicates).toEqual([{ title: 'Effects of aspirin', id: 'MED-12', sources: [{ file: 'med.jsonl', line: 1 }, { file: 'med.jsonl', line: 3 }] }]);
  });

  it('uses arXiv ids (without version) from ids and links, and makes exotic ids safe, short and distinct', () => {
    const long = `doc:${'x'.repeat(200)}`;
    const text = [
      JSON.stringify({ id: 'arXiv:2201.09792v2', title: 'A', abstract: 'a' }),
      JSON.stringify({ title: 'B', abstract: 'b', url: 'https://arxiv.org/abs/1803.11175v1' }),
      JSON.stringify({ id: 42, title: 'C', abstract: 'c' }),
      JSON.stringify({ id: 'ID with spaces & <@everyone> ✓', title: 'D', abstract: 'd' }),
      JSON.stringify({ id: long, title: 'E', abstract: 'e' }),
      JSON.stringify({ id: `${long}y`, title: 'F', abstract: 'f' }),
      JSON.stringify({ id: '???', title: 'G', abstract: 'g' }),
      JSON.stringify({ title: 'H', abstract: 'h' }),
    ].join('\n');
    const ids = parseCollectionText(text, 'x.jsonl').papers.map((p) => p.id);
    expect(ids.slice(0, 3)).toEqual(['2201.09792', '1803.11175', '42']);
    expect(ids[7]).toBe(paperId('H'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(MAX_PAPER_ID_CHARS);
      expect(id).toMatch(/^[A-Za-z0-9._\-/]+$/);
    }
  });
});

describe('loadCollection', () => {
  it('merges files of different formats and reports duplicates across them', async () => {
    const collection = await loadCollection([
      PAPERS_TXT,
      join(FIXTURES, 'mixed.jsonl'),
      join(FIXTURES, 'arxiv-sample.xml'),
    ]);
    // "Patches Are All You Need?" is in both fixtures with the same arXiv id: one paper. "Universal
    // Sentence Encoder" is in papers.txt and mixed.jsonl with different abstracts: two papers, same title.
    expect(collection.papers).toHaveLength(212 + 3 + 2);
    expect(collection.duplicates.map((d) => d.title)).toEqual(['Patches Are All You Need?']);
    expect(collection.duplicates[0]!.sources.map((s) => s.file)).toEqual([join(FIXTURES, 'mixed.jsonl'), join(FIXTURES, 'arxiv-sample.xml')]);
    const use = collection.sameTitle!.find((d) => d.title === 'Universal Sentence Encoder')!;
    expect(use.ids).toEqual([paperId('Universal Sentence Encoder'), '1803.11175']);
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

describe('records with their own ids', () => {
  it('are distinct papers even with the same title and abstract (the source tells them apart)', () => {
    const text = [
      JSON.stringify({ id: '234', title: 'Book Availability', abstract: 'The same text.' }),
      JSON.stringify({ id: '1440', title: 'Book Availability', abstract: 'The same text.' }),
      JSON.stringify({ title: 'Book Availability', abstract: 'The same text.' }),
    ].join('\n');
    const collection = parseCollectionText(text, 'c.jsonl');
    expect(collection.papers.map((p) => p.id)).toEqual(['234', '1440']);
    expect(collection.duplicates.map((d) => d.sources.map((s) => s.line))).toEqual([[1, 3]]);
  });
});
