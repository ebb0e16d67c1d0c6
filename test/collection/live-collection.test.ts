/** The live collection: files + additions − removals, with the same-paper rule (arXiv id, normalised title). */
import { describe, expect, it } from 'vitest';
import { IdentityIndex, arxivIdIn, identityOf } from '../../src/collection/identity.js';
import { buildCollection, LIBRARY_SOURCE } from '../../src/collection/load.js';
import { parseJsonl } from '../../src/collection/parse.js';
import type { LibraryChanges, PaperRecord } from '../../src/collection/types.js';

const FILE = [
  { id: '2401.00001', title: 'Osprey Nets for Fish Counting', abstract: 'Counting fish from above.' },
  { title: 'Heron Gait Analysis', abstract: 'How herons walk.', url: 'https://example.org/heron' },
  { id: 'https://arxiv.org/pdf/2401.00003v2', title: 'Egret Plumage Colour', abstract: 'Colours of egrets.' },
].map((r) => JSON.stringify(r)).join('\n');

const files = () => [{ file: 'birds.jsonl', result: parseJsonl(FILE, 'birds.jsonl') }];
const rec = (over: Partial<PaperRecord>): PaperRecord => ({ title: 'T', abstract: 'A.', authors: [], categories: [], ...over });

describe('arXiv ids on papers', () => {
  it('an id or link in the record gives the arXiv id and the abs link (parseArxivId, absUrl)', () => {
    const { papers } = buildCollection(files());
    expect(papers.map((p) => [p.arxivId, p.url])).toEqual([
      ['2401.00001', 'https://arxiv.org/abs/2401.00001'],
      [undefined, 'https://example.org/heron'],
      ['2401.00003', 'https://arxiv.org/abs/2401.00003v2'],
    ]);
    expect(arxivIdIn('not one', 'arXiv:hep-th/9901001v3')).toEqual({ id: 'hep-th/9901001', version: 3 });
  });
});

describe('buildCollection with the state database changes', () => {
  it('adds additions after the files; one the files already hold is dropped silently; removals hide by id, arXiv id or title', () => {
    const changes: LibraryChanges = {
      additions: [
        { seq: 1, record: rec({ title: 'Kingfisher Dive Angles', abstract: 'Diving.', arxivId: '2402.00001', authors: ['K. F.'], published: '2024-02-01', categories: ['q-bio.PE'] }) },
        { seq: 2, record: rec({ title: 'osprey nets for fish counting!', abstract: 'A copy of a file paper.' }) },
        { seq: 3, record: rec({ title: 'Something else entirely', arxivId: '2401.00003' }) },
      ],
      removals: [{ paperId: 'nothing', titleKey: 'heron gait analysis' }],
    };
    const c = buildCollection(files(), changes);
    expect(c.papers.map((p) => p.title)).toEqual(['Osprey Nets for Fish Counting', 'Egret Plumage Colour', 'Kingfisher Dive Angles']);
    const added = c.papers.at(-1)!;
    expect(added).toMatchObject({ arxivId: '2402.00001', url: 'https://arxiv.org/abs/2402.00001', authors: ['K. F.'], published: '2024-02-01', tags: ['q-bio.PE'], source: { file: LIBRARY_SOURCE, line: 1 } });
    expect(c.duplicates).toEqual([]);
    expect(c.hash).not.toBe(buildCollection(files()).hash);
    // Removal by arXiv id, and by paper id.
    const egret = c.papers[1]!;
    expect(buildCollection(files(), { additions: [], removals: [{ paperId: 'x', arxivId: '2401.00003', titleKey: 'x' }] }).papers.map((p) => p.title)).not.toContain(egret.title);
    expect(buildCollection(files(), { additions: [], removals: [{ paperId: egret.id, titleKey: 'x' }] }).papers).toHaveLength(2);
  });

  it('the same set of papers gives the same hash whatever the order they came in', () => {
    const a = buildCollection(files(), { additions: [{ seq: 1, record: rec({ title: 'Crane Calls' }) }], removals: [] });
    const b = buildCollection(files(), { additions: [{ seq: 9, record: rec({ title: 'Crane Calls' }) }], removals: [] });
    expect(a.hash).toBe(b.hash);
  });

  it('an invalid addition is a reported problem, not a crash', () => {
    const c = buildCollection(files(), { additions: [{ seq: 4, record: rec({ title: 'Ok title', abstract: 'x'.repeat(20_001) }) }], removals: [] });
    expect(c.papers).toHaveLength(3);
    expect(c.problems).toMatchObject([{ file: LIBRARY_SOURCE, line: 4 }]);
  });
});

describe('IdentityIndex', () => {
  it('finds the same paper by arXiv id, id or normalised title', () => {
    const index = new IdentityIndex([{ id: 'a', title: 'Swift Flight', arxivId: '2401.00009' }], (p) => identityOf(p));
    expect(index.find({ arxivId: '2401.00009', titleKey: '' })?.id).toBe('a');
    expect(index.find(identityOf({ title: 'SWIFT — flight.' }))?.id).toBe('a');
    expect(index.find({ id: 'a', titleKey: 'nope' })?.id).toBe('a');
    expect(index.has({ titleKey: 'swallow flight' })).toBe(false);
  });
});
