/**
 * The PaperSource seam: where new papers come from (arXiv searches, the Hugging Face daily list,
 * RSS/Atom feeds), all handing on the same FetchedPaper. FEEDS names the sources:
 *
 *   FEEDS='arxiv:cat:cs.CL AND abs:"kv cache"; hf-daily; rss:https://connect.biorxiv.org/biorxiv_xml/neuroscience'
 *
 * Sources are separated by `;` (a `;` inside double quotes belongs to the query). The arXiv query is
 * passed to the arXiv API as written (user manual §5.1), so it may contain `:`, quotes and parentheses.
 */
import type { Clock } from '../clock.js';
import { truncate } from '../text.js';
import type { ArxivClient, ArxivSortBy } from './arxiv-client.js';
import { absUrl, pdfUrl } from './arxiv-id.js';
import { parseHttpUrl } from '../upstream/http.js';
import type { HfDailyClient } from './hf-daily.js';
import type { FeedClient } from './rss.js';
import type { PaperCore } from './types.js';

/** A paper some source says is new, before anyone decides whether the team wants it. */
export interface FetchedPaper extends PaperCore {
  /** The best link for people: the arXiv abstract page when there is one, else the item's page. */
  url: string;
  absUrl?: string;
  pdfUrl?: string;
  /** The source's name, e.g. `arxiv:cat:cs.CL`, `hf-daily`, `rss:https://…`. */
  source: string;
}

export interface PaperSource {
  readonly name: string;
  /** Rejects with UpstreamError when the upstream fails; `problems` are items it skipped. */
  fetch(): Promise<{ items: FetchedPaper[]; problems: string[] }>;
}

export type FeedSpec = { kind: 'arxiv'; query: string } | { kind: 'hf-daily' } | { kind: 'rss'; url: string };

/** A FEEDS value that cannot be used; the message names the source and what to write instead. */
export class FeedsSpecError extends Error {
  override readonly name = 'FeedsSpecError';
}

const KINDS = 'arxiv:<search query>, hf-daily or rss:<feed URL>';

/** Splits on `;` outside double quotes. */
function splitSources(spec: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of spec) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function checkArxivQuery(query: string, where: string): void {
  if (!query) throw new FeedsSpecError(`${where} has an empty query; write e.g. arxiv:cat:cs.CL AND abs:"kv cache"`);
  if ((query.match(/"/g)?.length ?? 0) % 2 !== 0) throw new FeedsSpecError(`${where} has an unclosed double quote`);
  let depth = 0;
  for (const ch of query.replace(/"[^"]*"/g, '')) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) throw new FeedsSpecError(`${where} has a ")" without its "("`);
  }
  if (depth !== 0) throw new FeedsSpecError(`${where} has a "(" that is never closed`);
}

/** Parses FEEDS. Empty → no sources. Repeats are dropped. Throws FeedsSpecError. */
export function parseFeedsSpec(spec: string): FeedSpec[] {
  const specs: FeedSpec[] = [];
  const seen = new Set<string>();
  splitSources(spec).forEach((source, i) => {
    const where = `source ${i + 1} ("${truncate(source, 60)}")`;
    const colon = source.indexOf(':');
    const kind = (colon === -1 ? source : source.slice(0, colon)).trim().toLowerCase();
    const rest = colon === -1 ? '' : source.slice(colon + 1).trim();
    let parsed: FeedSpec;
    if (kind === 'arxiv') {
      checkArxivQuery(rest, where);
      parsed = { kind: 'arxiv', query: rest };
    } else if (kind === 'hf-daily') {
      if (rest) throw new FeedsSpecError(`${where}: hf-daily takes nothing after it`);
      parsed = { kind: 'hf-daily' };
    } else if (kind === 'rss') {
      if (!rest) throw new FeedsSpecError(`${where} has no URL; write e.g. rss:https://example.org/feed.xml`);
      const url = parseHttpUrl(rest);
      if (!url) throw new FeedsSpecError(`${where}: "${truncate(rest, 60)}" is not an http(s) URL`);
      parsed = { kind: 'rss', url: url.href };
    } else {
      throw new FeedsSpecError(`${where} has an unknown kind "${kind}"; use ${KINDS}`);
    }
    const key = JSON.stringify(parsed);
    if (!seen.has(key)) {
      seen.add(key);
      specs.push(parsed);
    }
  });
  return specs;
}

export interface ArxivSearchSourceOptions {
  /** Newest first; how many per fetch (default 50). */
  max?: number;
  sortBy?: ArxivSortBy;
}

export class ArxivSearchSource implements PaperSource {
  readonly name: string;

  constructor(
    private readonly client: ArxivClient,
    private readonly query: string,
    private readonly options: ArxivSearchSourceOptions = {},
  ) {
    this.name = `arxiv:${query}`;
  }

  async fetch(): Promise<{ items: FetchedPaper[]; problems: string[] }> {
    const result = await this.client.search(this.query, {
      max: this.options.max ?? 50,
      sortBy: this.options.sortBy ?? 'submittedDate',
      sortOrder: 'descending',
    });
    const items = result.entries.map(
      (e): FetchedPaper => ({
        arxivId: e.arxivId,
        version: e.version,
        title: e.title,
        abstract: e.abstract,
        authors: e.authors,
        published: e.published,
        categories: e.categories,
        url: e.absUrl,
        absUrl: e.absUrl,
        pdfUrl: e.pdfUrl,
        ...(e.doi ? { doi: e.doi } : {}),
        source: this.name,
      }),
    );
    return { items, problems: result.problems };
  }
}

export class HfDailySource implements PaperSource {
  readonly name = 'hf-daily';

  constructor(
    private readonly client: HfDailyClient,
    private readonly clock?: Clock,
  ) {}

  /** Today's list (UTC), per the clock given (else the client's). */
  async fetch(): Promise<{ items: FetchedPaper[]; problems: string[] }> {
    const result = await this.client.list(this.clock?.now().toISOString().slice(0, 10));
    const items = result.papers.map(
      (p): FetchedPaper => ({
        ...(p.arxivId ? { arxivId: p.arxivId } : {}),
        title: p.title,
        abstract: p.abstract,
        authors: p.authors,
        ...(p.published ? { published: p.published } : {}),
        categories: [],
        url: p.absUrl ?? p.hfUrl,
        ...(p.absUrl ? { absUrl: p.absUrl } : {}),
        ...(p.pdfUrl ? { pdfUrl: p.pdfUrl } : {}),
        source: this.name,
      }),
    );
    return { items, problems: result.problems };
  }
}

export class RssSource implements PaperSource {
  readonly name: string;

  constructor(
    private readonly client: FeedClient,
    private readonly url: string,
  ) {
    this.name = `rss:${url}`;
  }

  async fetch(): Promise<{ items: FetchedPaper[]; problems: string[] }> {
    const feed = await this.client.fetch(this.url);
    const items: FetchedPaper[] = [];
    const problems = [...feed.problems];
    for (const item of feed.items) {
      const abs = item.arxivId ? absUrl(item.arxivId) : undefined;
      const url = abs ?? item.url ?? (item.doi ? `https://doi.org/${item.doi}` : undefined);
      if (!url) {
        problems.push(`"${item.title}" has no link; skipped`);
        continue;
      }
      const { url: _link, ...core } = item;
      items.push({
        ...core,
        url,
        ...(item.arxivId ? { absUrl: absUrl(item.arxivId), pdfUrl: pdfUrl(item.arxivId) } : {}),
        source: this.name,
      });
    }
    return { items, problems };
  }
}

export interface SourceDeps {
  arxiv: ArxivClient;
  hfDaily: HfDailyClient;
  feeds: FeedClient;
  clock?: Clock;
  arxivOptions?: ArxivSearchSourceOptions;
}

/** One PaperSource per spec (the composition root calls this with parseFeedsSpec(config.feeds)). */
export function createSources(specs: readonly FeedSpec[], deps: SourceDeps): PaperSource[] {
  return specs.map((spec) => {
    switch (spec.kind) {
      case 'arxiv':
        return new ArxivSearchSource(deps.arxiv, spec.query, deps.arxivOptions);
      case 'hf-daily':
        return new HfDailySource(deps.hfDaily, deps.clock);
      case 'rss':
        return new RssSource(deps.feeds, spec.url);
    }
  });
}
