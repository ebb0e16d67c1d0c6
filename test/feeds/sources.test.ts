import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { ArxivClient } from '../../src/feeds/arxiv-client.js';
import { HfDailyClient } from '../../src/feeds/hf-daily.js';
import { FeedClient } from '../../src/feeds/rss.js';
import { createSources, FeedsSpecError, parseFeedsSpec, type PaperSource } from '../../src/feeds/sources.js';
import { UpstreamError } from '../../src/upstream/upstream-error.js';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/feeds.js';
import { startFakeHfDaily, type FakeHfDaily } from '../fakes/hf-daily.js';
import { virtualTimer } from '../fakes/virtual-timer.js';
import { ARXIV_RSS, BIORXIV_RDF } from './feed-fixtures.js';

describe('parseFeedsSpec', () => {
  it('reads arxiv:, hf-daily and rss: sources separated by ;', () => {
    expect(parseFeedsSpec('arxiv:cat:cs.CL AND abs:"kv cache"; hf-daily ;rss:https://connect.biorxiv.org/biorxiv_xml/neuroscience')).toEqual([
      { kind: 'arxiv', query: 'cat:cs.CL AND abs:"kv cache"' },
      { kind: 'hf-daily' },
      { kind: 'rss', url: 'https://connect.biorxiv.org/biorxiv_xml/neuroscience' },
    ]);
  });

  it('keeps ; and : inside quotes and parentheses in the query', () => {
    expect(parseFeedsSpec('arxiv:ti:"a; b" AND (au:x OR au:y);HF-Daily')).toEqual([
      { kind: 'arxiv', query: 'ti:"a; b" AND (au:x OR au:y)' },
      { kind: 'hf-daily' },
    ]);
  });

  it('empty means no sources; repeats are dropped', () => {
    expect(parseFeedsSpec('')).toEqual([]);
    expect(parseFeedsSpec(' ; ;; ')).toEqual([]);
    expect(parseFeedsSpec('hf-daily; hf-daily; arxiv:cat:q-bio.NC; arxiv:cat:q-bio.NC')).toEqual([
      { kind: 'hf-daily' },
      { kind: 'arxiv', query: 'cat:q-bio.NC' },
    ]);
  });

  it.each([
    ['scholar:deep learning', /source 1 \("scholar:deep learning"\) has an unknown kind "scholar"; use arxiv:<search query>, hf-daily or rss:<feed URL>/],
    ['hf-daily; arxiv:', /source 2 \("arxiv:"\) has an empty query; write e\.g\. arxiv:cat:cs\.CL/],
    ['arxiv:   ', /empty query/],
    ['arxiv:ti:"open', /unclosed double quote/],
    ['arxiv:(ti:a OR ti:b', /"\(" that is never closed/],
    ['arxiv:ti:a)', /"\)" without its "\("/],
    ['rss:', /has no URL/],
    ['rss:ftp://example.org/feed', /is not an http\(s\) URL/],
    ['rss:not a url', /is not an http\(s\) URL/],
    ['hf-daily:today', /hf-daily takes nothing after it/],
  ])('%j is refused clearly', (spec, message) => {
    expect(() => parseFeedsSpec(spec)).toThrow(FeedsSpecError);
    expect(() => parseFeedsSpec(spec)).toThrow(message);
  });
});

describe('PaperSources against the fakes', () => {
  let arxiv: FakeArxiv;
  let hf: FakeHfDaily;
  let site: FakeFeeds;
  let sources: PaperSource[];

  beforeAll(async () => {
    arxiv = await startFakeArxiv({
      papers: [
        {
          id: '2501.00021',
          title: 'Grid Cells in Bats',
          abstract: 'Bats have three-dimensional grid cells.',
          authors: ['N. Ulanovsky'],
          published: '2025-01-08',
          categories: ['q-bio.NC'],
        },
        {
          id: '2501.00022',
          title: 'A Physics Paper',
          abstract: 'Not neuroscience.',
          published: '2025-01-09',
          categories: ['physics.optics'],
        },
      ],
    });
    hf = await startFakeHfDaily({
      days: { '2025-01-10': [{ id: '2501.00031', title: 'Daily Pick', summary: 'Picked by the community.', authors: ['A. B.'] }] },
    });
    site = await startFakeFeeds();
    site.serve('/biorxiv/neuro', BIORXIV_RDF);
    site.serve('/arxiv/cs.CL', ARXIV_RSS);
    const timer = virtualTimer();
    const common = { minIntervalMs: 0, timer };
    sources = createSources(parseFeedsSpec(`arxiv:cat:q-bio.NC; hf-daily; rss:${site.url('/biorxiv/neuro')}; rss:${site.url('/arxiv/cs.CL')}`), {
      arxiv: new ArxivClient({ baseUrl: arxiv.baseUrl, ...common }),
      hfDaily: new HfDailyClient({ baseUrl: hf.origin, ...common }),
      feeds: new FeedClient(common),
      clock: fixedClock('2025-01-10T07:00:00Z'),
    });
  });
  afterAll(async () => {
    await Promise.all([arxiv.close(), hf.close(), site.close()]);
  });

  it('names each source after its spec', () => {
    expect(sources.map((s) => s.name)).toEqual([
      'arxiv:cat:q-bio.NC',
      'hf-daily',
      `rss:${site.url('/biorxiv/neuro')}`,
      `rss:${site.url('/arxiv/cs.CL')}`,
    ]);
  });

  it('arxiv: runs the query newest first and hands on FetchedPapers', async () => {
    const { items, problems } = await sources[0]!.fetch();
    expect(problems).toEqual([]);
    expect(items).toEqual([
      {
        arxivId: '2501.00021',
        version: 1,
        title: 'Grid Cells in Bats',
        abstract: 'Bats have three-dimensional grid cells.',
        authors: ['N. Ulanovsky'],
        published: '2025-01-08',
        categories: ['q-bio.NC'],
        url: 'https://arxiv.org/abs/2501.00021v1',
        absUrl: 'https://arxiv.org/abs/2501.00021v1',
        pdfUrl: 'https://arxiv.org/pdf/2501.00021v1',
        source: 'arxiv:cat:q-bio.NC',
      },
    ]);
    const req = arxiv.requests.at(-1)!;
    expect(req.query.get('sortBy')).toBe('submittedDate');
    expect(req.query.get('max_results')).toBe('50');
  });

  it("hf-daily: the clock's day, linked to arXiv", async () => {
    const { items } = await sources[1]!.fetch();
    expect(hf.requests.at(-1)!.query.get('date')).toBe('2025-01-10');
    expect(items).toEqual([
      {
        arxivId: '2501.00031',
        title: 'Daily Pick',
        abstract: 'Picked by the community.',
        authors: ['A. B.'],
        categories: [],
        url: 'https://arxiv.org/abs/2501.00031',
        absUrl: 'https://arxiv.org/abs/2501.00031',
        pdfUrl: 'https://arxiv.org/pdf/2501.00031',
        source: 'hf-daily',
      },
    ]);
  });

  it('rss: papers outside arXiv keep their own link and DOI; arXiv items get arXiv links', async () => {
    const bio = await sources[2]!.fetch();
    expect(bio.items[0]).toMatchObject({
      title: 'Place Cells Remap After Sleep',
      url: 'http://biorxiv.org/cgi/content/short/2025.01.02.123456v1?rss=1',
      doi: '10.1101/2025.01.02.123456',
      source: `rss:${site.url('/biorxiv/neuro')}`,
    });
    expect(bio.items[0]!.arxivId).toBeUndefined();
    const cl = await sources[3]!.fetch();
    expect(cl.items[0]).toMatchObject({ arxivId: '2501.00011', url: 'https://arxiv.org/abs/2501.00011', pdfUrl: 'https://arxiv.org/pdf/2501.00011' });
    expect(cl.problems).toHaveLength(1);
  });

  it('an upstream failure rejects with UpstreamError (the caller decides: skip this source today)', async () => {
    hf.fail({ kind: 'status', status: 503, times: Infinity });
    try {
      await expect(sources[1]!.fetch()).rejects.toThrow(UpstreamError);
    } finally {
      hf.clearFaults();
    }
  });
});
