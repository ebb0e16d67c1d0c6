/**
 * The one reader of arXiv API Atom: live API responses (ArxivClient) and saved .atom/.xml collection
 * files (src/collection/parse.ts) both go through readArxivAtom.
 *
 * What arXiv really sends (user manual §3.3-3.4, and responses seen in 2025):
 * - titles and abstracts hard-wrapped with newlines and indentation (older responses), or one line;
 * - namespaces declared on each element (older) or once on <feed> (since late 2025);
 * - abs/pdf links with rel="alternate" / rel="related" title="pdf" (older) or without rel (newer),
 *   so the links are derived from the id here rather than read from <link>;
 * - an error as a feed with ONE entry titled "Error" whose id is http://arxiv.org/api/errors#…
 *   (HTTP 400 for a malformed id or parameter);
 * - an unknown but well-formed id as a feed with no entries (totalResults 0, or 1 in some 2025
 *   responses, so the entry count is what counts), or, in older responses, as an empty <entry>.
 */
import { absUrl, parseArxivId, pdfUrl } from './arxiv-id.js';
import type { PaperCore } from './types.js';
import { asArray, attr, child, cleanText, FeedFormatError, isoDate, lineFinder, parseXml, textOf, type XmlNode } from './xml.js';

/** One complete entry (it has a title and an abstract) as read from the feed. */
export interface AtomPaper extends PaperCore {
  /** 1-based line of its <entry>. */
  line: number;
  /** The <id> as written (usually http://arxiv.org/abs/<id>v<n>); '' when missing. */
  id: string;
  /** YYYY-MM-DD: when this version was submitted. */
  updated?: string;
  /** Primary category first in `categories`, no duplicates. */
  primaryCategory?: string;
  /** https://arxiv.org/abs/<id>v<n> for arXiv entries, else the entry's alternate link or URL id. */
  url?: string;
  comment?: string;
  journalRef?: string;
}

export interface FeedProblem {
  line: number;
  message: string;
  /** The arXiv id of the entry concerned, when it has one. */
  arxivId?: string;
  /** Set when the entry was skipped for lacking its title or abstract. */
  lacks?: 'title' | 'summary';
}

export interface ArxivAtomFeed {
  entries: AtomPaper[];
  /** Entries that were skipped (no title or abstract), one sentence each. */
  problems: FeedProblem[];
  /** arXiv API error entries ("incorrect id format for 1234.12345"). */
  errors: FeedProblem[];
  /** opensearch:totalResults, when present. Not reliable for emptiness: count entries. */
  totalResults?: number;
  startIndex?: number;
}

/** An arXiv paper as the feeds layer hands it on. */
export interface ArxivEntry {
  /** Without version: `2501.00001`, `hep-th/9901001`. */
  arxivId: string;
  version: number;
  title: string;
  abstract: string;
  authors: string[];
  /** YYYY-MM-DD of version 1. */
  published: string;
  /** YYYY-MM-DD of this version. */
  updated: string;
  categories: string[];
  primaryCategory: string;
  /** This version's abstract page and PDF. */
  absUrl: string;
  pdfUrl: string;
  doi?: string;
  comment?: string;
  journalRef?: string;
}

function toHttps(url: string | undefined): string | undefined {
  return url?.replace(/^http:\/\/(www\.)?arxiv\.org\//, 'https://arxiv.org/');
}

function count(node: unknown): number | undefined {
  const n = Number(textOf(node).trim());
  return textOf(node).trim() && Number.isSafeInteger(n) ? n : undefined;
}

function optional<K extends string>(key: K, value: string): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

function readEntry(entry: XmlNode, line: number): AtomPaper | FeedProblem {
  const id = cleanText(entry['id']);
  const title = cleanText(entry['title']);
  const abstract = cleanText(entry['summary']);
  if (!id && !title && !abstract) {
    return { line, message: 'empty entry (arXiv sends one for an id it does not know); skipped' };
  }
  const parsedId = id ? parseArxivId(id) : undefined;
  const arxiv = parsedId?.ok ? parsedId : undefined;
  if (!title || !abstract) {
    const lacks = title ? 'summary' : 'title';
    const message = `entry ${id || '(no id)'} has no ${lacks}; skipped`;
    return arxiv ? { line, message, lacks, arxivId: arxiv.id } : { line, message, lacks };
  }
  const links = asArray(entry['link']);
  const alternate = links.find((l) => attr(l, 'rel') === 'alternate' && !attr(l, 'title'));
  const url = arxiv
    ? absUrl(arxiv.id, arxiv.version)
    : toHttps(attr(alternate, 'href') ?? (/^https?:\/\//.test(id) ? id : undefined));
  const primary = attr(entry['primary_category'], 'term')?.trim();
  const categories = [
    ...new Set([primary, ...asArray(entry['category']).map((c) => attr(c, 'term')?.trim())].filter((t): t is string => !!t)),
  ];
  const authors = asArray(entry['author'])
    .map((a) => cleanText(child(a, 'name')))
    .filter(Boolean);
  const published = isoDate(textOf(entry['published']));
  const updated = isoDate(textOf(entry['updated']));
  return {
    line,
    id,
    ...(arxiv ? { arxivId: arxiv.id, ...(arxiv.version ? { version: arxiv.version } : {}) } : {}),
    title,
    abstract,
    authors,
    ...(published ? { published } : {}),
    ...(updated ? { updated } : {}),
    categories,
    ...(primary ? { primaryCategory: primary } : {}),
    ...(url ? { url } : {}),
    ...optional('doi', cleanText(entry['doi'])),
    ...optional('comment', cleanText(entry['comment'])),
    ...optional('journalRef', cleanText(entry['journal_ref'])),
  };
}

/**
 * Reads an arXiv API Atom document. Throws FeedFormatError for malformed or truncated XML and for
 * documents that are not an Atom feed; incomplete entries become `problems`, never exceptions.
 */
export function readArxivAtom(xml: string): ArxivAtomFeed {
  const text = xml.replace(/^\uFEFF/, '');
  const doc = parseXml(text);
  const feed = doc['feed'];
  if (!feed || typeof feed !== 'object') throw new FeedFormatError('no <feed> element: not an Atom feed', 1);
  const f = feed as XmlNode;
  const result: ArxivAtomFeed = { entries: [], problems: [], errors: [] };
  const lineOf = lineFinder(text);
  const total = count(f['totalResults']);
  const start = count(f['startIndex']);
  if (total !== undefined) result.totalResults = total;
  if (start !== undefined) result.startIndex = start;
  for (const node of asArray(f['entry'])) {
    const entry = (node && typeof node === 'object' ? node : {}) as XmlNode;
    if (cleanText(entry['id']).includes('/api/errors')) {
      const message = cleanText(entry['summary']) || cleanText(entry['title']) || 'unknown error';
      result.errors.push({ line: lineOf(entry), message });
      continue;
    }
    const read = readEntry(entry, lineOf(entry));
    if ('title' in read) result.entries.push(read);
    else result.problems.push(read);
  }
  return result;
}

/**
 * The arXiv papers among a feed's entries, each once: an entry whose id is not an arXiv id, or that
 * repeats an earlier one (arXiv's paging can repeat), becomes one problem.
 */
export function arxivEntries(feed: Pick<ArxivAtomFeed, 'entries' | 'problems'>): { entries: ArxivEntry[]; problems: FeedProblem[] } {
  const entries: ArxivEntry[] = [];
  const problems = [...feed.problems];
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const e of feed.entries) {
    if (!e.arxivId) {
      problems.push({ line: e.line, message: `entry ${e.id || '(no id)'} has no arXiv id; skipped` });
      continue;
    }
    if (seen.has(e.arxivId)) {
      if (!reported.has(e.arxivId)) {
        reported.add(e.arxivId);
        problems.push({ line: e.line, message: `arXiv listed ${e.arxivId} more than once; kept the first`, arxivId: e.arxivId });
      }
      continue;
    }
    seen.add(e.arxivId);
    const version = e.version ?? 1;
    const published = e.published ?? e.updated ?? '';
    entries.push({
      arxivId: e.arxivId,
      version,
      title: e.title,
      abstract: e.abstract,
      authors: e.authors,
      published,
      updated: e.updated ?? published,
      categories: e.categories,
      primaryCategory: e.primaryCategory ?? e.categories[0] ?? '',
      absUrl: absUrl(e.arxivId, version),
      pdfUrl: pdfUrl(e.arxivId, version),
      ...(e.doi ? { doi: e.doi } : {}),
      ...(e.comment ? { comment: e.comment } : {}),
      ...(e.journalRef ? { journalRef: e.journalRef } : {}),
    });
  }
  return { entries, problems };
}
