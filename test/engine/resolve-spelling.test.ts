import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCollection, parseCollectionText } from '../../src/collection/load.js';
import { PaperEngine } from '../../src/engine/engine.js';
import { AmbiguousPaperError, looksLikeId } from '../../src/engine/resolve.js';
import { editDistance } from '../../src/engine/spelling.js';
import { UserFacingError } from '../../src/errors.js';

let engine: PaperEngine;
beforeAll(async () => {
  engine = new PaperEngine({ papers: (await loadCollection([path.resolve(__dirname, '../../data/papers.txt')])).papers });
});

describe('typos in find', () => {
  it('corrects a word the collection does not use to a close one it does, and says what it searched', async () => {
    for (const [typed, meant] of [['quantizaton', 'quantization'], ['inpaiting', 'inpainting'], ['difusion modles', 'diffusion models']]) {
      const result = await engine.find(typed!);
      expect(result.correctedQuery, typed).toBe(meant);
      expect(result.hits.length).toBeGreaterThan(0);
    }
  });

  it('never corrects a word the collection uses, nor a query that mostly matches as typed', async () => {
    expect((await engine.find('image inpainting')).correctedQuery).toBeUndefined();
    expect((await engine.find('quant')).correctedQuery).toBeUndefined(); // a partial word of a term
    expect((await engine.find('blind face restoration')).correctedQuery).toBeUndefined();
    expect((await engine.find('imputation of missing data')).correctedQuery).toBeUndefined(); // no "computation"
  });

  it('edit distance counts a swap of neighbours as one edit and stops past the limit', () => {
    expect(editDistance('transfromer', 'transformer', 2)).toBe(1);
    expect(editDistance('inpaiting', 'inpainting', 2)).toBe(1);
    expect(editDistance('abc', 'xyz', 1)).toBe(2);
    expect(editDistance('same', 'same', 1)).toBe(0);
  });
});

describe('resolvePaper', () => {
  it('an id, a title, or words found in one title: found', () => {
    const p = engine.papers[3]!;
    expect(engine.resolvePaper(p.id)).toEqual({ kind: 'found', paper: p });
    expect(engine.resolvePaper(p.title.toUpperCase())).toEqual({ kind: 'found', paper: p });
    expect(engine.resolvePaper('NIRVANA').kind).toBe('found');
  });

  it('words found in several titles: ambiguous, with the candidates; paper() then gives nothing', () => {
    const r = engine.resolvePaper('matryoshka');
    expect(r.kind).toBe('ambiguous');
    expect(r.kind === 'ambiguous' && r.candidates.map((c) => c.title).every((t) => /matryoshka/i.test(t))).toBe(true);
    expect(r.kind === 'ambiguous' && r.candidates).toHaveLength(2);
    expect(engine.paper('matryoshka')).toBeUndefined();
    expect(engine.resolvePaper('zzqx unknown words')).toEqual({ kind: 'none' });
  });

  it('two papers with the same title are ambiguous by title, each found by its id; an arXiv link finds its paper', () => {
    const text = [
      JSON.stringify({ id: 'a-1', title: 'Same Title', abstract: 'First.' }),
      JSON.stringify({ id: 'a-2', title: 'Same Title', abstract: 'Second.' }),
      JSON.stringify({ id: '2201.09792', title: 'Patches Are All You Need?', abstract: 'Third.' }),
    ].join('\n');
    const local = new PaperEngine({ papers: parseCollectionText(text, 'x.jsonl').papers });
    expect(local.resolvePaper('same title').kind).toBe('ambiguous');
    expect(local.resolvePaper('a-2').kind).toBe('found');
    expect(local.paper('https://arxiv.org/abs/2201.09792v1')?.title).toBe('Patches Are All You Need?');
  });
});

describe('similar with a name', () => {
  it('an ambiguous name throws AmbiguousPaperError listing the ids', async () => {
    const err = await engine.similar('matryoshka').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AmbiguousPaperError);
    expect((err as AmbiguousPaperError).candidates).toHaveLength(2);
    expect((err as Error).message).toContain((err as AmbiguousPaperError).candidates[0]!.id);
  });

  it('an unknown id never becomes a text search that returns the paper itself', async () => {
    const p = engine.papers[7]!;
    const garbled = `${p.id.slice(0, -3)}zzz`;
    expect(looksLikeId(garbled)).toBe(true);
    await expect(engine.similar(garbled)).rejects.toThrow(UserFacingError);
    await expect(engine.similar(garbled)).rejects.toThrow(/No paper has the id/);
    expect(looksLikeId('video compression with implicit representations')).toBe(false);
  });
});
