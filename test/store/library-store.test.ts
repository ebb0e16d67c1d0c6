import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/collection/types.js';
import { StateStore } from '../../src/store/state.js';
import { tempStateStores, thrown } from './temp-state.js';

const temp = tempStateStores('paperbot-library-');

const record = (over: Partial<PaperRecord> = {}): PaperRecord => ({
  title: 'Wren Buffers for Streaming Attention',
  abstract: 'Wren buffers keep a rolling window of keys.',
  arxivId: '2501.00001',
  authors: ['A. Wren'],
  categories: ['cs.CL'],
  ...over,
});

describe('LibraryStore', () => {
  it('adds a paper once: the same arXiv id or the same normalised title finds the first addition', () => {
    const { library } = temp.open();
    const first = library.add(record(), 'cli');
    expect(first.added).toBe(true);
    expect(library.add(record({ title: 'Another title, same id' }), 'cli')).toMatchObject({ added: false, existing: { addedBy: 'cli' } });
    expect(library.add(record({ arxivId: undefined, title: 'wren buffers: for streaming ATTENTION!' }), 'x')).toMatchObject({ added: false });
    expect(library.additions()).toHaveLength(1);
    expect(library.additions()[0]!.record).toEqual(record());
  });

  it('counts changes (any process sees the version move), and changes() is one consistent read', () => {
    const path = `${temp.dir()}/shared.db`;
    const a = temp.open(path);
    const b = temp.open(path);
    const v0 = b.library.version();
    a.library.add(record(), 'cli');
    expect(b.library.version()).toBe(v0 + 1);
    const changes = b.library.changes();
    expect(changes.additions).toHaveLength(1);
    expect(changes.version).toBe(v0 + 1);
    // A repeat that changes nothing does not move it.
    a.library.add(record(), 'cli');
    expect(b.library.version()).toBe(v0 + 1);
  });

  it('remove: deletes the addition; a paper of the files gets a removal row; re-adding undoes the removal', () => {
    const { library } = temp.open();
    library.add(record(), 'cli');
    expect(library.remove({ paperId: 'p1', arxivId: '2501.00001', titleKey: 'wren buffers for streaming attention', title: 'x' }, 'cli', { inFiles: false })).toBe(true);
    expect(library.additions()).toHaveLength(0);
    expect(library.removals()).toHaveLength(0);
    expect(library.remove({ paperId: 'seed-1', titleKey: 'a seed paper', title: 'A Seed Paper' }, 'discord:1:2', { inFiles: true })).toBe(true);
    expect(library.removals()).toMatchObject([{ paperId: 'seed-1', titleKey: 'a seed paper', removedBy: 'discord:1:2' }]);
    // Removing again changes nothing.
    expect(library.remove({ paperId: 'seed-1', titleKey: 'a seed paper', title: 'A Seed Paper' }, 'x', { inFiles: true })).toBe(false);
    library.add(record({ arxivId: undefined, title: 'A seed paper' }), 'cli');
    expect(library.removals()).toHaveLength(0);
  });

  it('refuses records without a title or abstract (a bug upstream, not user input)', () => {
    const { library } = temp.open();
    expect(thrown(() => library.add(record({ title: ' ' }), 'cli'))).toBeInstanceOf(Error);
    expect(thrown(() => library.add(record({ abstract: '' }), 'cli'))).toBeInstanceOf(Error);
    expect(thrown(() => library.add(record({ title: '!!!' }), 'cli'))).toBeInstanceOf(Error);
  });

  it('per-server settings: curator role and add policy, with defaults; bad values are bugs', () => {
    const { library } = temp.open();
    expect(library.settings('g1')).toEqual({ guildId: 'g1', curatorRoleId: null, addPolicy: 'everyone' });
    expect(library.updateSettings('g1', { curatorRoleId: '123', addPolicy: 'curators' })).toEqual({ guildId: 'g1', curatorRoleId: '123', addPolicy: 'curators' });
    expect(library.updateSettings('g1', { curatorRoleId: null }).curatorRoleId).toBeNull();
    expect(library.settings('g1').addPolicy).toBe('curators');
    expect(thrown(() => library.updateSettings('g1', { curatorRoleId: 'role' }))).toBeInstanceOf(Error);
    expect(thrown(() => library.updateSettings('g1', { addPolicy: 'anyone' as never }))).toBeInstanceOf(Error);
  });

  it('survives a reopen (committed when add returns)', () => {
    const path = `${temp.dir()}/reopen.db`;
    const s = StateStore.open(path);
    s.library.add(record(), 'cli');
    s.close();
    const again = temp.open(path);
    expect(again.library.additions()).toHaveLength(1);
  });
});

describe('FeedStore', () => {
  const offered = (id: string | undefined, title: string) => ({
    record: { title, abstract: `${title} abstract.`, ...(id ? { arxivId: id } : {}), authors: [], categories: [] },
    url: id ? `https://arxiv.org/abs/${id}` : 'https://example.org/x',
    source: 'arxiv:test',
  });

  it('a run stores each paper once; a later run only moves last_seen; pending is by first_seen and status', () => {
    const { feeds } = temp.open();
    const t0 = new Date('2026-03-01T08:00:00Z');
    const first = feeds.recordRun({ startedAt: t0, finishedAt: t0, offered: [offered('2502.00001', 'One'), offered(undefined, 'Two'), offered('2502.00001', 'One again')], failures: [] });
    expect(first.fresh.map((i) => i.record.title)).toEqual(['One', 'Two']);
    const t1 = new Date('2026-03-02T08:00:00Z');
    const second = feeds.recordRun({ startedAt: t1, finishedAt: t1, offered: [offered(undefined, 'two'), offered('2502.00003', 'Three')], failures: [{ source: 'rss:x', message: 'down' }] });
    expect(second.fresh.map((i) => i.record.title)).toEqual(['Three']);
    expect(feeds.pending(new Date('2026-02-01T00:00:00Z')).map((i) => i.record.title)).toEqual(['One', 'Two', 'Three']);
    expect(feeds.pending(new Date('2026-03-02T00:00:00Z')).map((i) => i.record.title)).toEqual(['Three']);
    const two = feeds.pending(new Date(0)).find((i) => i.record.title === 'Two')!;
    expect(two.lastSeen).toBe(t1.toISOString());
    feeds.setStatus([two.id], 'dismissed');
    expect(feeds.pending(new Date(0)).map((i) => i.record.title)).toEqual(['One', 'Three']);
    expect(feeds.lastRun()).toMatchObject({ offered: 2, fresh: 1, failures: [{ source: 'rss:x', message: 'down' }] });
  });

  it('daily arrivals: the best-scored new items not shown to this server before; what a post showed is kept', () => {
    const { feeds } = temp.open();
    const t = new Date('2026-03-01T08:00:00Z');
    const scored = (id: string, title: string, score: number) => ({ ...offered(id, title), rank: { score, because: { id: 'near', title: 'Near' } } });
    feeds.recordRun({ startedAt: t, finishedAt: t, offered: [scored('2502.00001', 'Low', 0.1), scored('2502.00002', 'High', 0.9), scored('2502.00003', 'Mid', 0.5), offered(undefined, 'Unscored')], failures: [] });
    expect(feeds.known([{ arxivId: '2502.00002', titleKey: 'x' }, { titleKey: 'unscored' }, { titleKey: 'never seen' }])).toEqual([true, true, false]);
    const since = new Date('2026-02-25T00:00:00Z');
    const first = feeds.candidatesFor('g1', since, 2);
    expect(first.map((i) => i.record.title)).toEqual(['High', 'Mid']);
    expect(first[0]!.rank).toEqual({ score: 0.9, because: { id: 'near', title: 'Near' } });
    feeds.recordShown('g1', '2026-03-01', first.map((i) => i.id));
    expect(feeds.shown('g1', '2026-03-01').map((i) => i.record.title)).toEqual(['High', 'Mid']);
    expect(feeds.candidatesFor('g1', since, 5).map((i) => i.record.title)).toEqual(['Low']);
    expect(feeds.candidatesFor('g2', since, 5, (i) => i.record.title !== 'Mid').map((i) => i.record.title)).toEqual(['High', 'Low']);
    expect(feeds.candidatesFor('g2', new Date('2026-03-02T00:00:00Z'), 5)).toEqual([]);
  });
});
