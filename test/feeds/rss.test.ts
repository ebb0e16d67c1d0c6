import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedClient, parseFeed } from '../../src/feeds/rss.js';
import { UpstreamError } from '../../src/upstream/upstream-error.js';
import { FeedFormatError } from '../../src/feeds/xml.js';
import { startFakeFeeds, type FakeFeeds } from '../fakes/feeds.js';
import { virtualTimer } from '../fakes/virtual-timer.js';
import { ARXIV_RSS, BIORXIV_RDF, JOURNAL_ATOM } from './feed-fixtures.js';


describe('parseFeed', () => {
  it("reads arXiv's RSS: arXiv id from the link, abstract without the announcement prefix, authors split", () => {
    const feed = parseFeed(ARXIV_RSS);
    expect(feed.title).toBe('cs.CL updates on arXiv.org');
    expect(feed.items).toEqual([
      {
        title: 'Tokenizers for Low-Resource Languages',
        abstract: 'We build tokenizers for ten languages with little text.',
        authors: ['Chinua Achebe', "Ngugi wa Thiong'o"],
        published: '2025-01-06',
        categories: ['cs.CL', 'cs.LG'],
        url: 'https://arxiv.org/abs/2501.00011',
        arxivId: '2501.00011',
      },
    ]);
    expect(feed.problems).toEqual(['"An Item Without An Abstract" has no description or abstract; skipped']);
  });

  it('reads RSS 1.0 (RDF) as bioRxiv writes it: HTML stripped, "Last, F." names kept whole, the DOI', () => {
    const feed = parseFeed(BIORXIV_RDF);
    expect(feed.title).toBe('bioRxiv Subject Collection: Neuroscience');
    expect(feed.items).toEqual([
      {
        title: 'Place Cells Remap After Sleep',
        abstract: 'Hippocampal place cells remap after sleep & stay stable for p < 0.05 of days.',
        authors: ['Cajal, S. R.', 'Golgi, C.'],
        published: '2025-01-04',
        categories: [],
        url: 'http://biorxiv.org/cgi/content/short/2025.01.02.123456v1?rss=1',
        doi: '10.1101/2025.01.02.123456',
      },
    ]);
  });

  it('reads a generic Atom feed with HTML titles and content', () => {
    const [item] = parseFeed(JOURNAL_ATOM).items;
    expect(item).toEqual({
      title: 'Graphene in situ',
      abstract: 'Graphene grown in situ on copper. It conducts.',
      authors: ['Marie Curie', 'Pierre Curie'],
      published: '2025-01-03',
      categories: ['materials'],
      url: 'https://journal.example/articles/42',
    });
  });

  it('reports repeated items once and refuses documents that are not feeds', () => {
    const twice = ARXIV_RSS.replace('<item>', '<item><title>Dup</title><link>https://x.example/1</link><description>d</description></item><item><title>Dup</title><link>https://x.example/1</link><description>d</description></item><item>');
    expect(parseFeed(twice).problems).toContain('"Dup" is listed more than once; kept the first');
    expect(() => parseFeed('<html><body>Moved</body></html>')).toThrow(FeedFormatError);
    expect(() => parseFeed(ARXIV_RSS.slice(0, 700))).toThrow(/not a valid XML feed/);
  });
});

describe('FeedClient', () => {
  let site: FakeFeeds;
  beforeEach(async () => {
    site = await startFakeFeeds();
  });
  afterEach(async () => {
    await site.close();
  });
  const client = () => new FeedClient({ minIntervalMs: 0, timeoutMs: 300, backoffMs: 10, timer: virtualTimer() });

  it('fetches and parses a feed, sending the User-Agent', async () => {
    site.serve('/biorxiv/neuro', BIORXIV_RDF, 'application/rdf+xml');
    const feed = await client().fetch(site.url('/biorxiv/neuro'));
    expect(feed.items).toHaveLength(1);
    expect(site.requests[0]!.userAgent).toMatch(/^paperbot\/0\.1 /);
  });

  it('a missing feed says which address to fix; a broken one what was wrong; a dead host what to check', async () => {
    await expect(client().fetch(site.url('/gone'))).rejects.toThrow(
      new RegExp(`^the feed at 127\\.0\\.0\\.1:\\d+ answered HTTP 404; check its address in FEEDS`),
    );
    site.serve('/page', '<html><body>hello</body></html>', 'text/html');
    await expect(client().fetch(site.url('/page'))).rejects.toThrow(/could not use \(not an RSS or Atom feed/);
    site.serve('/feed', JOURNAL_ATOM);
    site.fail({ kind: 'status', status: 503, times: 1 });
    expect((await client().fetch(site.url('/feed'))).items).toHaveLength(1);
    await site.down();
    const err = await client()
      .fetch(site.url('/feed'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).failure).toBe('unreachable');
  });
});
