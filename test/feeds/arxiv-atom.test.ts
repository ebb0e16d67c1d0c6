import { describe, expect, it } from 'vitest';
import { arxivEntries, readArxivAtom } from '../../src/feeds/arxiv-atom.js';
import { FeedFormatError } from '../../src/feeds/xml.js';

// The layout of API answers before late 2025: namespaces on each element, wrapped and indented text.
const CLASSIC = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3Dall%3Asoil%26id_list%3D%26start%3D0%26max_results%3D10" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=all:soil&amp;id_list=&amp;start=0&amp;max_results=10</title>
  <id>http://arxiv.org/api/AbCdEf</id>
  <updated>2025-03-02T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">57</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">10</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/2502.01234v2</id>
    <updated>2025-02-20T09:15:00Z</updated>
    <published>2025-02-03T18:00:01Z</published>
    <title>Microbial Carbon Use in Arid Soils: a Field Study
  Across Three Continents</title>
    <summary>  We measure microbial carbon use efficiency in arid soils at forty sites.
Efficiency drops with aridity &amp; recovers after rain pulses; we discuss
implications for   dryland carbon models.
</summary>
    <author>
      <name>Mar&#237;a Fern&#225;ndez</name>
      <arxiv:affiliation xmlns:arxiv="http://arxiv.org/schemas/atom">Univ. of Somewhere</arxiv:affiliation>
    </author>
    <author>
      <name>Kwame   Mensah</name>
    </author>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1000/soil.2025.42</arxiv:doi>
    <link title="doi" href="http://dx.doi.org/10.1000/soil.2025.42" rel="related"/>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">12 pages,
  4 figures</arxiv:comment>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">Soil Biol. 9 (2025) 1-12</arxiv:journal_ref>
    <link href="http://arxiv.org/abs/2502.01234v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2502.01234v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="q-bio.PE" scheme="http://arxiv.org/schemas/atom"/>
    <category term="q-bio.PE" scheme="http://arxiv.org/schemas/atom"/>
    <category term="physics.geo-ph" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9901001v1</id>
    <updated>1999-01-04T10:00:00-05:00</updated>
    <published>1999-01-04T10:00:00-05:00</published>
    <title>1984</title>
    <summary>A title made only of digits stays a string.</summary>
    <author><name>A. Author</name></author>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
    <category term="hep-th" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
`;

// The layout since late 2025: namespaces declared once, one-line text, links without rel.
const CURRENT = `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/XyZ</id>
  <title>arXiv Query: search_query=&amp;id_list=2502.01234&amp;start=0&amp;max_results=10</title>
  <updated>2025-11-11T18:30:58Z</updated>
  <link href="https://arxiv.org/api/query?search_query=&amp;start=0&amp;max_results=10&amp;id_list=2502.01234" type="application/atom+xml"/>
  <opensearch:itemsPerPage>10</opensearch:itemsPerPage>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>http://arxiv.org/abs/2502.01234v2</id>
    <title>Microbial Carbon Use in Arid Soils: a Field Study Across Three Continents</title>
    <updated>2025-02-20T09:15:00Z</updated>
    <link href="https://arxiv.org/abs/2502.01234v2"/>
    <link href="https://arxiv.org/pdf/2502.01234v2"/>
    <summary>We measure microbial carbon use efficiency in arid soils at forty sites.</summary>
    <category term="q-bio.PE" scheme="http://arxiv.org/schemas/atom"/>
    <category term="physics.geo-ph" scheme="http://arxiv.org/schemas/atom"/>
    <published>2025-02-03T18:00:01Z</published>
    <arxiv:comment>12 pages, 4 figures</arxiv:comment>
    <arxiv:primary_category term="q-bio.PE"/>
    <author>
      <name>María Fernández</name>
    </author>
    <arxiv:doi>10.1000/soil.2025.42</arxiv:doi>
    <link rel="related" href="https://doi.org/10.1000/soil.2025.42"/>
  </entry>
</feed>
`;

function emptyFeed(total: number, entries = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=&amp;id_list=2501.99999&amp;start=0&amp;max_results=10</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${total}</opensearch:totalResults>
${entries}</feed>`;
}

describe('readArxivAtom + arxivEntries', () => {
  it('reads an older-layout answer: ids, versions, normalised text, authors, dates, categories, extras', () => {
    const feed = readArxivAtom(CLASSIC);
    expect(feed.totalResults).toBe(57);
    expect(feed.startIndex).toBe(0);
    expect(feed.errors).toEqual([]);
    const { entries, problems } = arxivEntries(feed);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toEqual({
      arxivId: '2502.01234',
      version: 2,
      title: 'Microbial Carbon Use in Arid Soils: a Field Study Across Three Continents',
      abstract:
        'We measure microbial carbon use efficiency in arid soils at forty sites. Efficiency drops with aridity & recovers after rain pulses; we discuss implications for dryland carbon models.',
      authors: ['María Fernández', 'Kwame Mensah'],
      published: '2025-02-03',
      updated: '2025-02-20',
      categories: ['q-bio.PE', 'physics.geo-ph'],
      primaryCategory: 'q-bio.PE',
      absUrl: 'https://arxiv.org/abs/2502.01234v2',
      pdfUrl: 'https://arxiv.org/pdf/2502.01234v2',
      doi: '10.1000/soil.2025.42',
      comment: '12 pages, 4 figures',
      journalRef: 'Soil Biol. 9 (2025) 1-12',
    });
    expect(entries[1]).toMatchObject({
      arxivId: 'hep-th/9901001',
      version: 1,
      title: '1984',
      published: '1999-01-04', // its own calendar date, not shifted to UTC
      absUrl: 'https://arxiv.org/abs/hep-th/9901001v1',
    });
  });

  it('reads the late-2025 layout (root namespaces, links without rel) to the same entry', () => {
    const [current] = arxivEntries(readArxivAtom(CURRENT)).entries;
    const [classic] = arxivEntries(readArxivAtom(CLASSIC)).entries;
    expect(current).toMatchObject({
      arxivId: classic!.arxivId,
      version: classic!.version,
      title: classic!.title,
      authors: ['María Fernández'],
      published: classic!.published,
      updated: classic!.updated,
      categories: classic!.categories,
      primaryCategory: 'q-bio.PE',
      absUrl: classic!.absUrl,
      pdfUrl: classic!.pdfUrl,
      doi: classic!.doi,
      comment: classic!.comment,
    });
  });

  it('reports the API error entry as an error, not a paper', () => {
    const feed = readArxivAtom(
      emptyFeed(
        1,
        `  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345</summary>
    <author><name>arXiv api core</name></author>
  </entry>
`,
      ),
    );
    expect(feed.errors).toEqual([{ line: 5, message: 'incorrect id format for 1234.12345' }]);
    expect(feed.entries).toEqual([]);
  });

  it('an unknown id is a feed without entries, whatever totalResults claims', () => {
    expect(readArxivAtom(emptyFeed(0))).toEqual({ entries: [], problems: [], errors: [], totalResults: 0 });
    expect(readArxivAtom(emptyFeed(1)).entries).toEqual([]);
  });

  it("explains arXiv's older empty stand-in entry for an unknown id", () => {
    const feed = readArxivAtom(
      emptyFeed(
        2,
        `  <entry>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="" scheme="http://arxiv.org/schemas/atom"/>
    <category term="" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
`,
      ),
    );
    expect(feed.entries).toEqual([]);
    expect(feed.problems).toHaveLength(1);
    expect(feed.problems[0]!.message).toMatch(/empty entry .*does not know/);
  });

  it('entries without an abstract or a title are problems, not exceptions', () => {
    const feed = readArxivAtom(
      emptyFeed(
        3,
        `  <entry><id>http://arxiv.org/abs/2501.00001v1</id><title>No abstract here</title></entry>
  <entry><id>http://arxiv.org/abs/2501.00002v1</id><summary>An abstract without a title.</summary></entry>
  <entry><id>http://arxiv.org/abs/2501.00003v1</id><title>Fine</title><summary>Fine.</summary></entry>
`,
      ),
    );
    expect(feed.entries.map((e) => e.arxivId)).toEqual(['2501.00003']);
    expect(feed.problems).toEqual([
      { line: 5, message: 'entry http://arxiv.org/abs/2501.00001v1 has no summary; skipped', arxivId: '2501.00001', lacks: 'summary' },
      { line: 6, message: 'entry http://arxiv.org/abs/2501.00002v1 has no title; skipped', arxivId: '2501.00002', lacks: 'title' },
    ]);
  });

  it('malformed XML is a FeedFormatError with its line', () => {
    const broken = CLASSIC.replace('</summary>', '</summmary>');
    expect(() => readArxivAtom(broken)).toThrow(FeedFormatError);
    try {
      readArxivAtom(broken);
    } catch (err) {
      expect((err as FeedFormatError).line).toBeGreaterThan(10);
      expect((err as FeedFormatError).detail).toMatch(/^not a valid XML feed: .* at line \d+$/);
    }
  });

  it('a truncated answer is a FeedFormatError, not a short list', () => {
    expect(() => readArxivAtom(CLASSIC.slice(0, Math.floor(CLASSIC.length / 2)))).toThrow(/not a valid XML feed/);
    expect(() => readArxivAtom(CLASSIC.slice(0, CLASSIC.lastIndexOf('</feed>')))).toThrow(/Unclosed tag 'feed'/);
  });

  it('plain text (a proxy error page, "Rate exceeded.") and non-feeds are FeedFormatErrors', () => {
    expect(() => readArxivAtom('Rate exceeded.')).toThrow(FeedFormatError);
    expect(() => readArxivAtom('')).toThrow(/empty/);
    expect(() => readArxivAtom('<html><body>Service Unavailable</body></html>')).toThrow(/not an Atom feed/);
  });

  it('refuses documents that declare entities (XML bombs)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><feed><title>&b;</title></feed>`;
    expect(() => readArxivAtom(bomb)).toThrow(/entities/);
  });

  it('reports a paper listed twice once and keeps the first', () => {
    const e = (v: number) =>
      `  <entry><id>http://arxiv.org/abs/2501.00001v${v}</id><title>Same</title><summary>Same paper.</summary></entry>\n`;
    const { entries, problems } = arxivEntries(readArxivAtom(emptyFeed(3, e(1) + e(1) + e(1))));
    expect(entries).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual(['arXiv listed 2501.00001 more than once; kept the first']);
  });

  it('entries whose id is not an arXiv id are skipped with a reason', () => {
    const { entries, problems } = arxivEntries(
      readArxivAtom(emptyFeed(1, '  <entry><id>urn:x:1</id><title>T</title><summary>S.</summary></entry>\n')),
    );
    expect(entries).toEqual([]);
    expect(problems[0]!.message).toBe('entry urn:x:1 has no arXiv id; skipped');
  });
});
