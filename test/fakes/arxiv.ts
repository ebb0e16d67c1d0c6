/**
 * A fake arXiv API (GET /api/query) that answers like the real one (user manual §3; responses seen
 * in 2025), seeded by the test. Faults and request records come from http-fake.ts.
 *
 *   const arxiv = await startFakeArxiv({ papers: [{ id: '2501.00001', title, abstract, authors, published,
 *                                                   categories: ['cs.CL'], versions?: 2, updated?, comment?, doi? }] });
 *   new ArxivClient({ baseUrl: arxiv.baseUrl, minIntervalMs: 0 })
 *   arxiv.add(paper) / arxiv.remove(id)                  // the collection arXiv "has"
 *   arxiv.fail({ kind: 'status', status: 429, retryAfter: 1, times: 2 })   // any http-fake fault
 *   arxiv.fail({ kind: 'duplicate' })                    // every entry of the next answer twice
 *   arxiv.requests / arxiv.close()
 *
 * Protocol: id_list (comma-separated, optional vN; a malformed id → HTTP 400 error feed "incorrect id
 * format for …"; an unknown one → no entry, totalResults 0), search_query (see arxiv-query.ts),
 * both together (ids filtered by the query), start / max_results (defaults 0 / 10; non-integers and
 * negatives → 400 error feed, max_results > 30000 → 400), sortBy relevance|lastUpdatedDate|
 * submittedDate, sortOrder ascending|descending (default descending).
 * style 'classic' (default) mirrors responses before late 2025: namespaces declared on each element,
 * titles and abstracts hard-wrapped and indented, links rel="alternate" / rel="related" title="pdf".
 * style 'current' mirrors late-2025 responses: namespaces on <feed>, one-line text, https links
 * without rel. A paper seeded with `abstract: null` has no <summary> (a damaged record).
 */
import { createHash } from 'node:crypto';
import { matches, parseQuery, relevance, type Searchable } from './arxiv-query.js';
import { startHttpFake, type FakeAnswer, type Fault, type HttpFake } from './http-fake.js';

export interface FakeArxivPaper {
  /** Without version: 2501.00001 or hep-th/9901001. */
  id: string;
  /** The latest version (default 1). */
  versions?: number;
  title: string;
  /** null or '' → the entry has no <summary>. */
  abstract: string | null;
  authors?: (string | { name: string; affiliation?: string })[];
  /** v1 submission: YYYY-MM-DD or a full timestamp. */
  published: string;
  /** Latest version's submission (default: published). */
  updated?: string;
  /** The first one is the primary category unless primaryCategory says otherwise. */
  categories: string[];
  primaryCategory?: string;
  comment?: string;
  journalRef?: string;
  doi?: string;
}

export interface FakeArxiv extends HttpFake {
  /** http://127.0.0.1:PORT/api/query */
  readonly baseUrl: string;
  readonly papers: Map<string, FakeArxivPaper>;
  add(...papers: FakeArxivPaper[]): void;
  remove(id: string): void;
}

export interface FakeArxivOptions {
  papers?: FakeArxivPaper[];
  style?: 'classic' | 'current';
}

const OS = 'http://a9.com/-/spec/opensearch/1.1/';
const AX = 'http://arxiv.org/schemas/atom';
// arXiv checks the shape and the month: 1234.12345 is "incorrect id format".
const FAKE_ID = /^(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z]+(-[a-z]+)?(\.[A-Z]{2})?\/\d{2}(?:0[1-9]|1[0-2])\d{3})(v(\d+))?$/;
const SORT_BY = ['relevance', 'lastUpdatedDate', 'submittedDate'];
const SORT_ORDER = ['ascending', 'descending'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function stamp(date: string): string {
  return /T/.test(date) ? date : `${date}T12:00:00Z`;
}

/** arXiv's hard wrapping: lines of about 80 characters, continuation lines indented. */
function wrap(text: string, indent: string, width = 78): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

interface Request {
  ids: { id: string; version?: number }[];
  query: string;
  start: number;
  max: number;
  sortBy: string;
  sortOrder: string;
}

function int(value: string | null, fallback: number): number | 'nan' {
  if (value === null || value === '') return fallback;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : 'nan';
}

export async function startFakeArxiv(options: FakeArxivOptions = {}): Promise<FakeArxiv> {
  const style = options.style ?? 'classic';
  const papers = new Map<string, FakeArxivPaper>();
  for (const p of options.papers ?? []) papers.set(p.id, p);
  const classic = style === 'classic';
  const host = classic ? 'http://arxiv.org' : 'https://arxiv.org';
  const ns = (name: string, uri: string) => (classic ? ` xmlns:${name}="${uri}"` : '');

  function header(url: URL, total: number, start: number, perPage: number): string {
    const sp = url.searchParams;
    const canonical = `search_query=${sp.get('search_query') ?? ''}&id_list=${sp.get('id_list') ?? ''}&start=${start}&max_results=${perPage}`;
    const queryId = createHash('sha1').update(canonical).digest('base64').slice(0, 27);
    const today = new Date().toISOString().slice(0, 10);
    if (classic) {
      return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?${esc(encodeURIComponent(canonical))}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: ${esc(canonical)}</title>
  <id>http://arxiv.org/api/${queryId}</id>
  <updated>${today}T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="${OS}">${total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="${OS}">${start}</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="${OS}">${perPage}</opensearch:itemsPerPage>
`;
    }
    return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="${OS}" xmlns:arxiv="${AX}" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/${queryId}</id>
  <title>arXiv Query: ${esc(canonical)}</title>
  <updated>${new Date().toISOString().slice(0, 19)}Z</updated>
  <link href="https://arxiv.org/api/query?${esc(canonical)}" type="application/atom+xml"/>
  <opensearch:itemsPerPage>${perPage}</opensearch:itemsPerPage>
  <opensearch:totalResults>${total}</opensearch:totalResults>
  <opensearch:startIndex>${start}</opensearch:startIndex>
`;
  }

  function entry(p: FakeArxivPaper, version: number): string {
    const latest = p.versions ?? 1;
    const vid = `${p.id}v${version}`;
    const published = stamp(p.published);
    const updated = version === latest ? stamp(p.updated ?? p.published) : published;
    const primary = p.primaryCategory ?? p.categories[0] ?? '';
    const title = classic ? wrap(esc(p.title), '  ') : esc(p.title);
    const summary = p.abstract ? (classic ? `  ${wrap(esc(p.abstract), '')}\n` : esc(p.abstract)) : undefined;
    const authors = (p.authors ?? []).map((a) => (typeof a === 'string' ? { name: a } : a));
    const authorXml = authors
      .map(
        (a) =>
          `    <author>\n      <name>${esc(a.name)}</name>\n` +
          (a.affiliation ? `      <arxiv:affiliation${ns('arxiv', AX)}>${esc(a.affiliation)}</arxiv:affiliation>\n` : '') +
          `    </author>\n`,
      )
      .join('');
    const cats = p.categories.map((c) => `    <category term="${esc(c)}" scheme="${AX}"/>\n`).join('');
    const ext = (tag: string, value: string | undefined) =>
      value ? `    <arxiv:${tag}${ns('arxiv', AX)}>${esc(value)}</arxiv:${tag}>\n` : '';
    const doiLink = p.doi ? `    <link title="doi" href="http://dx.doi.org/${esc(p.doi)}" rel="related"/>\n` : '';
    if (classic) {
      return (
        `  <entry>\n    <id>http://arxiv.org/abs/${vid}</id>\n    <updated>${updated}</updated>\n    <published>${published}</published>\n` +
        `    <title>${title}</title>\n` +
        (summary !== undefined ? `    <summary>${summary}</summary>\n` : '') +
        authorXml +
        ext('doi', p.doi) +
        doiLink +
        ext('comment', p.comment) +
        ext('journal_ref', p.journalRef) +
        `    <link href="${host}/abs/${vid}" rel="alternate" type="text/html"/>\n` +
        `    <link title="pdf" href="${host}/pdf/${vid}" rel="related" type="application/pdf"/>\n` +
        `    <arxiv:primary_category${ns('arxiv', AX)} term="${esc(primary)}" scheme="${AX}"/>\n` +
        cats +
        `  </entry>\n`
      );
    }
    return (
      `  <entry>\n    <id>http://arxiv.org/abs/${vid}</id>\n    <title>${title}</title>\n    <updated>${updated}</updated>\n` +
      `    <link href="${host}/abs/${vid}"/>\n    <link href="${host}/pdf/${vid}"/>\n` +
      (summary !== undefined ? `    <summary>${summary}</summary>\n` : '') +
      cats +
      `    <published>${published}</published>\n` +
      ext('comment', p.comment) +
      `    <arxiv:primary_category term="${esc(primary)}"/>\n` +
      ext('journal_ref', p.journalRef) +
      authorXml +
      ext('doi', p.doi) +
      (p.doi ? `    <link rel="related" href="https://doi.org/${esc(p.doi)}"/>\n` : '') +
      `  </entry>\n`
    );
  }

  function errorFeed(url: URL, message: string): FakeAnswer {
    const anchor = message.replace(/\s+/g, '_');
    const body =
      header(url, 1, 0, 1) +
      `  <entry>\n    <id>http://arxiv.org/api/errors#${esc(anchor)}</id>\n    <title>Error</title>\n` +
      `    <summary>${esc(message)}</summary>\n    <updated>${new Date().toISOString().slice(0, 10)}T00:00:00-04:00</updated>\n` +
      `    <link href="http://arxiv.org/api/errors#${esc(anchor)}" rel="alternate" type="text/html"/>\n` +
      `    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n`;
    return { status: 400, body, headers: { 'content-type': 'application/atom+xml; charset=utf-8' } };
  }

  function readRequest(url: URL): Request | string {
    const sp = url.searchParams;
    const start = int(sp.get('start'), 0);
    if (start === 'nan') return 'start must be an integer';
    if (start < 0) return 'start must be >= 0';
    const max = int(sp.get('max_results'), 10);
    if (max === 'nan') return 'max_results must be an integer';
    if (max < 0) return 'max_results must be >= 0';
    if (max > 30000) return 'max_results must be <= 30000';
    const sortBy = sp.get('sortBy') || 'relevance';
    if (!SORT_BY.includes(sortBy)) return `sortBy must be in: ${SORT_BY.join(', ')}`;
    const sortOrder = sp.get('sortOrder') || 'descending';
    if (!SORT_ORDER.includes(sortOrder)) return `sortOrder must be in: ${SORT_ORDER.join(', ')}`;
    const ids: Request['ids'] = [];
    for (const raw of (sp.get('id_list') ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = FAKE_ID.exec(raw);
      if (!m) return `incorrect id format for ${raw}`;
      ids.push(m[5] ? { id: m[1]!, version: Number(m[5]) } : { id: m[1]! });
    }
    return { ids, query: sp.get('search_query') ?? '', start, max, sortBy, sortOrder };
  }

  function searchable(p: FakeArxivPaper): Searchable {
    return {
      id: p.id,
      title: p.title,
      abstract: p.abstract ?? '',
      authors: (p.authors ?? []).map((a) => (typeof a === 'string' ? a : a.name)),
      comment: p.comment ?? '',
      journalRef: p.journalRef ?? '',
      categories: p.categories,
    };
  }

  function query(url: URL, fault: Fault | undefined): FakeAnswer {
    if (url.pathname !== '/api/query') return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain' } };
    const req = readRequest(url);
    if (typeof req === 'string') return errorFeed(url, req);
    let tree;
    try {
      tree = parseQuery(req.query);
    } catch {
      tree = null; // arXiv finds nothing for a query it cannot read
    }
    let hits: { paper: FakeArxivPaper; version: number; score: number }[];
    if (req.ids.length > 0) {
      hits = req.ids.flatMap(({ id, version }) => {
        const paper = papers.get(id);
        const latest = paper?.versions ?? 1;
        if (!paper || (version !== undefined && version > latest)) return [];
        return [{ paper, version: version ?? latest, score: 0 }];
      });
      if (req.query) hits = hits.filter((h) => tree && matches(tree, searchable(h.paper)));
    } else if (tree) {
      const t = tree;
      hits = [...papers.values()]
        .filter((p) => matches(t, searchable(p)))
        .map((paper) => ({ paper, version: paper.versions ?? 1, score: relevance(t, searchable(paper)) }));
      const key = (h: (typeof hits)[number]): number =>
        req.sortBy === 'relevance'
          ? h.score
          : Date.parse(stamp(req.sortBy === 'submittedDate' ? h.paper.published : (h.paper.updated ?? h.paper.published)));
      const sign = req.sortOrder === 'ascending' ? 1 : -1;
      hits.sort((a, b) => sign * (key(a) - key(b)) || Date.parse(stamp(b.paper.published)) - Date.parse(stamp(a.paper.published)));
    } else {
      hits = [];
    }
    const page = hits.slice(req.start, req.start + req.max);
    const times = fault?.kind === 'duplicate' ? 2 : 1;
    const entries = page.map((h) => entry(h.paper, h.version).repeat(times)).join('');
    return {
      status: 200,
      body: `${header(url, hits.length, req.start, req.max)}${entries}</feed>\n`,
      headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
    };
  }

  const server = await startHttpFake((url, ctx) => query(url, ctx.fault));
  return Object.assign(server, {
    get baseUrl() {
      return `${server.origin}/api/query`;
    },
    papers,
    add(...more: FakeArxivPaper[]) {
      for (const p of more) papers.set(p.id, p);
    },
    remove(id: string) {
      papers.delete(id);
    },
  });
}
