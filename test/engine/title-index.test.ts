/**
 * The autocomplete's title index scores as MiniSearch 7 does (what it was tuned with), from flat arrays
 * saved in the index generation. Checked against MiniSearch itself on the seed collection: the same
 * titles for every query and pass, and the same best title; ties may be ordered differently.
 */
import MiniSearch from 'minisearch';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCollection } from '../../src/collection/load.js';
import { SUGGEST_PASSES, words } from '../../src/engine/suggest.js';
import { TitleIndex } from '../../src/engine/title-index.js';
import { mulberry32 } from '../../src/random.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PASSES = SUGGEST_PASSES;

describe('TitleIndex', async () => {
  const { papers } = await loadCollection([path.join(ROOT, 'data/papers.txt')]);
  const index = TitleIndex.build(papers, words);
  const mini = new MiniSearch({ fields: ['title'], idField: 'id', tokenize: words, processTerm: (t) => t, searchOptions: { tokenize: words, processTerm: (t) => t } });
  mini.addAll(papers.map((p) => ({ id: p.id, title: p.title })));

  /** Typed prefixes of title words, some with two letters swapped. */
  const rand = mulberry32(3);
  const queries = Array.from({ length: 300 }, () => {
    const ws = words(papers[Math.floor(rand() * papers.length)]!.title);
    const n = 1 + Math.floor(rand() * 3);
    const q = ws.slice(0, n);
    q[q.length - 1] = q.at(-1)!.slice(0, 1 + Math.floor(rand() * q.at(-1)!.length));
    if (rand() < 0.3 && q[0]!.length > 4) q[0] = q[0]!.slice(0, 1) + q[0]![2] + q[0]![1] + q[0]!.slice(3);
    return q;
  });

  it('finds the titles MiniSearch finds, best first, for every pass of the autocomplete', () => {
    let compared = 0;
    for (const q of queries) {
      for (const pass of PASSES) {
        const expected = mini.search(q.join(' '), pass).map((h) => h.id as string);
        const got = index.search(q, pass).map((d) => index.ids[d]!);
        expect(new Set(got), `${q.join(' ')} ${pass.combineWith}`).toEqual(new Set(expected));
        if (expected.length) expect(got[0], `${q.join(' ')}`).toBe(expected[0]);
        compared += expected.length ? 1 : 0;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('round-trips through its saved form and refuses a damaged one', () => {
    const copy = TitleIndex.fromBuffer(index.toBuffer());
    for (const q of queries.slice(0, 50)) for (const pass of PASSES) expect(copy.search(q, pass)).toEqual(index.search(q, pass));
    const bytes = index.toBuffer();
    expect(() => TitleIndex.fromBuffer(bytes.subarray(0, bytes.length >> 1))).toThrow();
  });
});
