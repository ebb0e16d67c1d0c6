/**
 * Turning what people and upstreams give into PaperRecords the collection can keep: an arXiv
 * entry, a feed item, or a title + abstract (+ URL) typed into a Discord form or the CLI.
 */
import { arxivIdIn } from '../collection/identity.js';
import { normaliseWhitespace } from '../collection/ids.js';
import type { PaperRecord } from '../collection/types.js';
import { UserFacingError } from '../errors.js';
import type { ArxivEntry } from '../feeds/arxiv-atom.js';
import { parseHttpUrl } from '../upstream/http.js';
import type { FetchedPaper } from '../feeds/sources.js';
import { paperTextProblems } from '../rules/paper.js';
import { truncate } from '../text.js';

export function recordFromArxiv(entry: ArxivEntry): PaperRecord {
  return {
    title: normaliseWhitespace(entry.title),
    abstract: normaliseWhitespace(entry.abstract),
    arxivId: entry.arxivId,
    version: entry.version,
    authors: entry.authors,
    ...(entry.published ? { published: entry.published } : {}),
    categories: entry.categories,
    ...(entry.doi ? { doi: entry.doi } : {}),
  };
}

/** A feed item, or null (with why) when it cannot be kept: no abstract, an over-long text. */
export function recordFromFeed(item: FetchedPaper): { record: PaperRecord; url: string } | { problem: string } {
  const title = normaliseWhitespace(item.title);
  const abstract = normaliseWhitespace(item.abstract);
  const problems = paperTextProblems({ title, abstract });
  if (problems.length) return { problem: `${item.source}: "${truncate(title || '(untitled)', 80)}": ${problems.join('; ')}; skipped` };
  const record: PaperRecord = {
    title,
    abstract,
    ...(item.arxivId ? { arxivId: item.arxivId } : {}),
    ...(item.version ? { version: item.version } : {}),
    ...(!item.arxivId && item.url ? { url: item.url } : {}),
    authors: item.authors,
    ...(item.published ? { published: item.published } : {}),
    categories: item.categories,
    ...(item.doi ? { doi: item.doi } : {}),
  };
  return { record, url: item.url };
}

export interface ManualPaperInput {
  title?: string | null;
  abstract?: string | null;
  url?: string | null;
}

/**
 * A paper typed in by hand, checked: title and abstract present and within the limits, the URL
 * an http(s) link (an arXiv link also gives the arXiv id). Every problem in one UserFacingError.
 */
export function manualRecord(input: ManualPaperInput): PaperRecord {
  const title = normaliseWhitespace(input.title ?? '');
  const abstract = normaliseWhitespace(input.abstract ?? '');
  const rawUrl = (input.url ?? '').trim();
  const problems = paperTextProblems({ title, abstract });
  let url: URL | undefined;
  if (rawUrl) {
    url = parseHttpUrl(rawUrl);
    if (!url) problems.push(`the URL "${truncate(rawUrl, 80)}" is not an http(s) link`);
  }
  if (problems.length) throw new UserFacingError(`Cannot add that paper: ${problems.join('; ')}.`);
  const arxiv = url ? arxivIdIn(url.href) : undefined;
  return {
    title,
    abstract,
    ...(arxiv ? { arxivId: arxiv.id, ...(arxiv.version ? { version: arxiv.version } : {}) } : {}),
    ...(url && !arxiv ? { url: url.href } : {}),
    authors: [],
    categories: [],
  };
}
