import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { ArxivClient, type ArxivClientOptions } from '../../src/feeds/arxiv-client.js';
import type { RetryInfo } from '../../src/upstream/http.js';
import { UpstreamError } from '../../src/upstream/upstream-error.js';
import { startFakeArxiv, type FakeArxiv, type FakeArxivPaper } from '../fakes/arxiv.js';
import { virtualTimer, type VirtualTimer } from '../fakes/virtual-timer.js';

const PAPERS: FakeArxivPaper[] = [
  {
    id: '2501.00001',
    versions: 2,
    title: 'Paged Attention for Long Context Serving with a KV Cache',
    abstract: 'We page the kv cache of a language model server so long contexts fit in memory.',
    authors: ['Ada Lovelace', { name: 'Alan Turing', affiliation: 'Bletchley' }],
    published: '2025-01-02T10:00:00Z',
    updated: '2025-01-20T10:00:00Z',
    categories: ['cs.CL', 'cs.LG'],
    comment: '9 pages',
  },
  {
    id: '2501.00002',
    title: 'Quantised Caches for Speech Recognition',
    abstract: 'A kv cache in 4 bits for streaming speech recognition.',
    authors: ['Grace Hopper'],
    published: '2025-01-05T10:00:00Z',
    categories: ['eess.AS', 'cs.CL'],
  },
  {
    id: '2412.09999',
    title: 'Soil Moisture from Satellite Radar',
    abstract: 'Radar backscatter predicts soil moisture in drylands.',
    authors: ['Wangari Maathai'],
    published: '2024-12-30T10:00:00Z',
    categories: ['physics.geo-ph'],
    doi: '10.1000/radar.1',
  },
  {
    id: 'hep-th/9901001',
    title: 'Strings on a Lattice',
    abstract: 'An old-style identifier from 1999.',
    authors: ['Old Timer'],
    published: '1999-01-04',
    categories: ['hep-th'],
  },
];

let arxiv: FakeArxiv;
let timer: VirtualTimer;
let retries: RetryInfo[];

function client(extra: ArxivClientOptions = {}): ArxivClient {
  return new ArxivClient({
    baseUrl: arxiv.baseUrl,
    minIntervalMs: 0,
    timeoutMs: 300,
    backoffMs: 10,
    timer,
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    ...extra,
  });
}

async function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

beforeEach(async () => {
  arxiv = await startFakeArxiv({ papers: PAPERS });
  timer = virtualTimer();
  retries = [];
});
afterEach(async () => {
  await arxiv.close();
});

describe('ArxivClient.getById', () => {
  it('asks ?id_list=<id> with a descriptive User-Agent and returns the entry', async () => {
    const entry = await client().getById('https://arxiv.org/abs/2501.00001');
    expect(entry).toMatchObject({
      arxivId: '2501.00001',
      version: 2,
      title: PAPERS[0]!.title,
      authors: ['Ada Lovelace', 'Alan Turing'],
      published: '2025-01-02',
      updated: '2025-01-20',
      categories: ['cs.CL', 'cs.LG'],
      primaryCategory: 'cs.CL',
      absUrl: 'https://arxiv.org/abs/2501.00001v2',
      pdfUrl: 'https://arxiv.org/pdf/2501.00001v2',
      comment: '9 pages',
    });
    expect(arxiv.requests).toHaveLength(1);
    const [req] = arxiv.requests;
    expect(req!.path).toBe('/api/query');
    expect([...req!.query]).toEqual([['id_list', '2501.00001']]);
    expect(req!.userAgent).toMatch(/^paperbot\/0\.1 \(Discord research-paper bot/);
  });

  it('sends the configured User-Agent', async () => {
    await client({ userAgent: 'paperbot/0.1 (Discord research-paper bot; +https://lab.example/bot)' }).getById('2501.00002');
    expect(arxiv.requests[0]!.userAgent).toBe('paperbot/0.1 (Discord research-paper bot; +https://lab.example/bot)');
  });

  it('asks for the version given, and says null for a version that does not exist', async () => {
    const v1 = await client().getById('2501.00001v1');
    expect(v1).toMatchObject({ version: 1, absUrl: 'https://arxiv.org/abs/2501.00001v1', updated: '2025-01-02' });
    expect(arxiv.requests[0]!.query.get('id_list')).toBe('2501.00001v1');
    expect(await client().getById('2501.00001v7')).toBeNull();
  });

  it('reads old-style ids', async () => {
    const entry = await client().getById('hep-th/9901001');
    expect(entry).toMatchObject({ arxivId: 'hep-th/9901001', absUrl: 'https://arxiv.org/abs/hep-th/9901001v1' });
    expect(arxiv.requests[0]!.query.get('id_list')).toBe('hep-th/9901001');
  });

  it('an unknown but well-formed id is null (arXiv answers with no entries)', async () => {
    expect(await client().getById('2502.99999')).toBeNull();
    expect(arxiv.requests).toHaveLength(1);
  });

  it('input that is not an arXiv id is a UserFacingError before any request', async () => {
    await expect(client().getById('https://example.org/paper')).rejects.toThrow(UserFacingError);
    await expect(client().getById('attention is all you need')).rejects.toThrow(/not an arXiv id/);
    expect(arxiv.requests).toHaveLength(0);
  });

  it('a record without an abstract is an UpstreamError saying so, not null', async () => {
    arxiv.add({ id: '2501.00003', title: 'Damaged', abstract: null, published: '2025-01-06', categories: ['cs.CL'] });
    const err = await upstreamError(client().getById('2501.00003'));
    expect(err.failure).toBe('incomplete');
    expect(err.message).toMatch(/2501\.00003 has no summary/);
  });

  it('getByIds asks once for several and lists the missing ones', async () => {
    const result = await client().getByIds(['2501.00001', 'arXiv:2412.09999', '2502.99999', '2501.00001']);
    expect([...result.found.keys()].sort()).toEqual(['2412.09999', '2501.00001']);
    expect(result.found.get('2412.09999')!.doi).toBe('10.1000/radar.1');
    expect(result.missing).toEqual(['2502.99999']);
    expect(arxiv.requests).toHaveLength(1);
    expect(arxiv.requests[0]!.query.get('id_list')).toBe('2501.00001,2412.09999,2502.99999');
  });

  it('getByIds splits long lists into requests of 100 ids, each asking for all of them', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `2502.${String(i + 1).padStart(5, '0')}`);
    const result = await client().getByIds(['2501.00002', ...many]);
    expect([...result.found.keys()]).toEqual(['2501.00002']);
    expect(result.missing).toHaveLength(150);
    expect(arxiv.requests.map((r) => [r.query.get('id_list')!.split(',').length, r.query.get('max_results')])).toEqual([
      [100, '100'],
      [51, '51'],
    ]);
  });
});

describe('ArxivClient.search', () => {
  const ids = async (query: string, options = {}) => (await client().search(query, options)).entries.map((e) => e.arxivId);

  it('sends search_query, start, max_results, sortBy and sortOrder, encoded', async () => {
    const query = 'cat:cs.CL AND abs:"kv cache"';
    const result = await client().search(query, { max: 5 });
    expect(result.entries.map((e) => e.arxivId)).toEqual(['2501.00002', '2501.00001']); // newest first
    expect(result.totalResults).toBe(2);
    const req = arxiv.requests[0]!;
    expect(Object.fromEntries(req.query)).toEqual({
      search_query: query,
      start: '0',
      max_results: '5',
      sortBy: 'submittedDate',
      sortOrder: 'descending',
    });
  });

  it('understands field prefixes, phrases, AND / OR / ANDNOT and parentheses', async () => {
    expect(await ids('ti:speech')).toEqual(['2501.00002']);
    expect(await ids('au:lovelace')).toEqual(['2501.00001']);
    expect(await ids('au:"grace hopper"')).toEqual(['2501.00002']);
    expect(await ids('abs:"soil moisture"')).toEqual(['2412.09999']);
    expect(await ids('abs:"moisture soil"')).toEqual([]);
    expect(await ids('cat:cs.CL ANDNOT cat:eess.AS')).toEqual(['2501.00001']);
    expect(await ids('(cat:hep-th OR cat:physics.geo-ph) AND all:radar')).toEqual(['2412.09999']);
    expect(await ids('all:cache', { sortOrder: 'ascending' })).toEqual(['2501.00001', '2501.00002']);
  });

  it('pages with start and max', async () => {
    const first = await client().search('all:cache OR all:radar', { max: 2 });
    const second = await client().search('all:cache OR all:radar', { max: 2, start: 2 });
    expect(first.totalResults).toBe(3);
    expect([...first.entries, ...second.entries].map((e) => e.arxivId)).toEqual(['2501.00002', '2501.00001', '2412.09999']);
    expect(second.start).toBe(2);
  });

  it('reads the late-2025 answer layout just the same', async () => {
    const current = await startFakeArxiv({ papers: PAPERS, style: 'current' });
    try {
      const c = new ArxivClient({ baseUrl: current.baseUrl, minIntervalMs: 0, timer });
      const [a] = (await c.search('ti:paged')).entries;
      const [b] = (await client().search('ti:paged')).entries;
      expect(a).toEqual(b);
    } finally {
      await current.close();
    }
  });

  it('reports an entry without an abstract as a problem and returns the rest', async () => {
    arxiv.add({ id: '2501.00004', title: 'A cache with no abstract', abstract: null, published: '2025-01-07', categories: ['cs.CL'] });
    const result = await client().search('cat:cs.CL');
    expect(result.entries.map((e) => e.arxivId)).toEqual(['2501.00002', '2501.00001']);
    expect(result.problems).toEqual(['entry http://arxiv.org/abs/2501.00004v1 has no summary; skipped']);
  });

  it('reports entries arXiv repeats within one answer once each', async () => {
    arxiv.fail({ kind: 'duplicate' });
    const result = await client().search('cat:cs.CL');
    expect(result.entries.map((e) => e.arxivId)).toEqual(['2501.00002', '2501.00001']);
    expect(result.problems).toEqual([
      'arXiv listed 2501.00002 more than once; kept the first',
      'arXiv listed 2501.00001 more than once; kept the first',
    ]);
  });

  it("arXiv's error feed (HTTP 400) is a 'rejected' UpstreamError with arXiv's words", async () => {
    const err = await upstreamError(client().search('all:cache', { sortBy: 'newest' as never }));
    expect(err.failure).toBe('rejected');
    expect(err.status).toBe(400);
    expect(err.message).toBe('arXiv rejected the search query: sortBy must be in: relevance, lastUpdatedDate, submittedDate');
  });

  it('an empty query or out-of-range paging is refused before any request', async () => {
    await expect(client().search('   ')).rejects.toThrow(UserFacingError);
    await expect(client().search('all:x', { max: 0 })).rejects.toThrow(RangeError);
    await expect(client().search('all:x', { max: 2001 })).rejects.toThrow(RangeError);
    await expect(client().search('all:x', { start: -1 })).rejects.toThrow(RangeError);
    expect(arxiv.requests).toHaveLength(0);
  });
});

describe('ArxivClient against a failing arXiv', () => {
  it('down (connection refused): unreachable after 3 tries, with what to check', async () => {
    await arxiv.down('refuse');
    const err = await upstreamError(client().getById('2501.00001'));
    expect(err.failure).toBe('unreachable');
    expect(err.attempts).toBe(3);
    expect(err.message).toBe('arXiv could not be reached (connection refused; 3 tries); check the network and ARXIV_API_BASE, or try again later');
    expect(timer.sleeps).toEqual([10, 20]); // exponential backoff (jitter pinned at 1×)
    await arxiv.up();
    expect((await client().getById('2501.00001'))?.arxivId).toBe('2501.00001');
  });

  it('down (accepts, then drops the connection): unreachable', async () => {
    await arxiv.down('reset');
    const err = await upstreamError(client().getById('2501.00001'));
    expect(err.failure).toBe('unreachable');
    expect(err.message).toMatch(/^arXiv could not be reached \(.+; 3 tries\)/);
    expect(arxiv.requests.filter((r) => r.status === 'reset').length).toBeGreaterThanOrEqual(3);
  });

  it('comes back: a refused try is retried and the next one succeeds', async () => {
    arxiv.fail({ kind: 'hangup' });
    expect(await client().getById('2501.00002')).not.toBeNull();
    expect(arxiv.requests.map((r) => r.status)).toEqual(['hangup', 200]);
    expect(retries).toEqual([{ service: 'arXiv', attempt: 1, failure: 'unreachable', detail: expect.any(String), waitMs: 10 }]);
  });

  it('slow beyond the timeout on every try: "did not answer within … (3 tries)"', async () => {
    arxiv.fail({ kind: 'slow', delayMs: 5000, times: Infinity });
    const t0 = performance.now();
    const err = await upstreamError(client({ timeoutMs: 150 }).getById('2501.00001'));
    expect(err.failure).toBe('timeout');
    expect(err.message).toBe('arXiv did not answer within 150 ms (3 tries); try again later');
    expect(arxiv.requests).toHaveLength(3);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('slow once, then fine: the retry answers', async () => {
    arxiv.fail({ kind: 'slow', delayMs: 5000 });
    expect((await client({ timeoutMs: 150 }).getById('2501.00001'))?.arxivId).toBe('2501.00001');
    expect(arxiv.requests).toHaveLength(2);
  });

  it('429 with Retry-After twice, then success: waits at least what arXiv asked', async () => {
    arxiv.fail({ kind: 'status', status: 429, retryAfter: 2, times: 2 });
    expect((await client().getById('2501.00001'))?.arxivId).toBe('2501.00001');
    expect(arxiv.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(timer.sleeps.filter((ms) => ms >= 2000)).toHaveLength(2);
  });

  it('503 with Retry-After once, then success', async () => {
    arxiv.fail({ kind: 'status', status: 503, retryAfter: 1 });
    expect((await client().search('all:radar')).entries).toHaveLength(1);
    expect(arxiv.requests.map((r) => r.status)).toEqual([503, 200]);
    expect(retries[0]).toMatchObject({ failure: 'unavailable', detail: 'HTTP 503', waitMs: 1000 });
  });

  it('Retry-After holds back every caller of that arXiv, not just the one that got it (real time)', async () => {
    arxiv.fail({ kind: 'status', status: 429, retryAfter: 0.3 });
    const real = () => new ArxivClient({ baseUrl: arxiv.baseUrl, minIntervalMs: 0, backoffMs: 10, random: () => 0.5 });
    const [a, b] = await Promise.all([real().getById('2501.00001'), real().getById('2501.00002')]);
    expect([a?.arxivId, b?.arxivId]).toEqual(['2501.00001', '2501.00002']);
    const [throttled, ...after] = arxiv.requests;
    expect(throttled!.status).toBe(429);
    for (const r of after) expect(r.at - throttled!.at).toBeGreaterThanOrEqual(300 * 0.8);
  });

  it('429 for ever: a throttled UpstreamError after 3 tries', async () => {
    arxiv.fail({ kind: 'status', status: 429, times: Infinity });
    const err = await upstreamError(client().getById('2501.00001'));
    expect(err.failure).toBe('throttled');
    expect(err.status).toBe(429);
    expect(err.message).toBe('arXiv is limiting how often paperbot may ask (HTTP 429; 3 tries); try again in a few minutes');
    expect(arxiv.requests).toHaveLength(3);
  });

  it('503 for ever: unavailable', async () => {
    arxiv.fail({ kind: 'status', status: 503, times: Infinity });
    const err = await upstreamError(client({ retries: 0 }).getById('2501.00001'));
    expect(err.message).toBe('arXiv is unavailable right now (HTTP 503; 1 try); try again later');
  });

  it('a Retry-After longer than we wait fails at once, saying how long', async () => {
    arxiv.fail({ kind: 'status', status: 429, retryAfter: 3600, times: Infinity });
    const err = await upstreamError(client().getById('2501.00001'));
    expect(err.failure).toBe('throttled');
    expect(err.message).toBe('arXiv asked paperbot to wait 60 min before asking again (HTTP 429); try again after that');
    expect(arxiv.requests).toHaveLength(1);
  });

  it('malformed XML: a bad-response UpstreamError naming the line, not retried', async () => {
    arxiv.fail({ kind: 'malformed' });
    const err = await upstreamError(client().getById('2501.00001'));
    expect(err.failure).toBe('bad-response');
    expect(err.message).toMatch(/^arXiv sent an answer paperbot could not use \(not a valid XML feed: .+ at line \d+\); try again later$/);
    expect(arxiv.requests).toHaveLength(1);
  });

  it('a body cut off mid-transfer is retried like a dropped connection', async () => {
    arxiv.fail({ kind: 'truncated' });
    expect((await client().getById('2501.00001'))?.arxivId).toBe('2501.00001');
    arxiv.fail({ kind: 'truncated', times: Infinity });
    const err = await upstreamError(client().getById('2501.00001'));
    expect(err.failure).toBe('unreachable');
    expect(err.message).toMatch(/closed before the whole answer arrived; 3 tries/);
  });

  it('a complete answer holding half a document is a bad response', async () => {
    arxiv.fail({ kind: 'truncated', mode: 'body' });
    const err = await upstreamError(client().search('all:cache'));
    expect(err.failure).toBe('bad-response');
    expect(err.message).toMatch(/not a valid XML feed/);
  });

  it('a base URL that is not http(s) is refused when the client is made', () => {
    expect(() => new ArxivClient({ baseUrl: 'export.arxiv.org/api/query' })).toThrow('ARXIV_API_BASE must be an http(s) URL');
    expect(() => new ArxivClient({ baseUrl: 'ftp://export.arxiv.org/api/query' })).toThrow(/ARXIV_API_BASE/);
  });

  it('a wrong base URL (HTTP 404) says which setting to check', async () => {
    const c = new ArxivClient({ baseUrl: `${arxiv.origin}/api/wrong`, minIntervalMs: 0, timer });
    const err = await upstreamError(c.getById('2501.00001'));
    expect(err.failure).toBe('http');
    expect(err.message).toMatch(/^arXiv answered HTTP 404; check ARXIV_API_BASE/);
  });
});
