import { describe, expect, it } from 'vitest';
import { contentHash, normaliseTitle, paperId } from '../../src/collection/ids.js';
import { parseCollectionText } from '../../src/collection/load.js';
import { readPapersTxt } from './helpers.js';

const ID_SHAPE = /^[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{6}$/;

describe('paperId', () => {
  it('is a readable slug of the first words plus 6 hex', () => {
    expect(paperId('Patch-Level Training for Large Language Models')).toBe(
      `patch-level-training-for-large-language-${paperId('Patch-Level Training for Large Language Models').slice(-6)}`,
    );
    expect(paperId('Universal Sentence Encoder')).toMatch(/^universal-sentence-encoder-[0-9a-f]{6}$/);
  });

  it('ignores case, punctuation, whitespace and compatibility forms', () => {
    const id = paperId('Patch-Level Training for Large Language Models');
    expect(paperId('  patch level   TRAINING for large language models. ')).toBe(id);
    expect(paperId('Patch\u2010Level Training for Large Language Models')).toBe(id); // unicode hyphen
    expect(paperId('Ｐａｔｃｈ-Level Training for Large Language Models')).toBe(id); // full-width letters
    expect(paperId('Patch-Level\u200B Training for Large Language Models')).toBe(id); // zero-width space
  });

  it('differs for different titles, even with the same first words', () => {
    const a = paperId('Scaling Laws in Patchification: An Image Is Worth 50,176 Tokens And More');
    const b = paperId('Scaling Laws in Patchification: An Image Is Worth 50,176 Tokens And Less');
    expect(a.slice(0, -6)).toBe(b.slice(0, -6));
    expect(a).not.toBe(b);
  });

  it('gives valid, distinct ids to emoji, RTL and accented titles', () => {
    const titles = [
      '🚀🔥 Rocket Fire: Fast Training',
      '🚀🚀🚀',
      '🔥🔥🔥',
      'تعلم الآلة للنصوص العربية',
      'למידת מכונה לטקסט בעברית',
      '\u202Bמילים\u202C Mixed RTL and English',
      'Café Crème: Ünïcode Àccents',
      '深度学习的图像压缩',
    ];
    const ids = titles.map(paperId);
    for (const id of ids) {
      expect(id).toMatch(ID_SHAPE);
      expect(id.length).toBeLessThanOrEqual(47);
    }
    expect(new Set(ids).size).toBe(titles.length);
    expect(ids[0]).toMatch(/^rocket-fire-fast-training-/);
    expect(ids[1]).toMatch(/^paper-[0-9a-f]{6}$/);
    expect(ids[5]).toMatch(/^mixed-rtl-and-english-/);
    expect(ids[6]).toMatch(/^cafe-creme-unicode-accents-/);
  });

  it('keeps long slugs within 40 characters, cut at a word boundary', () => {
    const id = paperId('Cramming 1568 Tokens into a Single Vector and Back Again: Exploring the Limits');
    expect(id).toMatch(/^cramming-1568-tokens-into-a-single-[0-9a-f]{6}$/); // "...-vector" would be 41
    expect(paperId('a'.repeat(200))).toMatch(new RegExp(`^a{40}-[0-9a-f]{6}$`));
  });
});

describe('normaliseTitle', () => {
  it('lowercases, strips punctuation and collapses whitespace', () => {
    expect(normaliseTitle('  ELITE: Encoding Visual\tConcepts (into) Text! ')).toBe('elite encoding visual concepts into text');
  });
});

describe('contentHash', () => {
  it('changes when the title or abstract changes', () => {
    const h = contentHash('T', 'A');
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(contentHash('T', 'A')).toBe(h);
    expect(contentHash('T', 'B')).not.toBe(h);
    expect(contentHash('U', 'A')).not.toBe(h);
    // The separator keeps "title|abstract" boundaries apart.
    expect(contentHash('ab', 'c')).not.toBe(contentHash('a', 'bc'));
  });
});

describe('ids in a collection', () => {
  const lines = readPapersTxt().split('\n');
  const header = lines.slice(0, 2);
  const pairs: string[][] = [];
  for (let i = 2; i < lines.length; i += 2) pairs.push([lines[i]!.replace(/^Subscribe/, ''), lines[i + 1]!]);
  const build = (ps: string[][]) => parseCollectionText([...header, ...ps.flat()].join('\n'), 'papers.txt');
  const idsByTitle = (ps: string[][]) => new Map(build(ps).papers.map((p) => [p.title, p.id]));
  const original = idsByTitle(pairs);

  it('do not change when papers are removed, reordered or added', () => {
    const removed = idsByTitle(pairs.filter((_, i) => i % 3 !== 0));
    const reordered = idsByTitle([...pairs].reverse());
    const added = idsByTitle([
      ['A Brand New Paper About Patches', 'We add a paper in front of all the others to see that nothing moves.'],
      ...pairs,
    ]);
    for (const variant of [removed, reordered, added]) {
      for (const [title, id] of variant) if (original.has(title)) expect(id).toBe(original.get(title));
    }
    expect(removed.size).toBe(pairs.length - Math.ceil(pairs.length / 3));
    expect(added.size).toBe(pairs.length + 1);
  });

  it('give a collection hash that ignores order but sees added papers and edited abstracts', () => {
    const hash = build(pairs).hash;
    expect(build([...pairs].reverse()).hash).toBe(hash);
    expect(build(pairs.slice(1)).hash).not.toBe(hash);
    const edited = pairs.map((p, i) => (i === 10 ? [p[0]!, `${p[1]} Edited.`] : p));
    expect(build(edited).hash).not.toBe(hash);
  });
});
