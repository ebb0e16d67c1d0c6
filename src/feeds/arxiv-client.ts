/**
 * The arXiv API (https://info.arxiv.org/help/api/user-manual.html): look papers up by id and run
 * search queries. Every request goes through the shared per-process limiter for its base URL
 * (one request per 3 s by default, one at a time, as arXiv's terms of use ask).
 */
import { UserFacingError } from '../errors.js';
import { arxivEntries, readArxivAtom, type ArxivEntry, type FeedProblem } from './arxiv-atom.js';
import { parseArxivId, versionedId, type ArxivIdParts } from './arxiv-id.js';
import { badAnswer, checkBaseUrl, getText, makePolicy, type HttpPolicy, type UpstreamOptions } from '../upstream/http.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import { FeedFormatError } from './xml.js';

export const ARXIV_API_BASE = 'https://export.arxiv.org/api/query';
/** arXiv returns at most 2000 results per call (user manual §3.1.1.2). */
export const ARXIV_MAX_PER_CALL = 2000;
/** Ids per id_list request: keeps the GET URL well under common 8 KB limits. */
const IDS_PER_CALL = 100;

export interface ArxivClientOptions extends UpstreamOptions {
  /** Default https://export.arxiv.org/api/query. */
  baseUrl?: string;
}

export type ArxivSortBy = 'submittedDate' | 'lastUpdatedDate' | 'relevance';
export type ArxivSortOrder = 'ascending' | 'descending';

export interface ArxivSearchOptions {
  /** max_results: 1..2000, default 25. */
  max?: number;
  /** 0-based offset, default 0. */
  start?: number;
  /** Default 'submittedDate' (newest papers first, which is what following a topic wants). */
  sortBy?: ArxivSortBy;
  /** Default 'descending'. */
  sortOrder?: ArxivSortOrder;
}

export interface ArxivSearchResult {
  entries: ArxivEntry[];
  /** Entries skipped (no abstract, repeated, not an arXiv id), one sentence each. */
  problems: string[];
  /** arXiv's count of all matches (for paging); absent when arXiv did not say. */
  totalResults?: number;
  start: number;
}

export interface ArxivLookupResult {
  /** Keyed by the canonical id without version. */
  found: Map<string, ArxivEntry>;
  /** Canonical ids arXiv does not know (or not at the version asked). */
  missing: string[];
  problems: string[];
}

/** What the user typed, parsed, or a UserFacingError saying why it is not an arXiv id. */
export function requireArxivId(input: string): ArxivIdParts {
  const parsed = parseArxivId(input);
  if (!parsed.ok) throw new UserFacingError(parsed.message);
  return parsed.version ? { id: parsed.id, version: parsed.version } : { id: parsed.id };
}

/** Query-string encoding as arXiv's own examples write it: spaces as +, `:` `/` `,` kept. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+').replace(/%3A/gi, ':').replace(/%2F/gi, '/').replace(/%2C/gi, ',');
}

function queryString(params: [string, string | number][]): string {
  return params.map(([k, v]) => `${k}=${encodeValue(String(v))}`).join('&');
}

export class ArxivClient {
  readonly baseUrl: string;
  private readonly policy: HttpPolicy;

  constructor(options: ArxivClientOptions = {}) {
    this.baseUrl = (options.baseUrl?.trim() || ARXIV_API_BASE).replace(/[?&]+$/, '');
    const url = checkBaseUrl(this.baseUrl, 'ARXIV_API_BASE');
    this.policy = makePolicy('arXiv', url, options, { minIntervalMs: 3000, timeoutMs: 10_000 }, 'ARXIV_API_BASE');
  }

  /**
   * The paper, or null when arXiv has no such paper (or no such version). `input` is anything
   * parseArxivId reads (id, arXiv:id, abs/pdf link); an unreadable one is a UserFacingError.
   * A record arXiv returns without title or abstract is an UpstreamError ('incomplete').
   */
  async getById(input: string): Promise<ArxivEntry | null> {
    const wanted = requireArxivId(input);
    const { found, incomplete } = await this.lookupAll([wanted]);
    const entry = found.get(wanted.id);
    if (entry) return entry;
    if (incomplete.has(wanted.id)) {
      throw new UpstreamError(
        `arXiv's record for ${versionedId(wanted.id, wanted.version)} has no ${incomplete.get(wanted.id)}; paperbot needs a title and an abstract to add a paper`,
        'arXiv',
        'incomplete',
        1,
      );
    }
    return null;
  }

  /** Several papers in one request per 100 (kinder to arXiv than one request each), keyed by id without version. */
  async getByIds(inputs: readonly string[]): Promise<ArxivLookupResult> {
    const { found, missing, problems } = await this.lookupAll(inputs.map(requireArxivId));
    return { found, missing, problems };
  }

  private async lookupAll(
    wanted: readonly ArxivIdParts[],
  ): Promise<ArxivLookupResult & { incomplete: Map<string, 'title' | 'summary'> }> {
    // One entry per paper: asking for two versions of one paper keeps the first ask.
    const unique = [...new Map(wanted.map((w) => [w.id, w])).values()];
    const found = new Map<string, ArxivEntry>();
    const problems: string[] = [];
    const incomplete = new Map<string, 'title' | 'summary'>();
    for (let i = 0; i < unique.length; i += IDS_PER_CALL) {
      const batch = unique.slice(i, i + IDS_PER_CALL);
      const params: [string, string | number][] = [['id_list', batch.map((w) => versionedId(w.id, w.version)).join(',')]];
      // arXiv returns 10 results unless told otherwise.
      if (batch.length > 10) params.push(['max_results', batch.length]);
      const result = await this.request(params, 'the id lookup');
      for (const p of result.feedProblems) {
        problems.push(p.message);
        if (p.arxivId && p.lacks) incomplete.set(p.arxivId, p.lacks);
      }
      for (const entry of result.entries) found.set(entry.arxivId, entry);
    }
    const missing: string[] = [];
    for (const w of unique) {
      const entry = found.get(w.id);
      if (!entry || (w.version !== undefined && entry.version !== w.version)) {
        found.delete(w.id);
        missing.push(versionedId(w.id, w.version));
      }
    }
    return { found, missing, problems, incomplete };
  }

  /** Runs an arXiv search_query (`cat:cs.CL AND abs:"kv cache"`); see the user manual §5.1. */
  async search(searchQuery: string, options: ArxivSearchOptions = {}): Promise<ArxivSearchResult> {
    const query = searchQuery.trim();
    if (!query) throw new UserFacingError('The arXiv search query is empty; write one like cat:cs.CL AND abs:"kv cache".');
    const max = options.max ?? 25;
    const start = options.start ?? 0;
    if (!Number.isInteger(max) || max < 1 || max > ARXIV_MAX_PER_CALL) {
      throw new RangeError(`max must be an integer from 1 to ${ARXIV_MAX_PER_CALL}, got ${max}`);
    }
    if (!Number.isInteger(start) || start < 0) throw new RangeError(`start must be an integer >= 0, got ${start}`);
    const result = await this.request(
      [
        ['search_query', query],
        ['start', start],
        ['max_results', max],
        ['sortBy', options.sortBy ?? 'submittedDate'],
        ['sortOrder', options.sortOrder ?? 'descending'],
      ],
      'the search query',
    );
    return {
      entries: result.entries,
      problems: result.feedProblems.map((p) => p.message),
      ...(result.totalResults !== undefined ? { totalResults: result.totalResults } : {}),
      start,
    };
  }

  private async request(
    params: [string, string | number][],
    what: string,
  ): Promise<{ entries: ArxivEntry[]; feedProblems: FeedProblem[]; totalResults?: number }> {
    const url = `${this.baseUrl}?${queryString(params)}`;
    const answer = await getText(url, this.policy, 'application/atom+xml, application/xml;q=0.9, */*;q=0.1');
    // arXiv reports bad parameters and malformed ids as HTTP 400 with an Atom error feed.
    if (answer.status !== 200 && answer.status !== 400) {
      throw new UpstreamError(
        `arXiv answered HTTP ${answer.status}; check ARXIV_API_BASE (now ${this.baseUrl}) or try again later`,
        'arXiv',
        'http',
        answer.attempts,
        answer.status,
      );
    }
    let feed;
    try {
      feed = readArxivAtom(answer.text);
    } catch (err) {
      if (!(err instanceof FeedFormatError)) throw err;
      throw badAnswer(this.policy, err.detail, answer.attempts, answer.status);
    }
    if (feed.errors.length > 0) {
      throw new UpstreamError(
        `arXiv rejected ${what}: ${feed.errors.map((e) => e.message).join('; ')}`,
        'arXiv',
        'rejected',
        answer.attempts,
        answer.status,
      );
    }
    if (answer.status === 400) {
      throw new UpstreamError(`arXiv rejected ${what} (HTTP 400)`, 'arXiv', 'rejected', answer.attempts, 400);
    }
    const { entries, problems } = arxivEntries(feed);
    return {
      entries,
      feedProblems: problems,
      ...(feed.totalResults !== undefined ? { totalResults: feed.totalResults } : {}),
    };
  }
}
