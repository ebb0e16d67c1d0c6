/**
 * Generic feeds, so teams outside arXiv's fields are served too: RSS 2.0 (journals, arXiv's own
 * rss.arxiv.org listings), RSS 1.0/RDF (bioRxiv, medRxiv, Nature) and Atom. Items that link to an
 * arXiv paper carry its arXiv id; the rest keep their link.
 */
import { normaliseWhitespace } from '../collection/ids.js';
import { truncate } from '../text.js';
import { parseArxivId } from './arxiv-id.js';
import { badAnswer, getText, makePolicy, parseHttpUrl, type UpstreamOptions } from '../upstream/http.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import type { PaperCore } from './types.js';
import { asArray, attr, child, cleanText, FeedFormatError, htmlToText, isoDate, parseXml, textOf, type XmlNode } from './xml.js';

export interface FeedItem extends PaperCore {
  /** The item's link (its page on the publisher's site). */
  url?: string;
}

export interface ParsedFeed {
  title?: string;
  items: FeedItem[];
  problems: string[];
}

const HAS_TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|&[a-z]+;|&#/i;

/** Plain text of a field that may hold HTML (RSS descriptions usually do). */
function plain(node: unknown): string {
  const text = textOf(node);
  return HAS_TAG.test(text) ? htmlToText(text) : normaliseWhitespace(text);
}

// arXiv's RSS puts "arXiv:2501.00001v1 Announce Type: new Abstract: " before each abstract.
const ARXIV_RSS_PREFIX = /^arXiv:\S+\s+Announce Type:\s*\S+\s+Abstract:\s*/i;

function firstText(...nodes: unknown[]): string {
  for (const n of nodes) {
    const t = plain(n);
    if (t) return t;
  }
  return '';
}

/** "Ada Lovelace, Alan Turing" is two people; "Lovelace, A." is one. */
function splitNames(value: string): string[] {
  const parts = value.split(/\s*;\s*|\s+and\s+/).flatMap((part) => {
    const commaParts = part.split(/\s*,\s*/).filter(Boolean);
    return commaParts.length > 1 && commaParts.every((p) => /\s/.test(p)) ? commaParts : [part];
  });
  return parts.map((p) => normaliseWhitespace(p)).filter(Boolean);
}

function rssAuthors(item: XmlNode): string[] {
  const names: string[] = [];
  for (const c of asArray(item['creator'])) names.push(...splitNames(cleanText(c)));
  for (const a of asArray(item['author'])) {
    const name = cleanText(child(a, 'name')) || cleanText(a);
    // RSS 2.0 <author> is "mail@example.org (Name)".
    const inParens = /\(([^)]+)\)\s*$/.exec(name)?.[1];
    if (inParens) names.push(normaliseWhitespace(inParens));
    else if (name && !/^\S+@\S+$/.test(name)) names.push(...splitNames(name));
  }
  return [...new Set(names)];
}

function linkOf(item: XmlNode): string | undefined {
  const links = asArray(item['link']);
  for (const l of links) if (typeof l === 'string' && /^https?:\/\//i.test(l.trim())) return l.trim();
  const alternate = links.find((l) => !attr(l, 'rel') || attr(l, 'rel') === 'alternate');
  const href = attr(alternate, 'href') ?? attr(item, 'about');
  return href && /^https?:\/\//i.test(href) ? href : undefined;
}

function categoriesOf(item: XmlNode): string[] {
  const terms = [...asArray(item['category']), ...asArray(item['subject'])].map((c) => attr(c, 'term') ?? cleanText(c));
  return [...new Set(terms.filter(Boolean))];
}

function doiOf(item: XmlNode, url: string | undefined): string | undefined {
  const raw = cleanText(item['doi']) || cleanText(item['identifier']) || url || '';
  return /\b(10\.\d{4,9}\/\S+)/.exec(raw.replace(/^doi:\s*/i, ''))?.[1];
}

function arxivOf(url: string | undefined, guid: string): { arxivId: string; version?: number } | undefined {
  for (const candidate of [url, guid.replace(/^oai:arXiv\.org:/i, '')]) {
    if (!candidate) continue;
    const parsed = parseArxivId(candidate);
    if (parsed.ok) return parsed.version ? { arxivId: parsed.id, version: parsed.version } : { arxivId: parsed.id };
  }
  return undefined;
}

function readItem(item: XmlNode, index: number): FeedItem | string {
  const title = firstText(item['title']);
  const abstract = firstText(item['summary'], item['description'], item['encoded'], item['content'], item['abstract']).replace(
    ARXIV_RSS_PREFIX,
    '',
  );
  const url = linkOf(item);
  const label = title ? `"${title}"` : url ?? `item ${index + 1}`;
  if (!title) return `${label} has no title; skipped`;
  if (!abstract) return `${label} has no description or abstract; skipped`;
  const published = isoDate(
    textOf(item['pubDate']) || textOf(item['date']) || textOf(item['published']) || textOf(item['publicationDate']) || textOf(item['updated']),
  );
  const arxiv = arxivOf(url, cleanText(item['guid']) || cleanText(item['id']));
  const doi = doiOf(item, url);
  return {
    title,
    abstract,
    authors: rssAuthors(item),
    ...(published ? { published } : {}),
    categories: categoriesOf(item),
    ...(url ? { url } : {}),
    ...(arxiv ?? {}),
    ...(doi ? { doi } : {}),
  };
}

/** Reads RSS 2.0, RSS 1.0 (RDF) or Atom. Throws FeedFormatError when it is none of them. */
export function parseFeed(xml: string): ParsedFeed {
  const doc = parseXml(xml);
  let title: string;
  let items: unknown[];
  const rss = child(doc, 'rss');
  const rdf = child(doc, 'RDF');
  const atom = child(doc, 'feed');
  if (rss) {
    const channel = child(rss, 'channel');
    title = cleanText(child(channel, 'title'));
    items = asArray(child(channel, 'item'));
  } else if (rdf) {
    title = cleanText(child(child(rdf, 'channel'), 'title'));
    items = asArray(child(rdf, 'item'));
  } else if (atom) {
    title = plain(child(atom, 'title'));
    items = asArray(child(atom, 'entry'));
  } else {
    throw new FeedFormatError('not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed>)', 1);
  }
  const out: ParsedFeed = { ...(title ? { title } : {}), items: [], problems: [] };
  const seen = new Set<string>();
  items.forEach((node, i) => {
    const read = readItem((node && typeof node === 'object' ? node : {}) as XmlNode, i);
    if (typeof read === 'string') {
      out.problems.push(read);
      return;
    }
    const key = read.arxivId ?? read.url ?? read.title;
    if (seen.has(key)) {
      out.problems.push(`"${read.title}" is listed more than once; kept the first`);
      return;
    }
    seen.add(key);
    out.items.push(read);
  });
  return out;
}

export interface FeedClientOptions extends UpstreamOptions {}

/** Fetches feeds; requests to one host share a limiter (one per second by default). */
export class FeedClient {
  constructor(private readonly options: FeedClientOptions = {}) {}

  async fetch(url: string): Promise<ParsedFeed> {
    const parsed = parseHttpUrl(url);
    if (!parsed) throw new UpstreamError(`"${truncate(url, 80)}" is not a feed address; check it in FEEDS`, 'feed', 'http', 0);
    const service = `the feed at ${parsed.host}`;
    const policy = makePolicy(service, parsed, this.options, { minIntervalMs: 1000, timeoutMs: 15_000 }, 'FEEDS');
    const answer = await getText(
      url,
      policy,
      'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
    );
    if (answer.status !== 200) {
      throw new UpstreamError(
        `${service} answered HTTP ${answer.status}; check its address in FEEDS (${url})`,
        service,
        'http',
        answer.attempts,
        answer.status,
      );
    }
    try {
      return parseFeed(answer.text);
    } catch (err) {
      if (!(err instanceof FeedFormatError)) throw err;
      throw badAnswer(policy, err.detail, answer.attempts, answer.status);
    }
  }
}
