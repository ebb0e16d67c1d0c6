/**
 * Feed faults, through `paperbot feed` against fake upstreams speaking the real protocols. FEEDS has two
 * sources: an arXiv search (the one that misbehaves) and an RSS feed (healthy). For every fault:
 * the healthy source still counts (exit 0, the failure named on stderr), a broken answer stores
 * nothing of its source, skipped entries say why, and a later healthy run stores each paper once.
 * Faults: connection refused, slower than the timeout, 429 with Retry-After then fine, 503 on every
 * try, malformed Atom, Atom cut off mid-transfer, half a document in a complete answer, an entry with
 * no abstract, duplicates within the feed and of papers already in the collection.
 * Also: an unknown arXiv id for `add` is "no such paper", exit 2.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/store/state.js';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv.js';
import type { Fault } from '../fakes/http-fake.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/feeds.js';
import { ROOT, sharedEnv } from '../helpers/library-bot.js';
import { runPaperbot } from '../helpers/run-cli.js';
import { ARRIVALS, FEED_CATEGORY } from '../library/arrivals.js';
import { report, tempDir } from './support.js';

let arxiv: FakeArxiv;
let site: FakeFeeds;
const RSS_TITLES = ['Tidewater Heuristics for Cache Placement', 'Lichen Graphs for Sparse Retrieval'];

beforeAll(async () => {
  arxiv = await startFakeArxiv({ papers: ARRIVALS });
  site = await startFakeFeeds();
  site.serve(
    '/rss',
    `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org</link><description>d</description>
${RSS_TITLES.map((t, i) => `<item><title>${t}</title><link>https://example.org/p${i}</link><description>${t}: an abstract long enough to keep, about caches and retrieval.</description></item>`).join('\n')}
</channel></rss>`,
  );
});

afterAll(async () => {
  await Promise.all([arxiv.close(), site.close()]);
});

function envFor(dir: string): Record<string, string> {
  return {
    ...sharedEnv(dir, arxiv.baseUrl),
    FEEDS: `arxiv:cat:${FEED_CATEGORY}; rss:${site.url('/rss')}`,
    UPSTREAM_TIMEOUT_MS: '500',
    UPSTREAM_RETRIES: '1',
  };
}

function storedItems(dir: string): { arxiv: string | null; title: string }[] {
  const state = StateStore.open(path.join(dir, 'state.sqlite'));
  try {
    expect(state.db.pragma('quick_check', { simple: true })).toBe('ok');
    return (state.db.prepare('SELECT arxiv_id, title_key FROM feed_item').all() as { arxiv_id: string | null; title_key: string }[]).map((r) => ({ arxiv: r.arxiv_id, title: r.title_key }));
  } finally {
    state.close();
  }
}

type Scenario = { name: string; arm: () => void | Promise<void>; disarm?: () => void | Promise<void>; arxivCounts: boolean; stderr?: RegExp };

const SCENARIOS: Scenario[] = [
  { name: 'connection refused', arm: () => arxiv.down('refuse'), disarm: () => arxiv.up(), arxivCounts: false, stderr: /arXiv.*(refused|connect|reach)/i },
  { name: 'slower than the timeout', arm: () => arxiv.fail({ kind: 'slow', delayMs: 2000, times: 2 }), arxivCounts: false, stderr: /arXiv.*(within|timed out|timeout)/i },
  { name: '429 with Retry-After, then fine', arm: () => arxiv.fail({ kind: 'status', status: 429, retryAfter: 1 }), arxivCounts: true },
  { name: '503 on every try', arm: () => arxiv.fail({ kind: 'status', status: 503, times: 2 }), arxivCounts: false, stderr: /arXiv.*503/ },
  { name: 'malformed Atom', arm: () => arxiv.fail({ kind: 'malformed', times: 2 }), arxivCounts: false, stderr: /arXiv/ },
  { name: 'Atom cut off mid-transfer (then fine)', arm: () => arxiv.fail({ kind: 'truncated' }), arxivCounts: true },
  { name: 'Atom cut off on every try', arm: () => arxiv.fail({ kind: 'truncated', times: 2 }), arxivCounts: false, stderr: /arXiv/ },
  { name: 'half a document in a complete answer', arm: () => arxiv.fail({ kind: 'truncated', mode: 'body', times: 2 } as Fault), arxivCounts: false, stderr: /arXiv/ },
];

describe('feed faults', () => {
  it.each(SCENARIOS)('$name: the healthy source counts, nothing half-stored, a later run stores each paper once', async (s) => {
    const dir = tempDir('feeds');
    const env = envFor(dir);
    await s.arm();
    let r;
    try {
      r = await runPaperbot(['feed', '--json'], env, { cwd: ROOT });
    } finally {
      arxiv.clearFaults();
      await s.disarm?.();
    }
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const titles: string[] = out.papers.map((p: { title: string }) => p.title);
    for (const t of RSS_TITLES) expect(titles).toContain(t);
    const fromArxiv = out.papers.filter((p: { id: string }) => /^\d{4}\.\d{5}$/.test(p.id)).length;
    expect(fromArxiv).toBe(s.arxivCounts ? ARRIVALS.length : 0);
    if (s.stderr) expect(r.stderr).toMatch(s.stderr);
    expect(out.failures.length).toBe(s.arxivCounts ? 0 : 1);
    expect(storedItems(dir)).toHaveLength(RSS_TITLES.length + fromArxiv);

    const healthy = await runPaperbot(['feed', '--json'], env, { cwd: ROOT });
    expect(healthy.code, healthy.stderr).toBe(0);
    const items = storedItems(dir);
    expect(items).toHaveLength(RSS_TITLES.length + ARRIVALS.length);
    expect(new Set(items.map((i) => i.title)).size).toBe(items.length);
    report(`feed-fault "${s.name}" exit=${r.code} arxiv-items=${fromArxiv} rss-items=${RSS_TITLES.length} failures=${out.failures.length} after-recovery=${items.length}`);
  });

  it('an entry with no abstract is skipped with a reason; duplicates within the feed and of the collection are dropped', async () => {
    const dir = tempDir('feeds');
    const env = envFor(dir);
    const seed = JSON.parse((await runPaperbot(['find', 'kv cache', '--json', '--k', '1'], env, { cwd: ROOT })).stdout).results[0];
    arxiv.add(
      { id: '2502.00041', title: 'A Record Without Its Summary', abstract: null, published: '2025-02-10', categories: [FEED_CATEGORY] },
      { id: '2502.00042', title: seed.title, abstract: 'The same paper as one in the collection file.', published: '2025-02-10', categories: [FEED_CATEGORY] },
    );
    arxiv.fail({ kind: 'duplicate' });
    try {
      const r = await runPaperbot(['feed', '--json'], env, { cwd: ROOT });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      const ids = out.papers.map((p: { id: string }) => p.id);
      expect(ids).not.toContain('2502.00041');
      expect(ids).not.toContain('2502.00042');
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id: string) => /^\d{4}\.\d{5}$/.test(id))).toHaveLength(ARRIVALS.length);
      expect(out.skipped).toBeGreaterThanOrEqual(1);
      report(`feed-fault "no abstract + duplicates" kept=${ids.length} skipped=${out.skipped} duplicate-of-collection-dropped=yes`);
    } finally {
      arxiv.clearFaults();
      arxiv.remove('2502.00041');
      arxiv.remove('2502.00042');
    }
  });

  it('paperbot add with an id arXiv does not know: "No such paper", exit 2, nothing stored', async () => {
    const dir = tempDir('feeds');
    const r = await runPaperbot(['add', '2502.99999'], envFor(dir), { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No such paper on arXiv: 2502\.99999/);
    const state = StateStore.open(path.join(dir, 'state.sqlite'));
    expect(state.library.additions()).toHaveLength(0);
    state.close();
    report('add-unknown-id exit=2 message="No such paper on arXiv" stored=0');
  });
});
