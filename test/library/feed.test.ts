/**
 * `paperbot feed` against fake upstreams speaking the real protocols (arXiv API, Hugging Face daily,
 * RSS): new papers ranked by closeness to data/papers.txt, de-duplicated across sources, runs and the
 * collection; `--add N`; and the CLI's `add` for the reviewer's path (authors in find, abs link in paper).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/feeds.js';
import { startFakeHfDaily, type FakeHfDaily } from '../fakes/hf-daily.js';
import { ROOT, sharedEnv } from '../helpers/library-bot.js';
import { runPaperbot } from '../helpers/run-cli.js';
import { ARRIVALS, FEED_CATEGORY, OFF_TOPIC, ON_TOPIC } from './arrivals.js';

let arxiv: FakeArxiv;
let hf: FakeHfDaily;
let site: FakeFeeds;
let dir: string;
let env: Record<string, string>;
const dirs: string[] = [];

function freshDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'paperbot-feed-'));
  dirs.push(d);
  return d;
}

const cli = (args: string[], extra: Record<string, string> = {}) => runPaperbot(args, { ...env, ...extra }, { cwd: dir });

beforeAll(async () => {
  arxiv = await startFakeArxiv({
    papers: [
      ...ARRIVALS,
      {
        id: '2501.00001',
        title: 'Thornbill Routing: Sparse Experts That Vote',
        abstract: 'Thornbill routing sends each token to experts chosen by a vote of lightweight scorers, cutting mixture-of-experts compute.',
        authors: ['Nia Thornbill', 'Oskar Lind'],
        published: '2025-01-02',
        categories: ['cs.LG'],
      },
    ],
  });
  hf = await startFakeHfDaily();
  site = await startFakeFeeds();
});

beforeEach(() => {
  dir = freshDir();
  env = { ...sharedEnv(dir, arxiv.baseUrl), HF_API_BASE: hf.origin, FEEDS: `arxiv:cat:${FEED_CATEGORY}` };
  arxiv.clearFaults();
});

afterAll(async () => {
  await Promise.all([arxiv.close(), hf.close(), site.close()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('paperbot add (the reviewer path)', () => {
  it('adds an arXiv paper; find returns it first with its authors; paper shows the abs link', async () => {
    const add = await cli(['add', '2501.00001', '--json']);
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added.status).toBe('added');
    expect(added.paper).toMatchObject({ arxivId: '2501.00001', absUrl: 'https://arxiv.org/abs/2501.00001', pdfUrl: 'https://arxiv.org/pdf/2501.00001', authors: ['Nia Thornbill', 'Oskar Lind'], published: '2025-01-02' });
    expect(added.similar).toHaveLength(3);
    const find = JSON.parse((await cli(['find', 'thornbill routing experts vote', '--json'])).stdout);
    expect(find.results[0]).toMatchObject({ title: 'Thornbill Routing: Sparse Experts That Vote', authors: ['Nia Thornbill', 'Oskar Lind'] });
    // The author and since filters work on papers with metadata (the sample collection has none).
    const byAuthor = JSON.parse((await cli(['find', 'experts', '--author', 'lind', '--json'])).stdout);
    expect(byAuthor.results.map((r: { title: string }) => r.title)).toEqual(['Thornbill Routing: Sparse Experts That Vote']);
    expect(JSON.parse((await cli(['find', 'experts', '--since', '2025-01-01', '--json'])).stdout).results).toHaveLength(1);
    expect(JSON.parse((await cli(['find', 'experts', '--since', '2025-01-03', '--json'])).stdout).results).toHaveLength(0);
    const text = await cli(['find', 'thornbill routing experts vote', '--k', '1']);
    expect(text.stdout).toMatch(/Nia Thornbill, Oskar Lind · 2025-01-02/);
    const paper = await cli(['paper', '2501.00001']);
    expect(paper.code).toBe(0);
    expect(paper.stdout).toContain('https://arxiv.org/abs/2501.00001');
    expect(paper.stdout).toContain('https://arxiv.org/pdf/2501.00001');
    // ingest indexes the live collection: the added paper stays (nothing to do, in fact).
    const ingest = await cli(['ingest']);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toMatch(/^Index is up to date: \d+ papers/);
    expect(JSON.parse((await cli(['find', 'thornbill routing experts vote', '--json'])).stdout).results[0].title).toBe('Thornbill Routing: Sparse Experts That Vote');
    // Again: already there (exit 0), by id, by versioned link, by title typed by hand.
    for (const again of [['add', '2501.00001'], ['add', 'https://arxiv.org/pdf/2501.00001v1'], ['add', '--title', 'Thornbill routing: sparse experts that vote!', '--abstract', 'x']]) {
      const r = await cli(again);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Already in the collection: Thornbill Routing/);
    }
  });

  it('an unknown arXiv id: "No such paper", exit 2; bad input exit 2; arXiv down exit 1; nothing stored', async () => {
    const unknown = await cli(['add', '2501.09999']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No such paper on arXiv: 2501\.09999/);
    expect((await cli(['add', 'not-an-id'])).code).toBe(2);
    expect((await cli(['add'])).code).toBe(2);
    expect((await cli(['add', '2501.00001', '--title', 'x'])).code).toBe(2);
    arxiv.fail({ kind: 'status', status: 503, times: 10 });
    const down = await cli(['add', '2501.00001']);
    arxiv.clearFaults();
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/arXiv/);
    expect((await cli(['find', 'thornbill', '--json'])).stdout).not.toMatch(/Thornbill Routing/);
  });

  it('typed papers: checked, added, removable; remove of an unknown paper exit 2', async () => {
    const bad = await cli(['add', '--title', '', '--abstract', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/the title is empty/);
    const long = await cli(['add', '--title', 'Long', '--abstract', '-'], {});
    expect(long.code).toBe(2);
    const ok = await runPaperbot(['add', '--title', 'Saltmarsh Indexing for Retrieval', '--abstract', '-', '--url', 'https://example.org/saltmarsh'], env, {
      cwd: dir,
      stdin: 'Saltmarsh indexing stores passages in tidal layers so retrieval reads the freshest first.',
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Added to the collection/);
    const removed = await cli(['remove', 'Saltmarsh Indexing for Retrieval', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout).status).toBe('removed');
    expect((await cli(['remove', 'Saltmarsh Indexing for Retrieval'])).code).toBe(2);
    // A paper of the collection file can be removed too, and comes back when added again.
    const seed = JSON.parse((await cli(['find', 'kv cache', '--json', '--k', '1'])).stdout).results[0];
    expect((await cli(['remove', seed.id])).code).toBe(0);
    expect(JSON.parse((await cli(['find', 'kv cache', '--json', '--k', '5'])).stdout).results.map((r: { id: string }) => r.id)).not.toContain(seed.id);
  });
});

describe('paperbot feed', () => {
  it('ranks the three papers close to the collection first, each with its nearest paper', async () => {
    const r = await cli(['feed', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { papers } = JSON.parse(r.stdout);
    expect(papers).toHaveLength(6);
    for (const p of papers) expect(Object.keys(p)).toEqual(expect.arrayContaining(['id', 'title', 'score', 'because']));
    expect(papers.slice(0, 3).map((p: { id: string }) => p.id).sort()).toEqual(ON_TOPIC.map((p) => p.id).sort());
    expect(papers.slice(3).map((p: { id: string }) => p.id).sort()).toEqual(OFF_TOPIC.map((p) => p.id).sort());
    const scores: number[] = papers.map((p: { score: number }) => p.score);
    expect(Math.min(...scores.slice(0, 3)) / Math.max(...scores.slice(3))).toBeGreaterThan(1.3);
    expect(papers[0].because).toMatchObject({ id: expect.any(String), title: expect.any(String) });
    const text = await cli(['feed']);
    expect(text.stdout).toMatch(/because it is close to "/);
  });

  it('a second run finds nothing new but still offers the pending papers; --add 2 adds the top two', async () => {
    expect((await cli(['feed', '--json'])).code).toBe(0);
    const again = JSON.parse((await cli(['feed', '--json'])).stdout);
    expect(again.papers).toHaveLength(6);
    const add = await cli(['feed', '--json', '--add', '2']);
    expect(add.code, add.stderr).toBe(0);
    const out = JSON.parse(add.stdout);
    expect(out.added.map((a: { status: string }) => a.status)).toEqual(['added', 'added']);
    expect(out.papers).toHaveLength(4);
    const top = out.added[0].title as string;
    const find = JSON.parse((await cli(['find', top, '--json', '--k', '1'])).stdout);
    expect(find.results[0].title).toBe(top);
    expect(JSON.parse((await cli(['feed', '--json'])).stdout).papers).toHaveLength(4);
  });

  it('de-duplicates within a feed, across sources (arXiv, Hugging Face, RSS) and against the collection', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const onTopic = ON_TOPIC[0]!;
    // Hugging Face lists an arXiv paper the arXiv feed also has, plus one paper of the collection file.
    const seedTitle = JSON.parse((await cli(['find', 'kv cache', '--json', '--k', '1'])).stdout).results[0].title as string;
    hf.setDay(today, [
      { id: onTopic.id, title: onTopic.title, summary: onTopic.abstract!, authors: ['Ines Varga'] },
      { id: '2402.99999', title: seedTitle, summary: 'Same paper as one in the collection file, listed again.', authors: [] },
    ]);
    // An RSS feed repeating an arXiv paper by link and title.
    site.serve(
      '/rss',
      `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org</link><description>d</description>
<item><title>${onTopic.title}</title><link>https://arxiv.org/abs/${onTopic.id}</link><description>${onTopic.abstract}</description></item>
</channel></rss>`,
    );
    arxiv.fail({ kind: 'duplicate' });
    const r = await cli(['feed', '--json'], { FEEDS: `arxiv:cat:${FEED_CATEGORY}; hf-daily; rss:${site.url('/rss')}` });
    expect(r.code, r.stderr).toBe(0);
    const ids = JSON.parse(r.stdout).papers.map((p: { id: string }) => p.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(JSON.parse(r.stdout).papers.map((p: { title: string }) => p.title)).not.toContain(seedTitle);
  });

  it('an entry without an abstract is skipped with a reason; the others are kept', async () => {
    arxiv.add({ id: '2502.00031', title: 'An Entry Without Its Abstract', abstract: null, published: '2025-02-10', categories: [FEED_CATEGORY] });
    try {
      const r = await cli(['feed', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.papers).toHaveLength(6);
      expect(out.skipped).toBe(1);
    } finally {
      arxiv.remove('2502.00031');
    }
  });

  it('one source down: the others still count (exit 0, the failure on stderr); all down: exit 1, nothing stored', async () => {
    const feeds = `arxiv:cat:${FEED_CATEGORY}; rss:${site.url('/missing')}`;
    const partly = await cli(['feed', '--json'], { FEEDS: feeds });
    expect(partly.code, partly.stderr).toBe(0);
    expect(partly.stderr).toMatch(/rss:.*404/);
    expect(JSON.parse(partly.stdout).papers).toHaveLength(6);
    dir = freshDir();
    env = { ...sharedEnv(dir, arxiv.baseUrl), HF_API_BASE: hf.origin };
    arxiv.fail({ kind: 'status', status: 503, times: 10 });
    const down = await cli(['feed', '--json'], { FEEDS: `arxiv:cat:${FEED_CATEGORY}` });
    arxiv.clearFaults();
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/No feed could be read/);
  });

  it('FEEDS empty: a clear message, exit 2', async () => {
    const r = await cli(['feed'], { FEEDS: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FEEDS is empty/);
  });
});
