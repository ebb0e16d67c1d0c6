/** The fake arXiv speaks arXiv's protocol (user manual §3.1-3.4), checked on the wire. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArxivAtom } from '../../src/feeds/arxiv-atom.js';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv.js';

let arxiv: FakeArxiv;
let current: FakeArxiv;
const PAPER = {
  id: '2501.00001',
  versions: 3,
  title: 'A Deliberately Long Title That arXiv Would Wrap Onto a Second Line Because It Is Long',
  abstract: 'One sentence of abstract. '.repeat(8).trim(),
  authors: ['A. Author'],
  published: '2025-01-02T10:00:00Z',
  updated: '2025-02-01T10:00:00Z',
  categories: ['cs.CL', 'cs.AI'],
  doi: '10.1000/x.1',
};

async function get(fake: FakeArxiv, query: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${fake.baseUrl}?${query}`);
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  arxiv = await startFakeArxiv({ papers: [PAPER] });
  current = await startFakeArxiv({ papers: [PAPER], style: 'current' });
});
afterAll(async () => {
  await Promise.all([arxiv.close(), current.close()]);
});

describe('fake arXiv on the wire', () => {
  it('older layout: per-element namespaces, opensearch totals, wrapped text, rel links, version in the id', async () => {
    const { status, body } = await get(arxiv, 'id_list=2501.00001');
    expect(status).toBe(200);
    expect(body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(body).toMatch(/<opensearch:totalResults xmlns:opensearch="http:\/\/a9\.com\/-\/spec\/opensearch\/1\.1\/">1</);
    expect(body).toContain('<id>http://arxiv.org/abs/2501.00001v3</id>');
    expect(body).toMatch(/<title>A Deliberately Long Title[^<]*\n {2}[^<]*<\/title>/);
    expect(body).toMatch(/<summary> {2}One sentence[^<]*\n[^<]*<\/summary>/);
    expect(body).toContain('<link href="http://arxiv.org/abs/2501.00001v3" rel="alternate" type="text/html"/>');
    expect(body).toContain('<link title="pdf" href="http://arxiv.org/pdf/2501.00001v3" rel="related" type="application/pdf"/>');
    expect(body).toContain('<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CL"');
    expect(body).toContain('<arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1000/x.1</arxiv:doi>');
  });

  it('late-2025 layout: namespaces on <feed>, one-line text, https links without rel', async () => {
    const { body } = await get(current, 'id_list=2501.00001v2');
    expect(body).toContain('xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom"');
    expect(body).toContain('<opensearch:totalResults>1</opensearch:totalResults>');
    expect(body).toContain('<link href="https://arxiv.org/abs/2501.00001v2"/>');
    expect(body).toContain(`<title>${PAPER.title}</title>`);
  });

  it('an unknown id: no entries and totalResults 0', async () => {
    const { status, body } = await get(arxiv, 'id_list=2502.99999');
    expect(status).toBe(200);
    expect(body).not.toContain('<entry>');
    expect(body).toMatch(/totalResults[^>]*>0</);
  });

  it.each([
    ['id_list=1234.12345', 'incorrect id format for 1234.12345'],
    ['search_query=all:x&start=not_an_int', 'start must be an integer'],
    ['search_query=all:x&start=-1', 'start must be >= 0'],
    ['search_query=all:x&max_results=not_an_int', 'max_results must be an integer'],
    ['search_query=all:x&max_results=-1', 'max_results must be >= 0'],
    ['search_query=all:x&max_results=30001', 'max_results must be <= 30000'],
  ])('%s → HTTP 400 with one Error entry: %s', async (query, message) => {
    const { status, body } = await get(arxiv, query);
    expect(status).toBe(400);
    expect(body).toContain('<title>Error</title>');
    expect(body).toMatch(/<id>http:\/\/arxiv\.org\/api\/errors#[^<]+<\/id>/);
    const feed = readArxivAtom(body);
    expect(feed.errors.map((e) => e.message)).toEqual([message]);
    expect(feed.entries).toEqual([]);
  });

  it('search_query with id_list filters the ids; an unreadable query finds nothing', async () => {
    expect((await get(arxiv, 'id_list=2501.00001&search_query=cat:cs.AI')).body).toContain('<entry>');
    expect((await get(arxiv, 'id_list=2501.00001&search_query=cat:math.AG')).body).not.toContain('<entry>');
    expect((await get(arxiv, 'search_query=(ti:long')).body).not.toContain('<entry>');
  });

  it('records request times and User-Agent; other paths are 404', async () => {
    const before = arxiv.requests.length;
    await fetch(`${arxiv.origin}/api/other`, { headers: { 'user-agent': 'probe/1' } });
    const rec = arxiv.requests[before]!;
    expect(rec).toMatchObject({ path: '/api/other', userAgent: 'probe/1', status: 404 });
    expect(rec.at).toBeGreaterThan(0);
  });
});
