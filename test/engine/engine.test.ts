import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCollection } from '../../src/collection/load.js';
import { PaperEngine } from '../../src/engine/engine.js';
import { UserFacingError } from '../../src/errors.js';

let engine: PaperEngine;
beforeAll(async () => {
  engine = new PaperEngine({ papers: (await loadCollection([path.resolve(__dirname, '../../data/papers.txt')])).papers });
});

describe('PaperEngine (lexical)', () => {
  it('find pages without overlap and reports the total', async () => {
    const first = await engine.find('video compression', { k: 5 });
    const second = await engine.find('video compression', { k: 5, offset: 5 });
    expect(first.mode).toBe('lexical');
    expect(first.total).toBeGreaterThan(10);
    const ids = [...first.hits, ...second.hits].map((h) => h.paper.id);
    expect(new Set(ids).size).toBe(10);
  });

  it('hasCode keeps only papers with a code link; since/author say clearly when the collection lacks that metadata', async () => {
    const withCode = await engine.find('language models', { k: 10, filters: { hasCode: true } });
    expect(withCode.hits.length).toBeGreaterThan(0);
    for (const h of withCode.hits) expect(h.paper.codeLinks.length).toBeGreaterThan(0);
    await expect(engine.find('language models', { filters: { since: '2024-01-01' } })).rejects.toThrow(/no publication dates/);
    await expect(engine.find('language models', { filters: { author: 'Smith' } })).rejects.toThrow(/no author names/);
    await expect(engine.find('language models', { filters: { since: '2024-13-45' } })).rejects.toBeInstanceOf(UserFacingError);
  });

  it('similar to pasted text works and similar to a paper never returns the paper', async () => {
    const text = await engine.similar('We compress the key-value cache of large language models to low bit widths.', { k: 5 });
    expect(text.hits[0]!.paper.title).toMatch(/KV|Key-Value/i);
    const self = text.hits[0]!.paper;
    const near = await engine.similar(self.id, { k: 10 });
    expect(near.hits.map((h) => h.paper.id)).not.toContain(self.id);
    await expect(engine.similar('   ')).rejects.toBeInstanceOf(UserFacingError);
  });

  it('paper() finds by id, by exact title, and by a word that singles out one title', () => {
    const p = engine.papers[0]!;
    expect(engine.paper(p.id)).toBe(p);
    expect(engine.paper(p.title.toUpperCase())).toBe(p);
    expect(engine.paper('NIRVANA')?.title).toMatch(/^NIRVANA/);
    expect(engine.paper('model')).toBeUndefined(); // in many titles: ambiguous
    expect(engine.paper('no-such-id-000000')).toBeUndefined();
  });

  it('ask counts a synonym of the question word in the answering sentence ("faster" ~ "speed")', async () => {
    const result = await engine.ask('How much faster is NIRVANA?');
    expect(result.answered).toBe(true);
    expect(result.answer).toMatch(/12X|6X/);
    expect(result.citations[0]!.paper.title).toMatch(/^NIRVANA/);
  });

  it('suggest: at most 25 choices of at most 100 characters, typo-tolerant', () => {
    const all = engine.suggest('');
    expect(all.length).toBeLessThanOrEqual(25);
    for (const s of all) expect(s.name.length).toBeLessThanOrEqual(100);
    expect(engine.suggest('nirvan')[0]!.name).toMatch(/^NIRVANA/);
    expect(engine.suggest('quantizaton').length).toBeGreaterThan(0);
  });
});

describe('papers that share a title', () => {
  it('a JSONL collection with two papers of the same title keeps both and answers with their own ids', async () => {
    const { parseCollectionText } = await import('../../src/collection/load.js');
    const text = [
      JSON.stringify({ id: 'trial-17', title: 'Aspirin and stroke prevention', abstract: 'A randomised trial of aspirin in adults after a first stroke.' }),
      JSON.stringify({ id: 'trial-18', title: 'Aspirin and stroke prevention', abstract: 'A cohort study of aspirin use and stroke in elderly patients.' }),
      JSON.stringify({ id: 'other-3', title: 'Statins and cholesterol', abstract: 'Statin therapy lowers cholesterol in patients with heart disease.' }),
    ].join('\n');
    const local = new PaperEngine({ papers: parseCollectionText(text, 'trials.jsonl').papers });
    const result = await local.find('aspirin stroke');
    expect(result.hits.map((h) => h.paper.id).sort()).toEqual(['trial-17', 'trial-18']);
    expect(local.paper('trial-18')!.abstract).toMatch(/cohort/);
  });
});
