/**
 * The Hugging Face daily papers list: GET {base}/api/daily_papers?date=YYYY-MM-DD.
 *
 * The answer is a JSON array; each item wraps a `paper` (keyed by its arXiv id) and repeats some of
 * its fields at the top level:
 *   [{ paper: { id: "2509.04664", title, summary, authors: [{ _id, name, hidden }], publishedAt,
 *               upvotes, ai_summary?, ai_keywords?, githubRepo?, projectPage?, ... },
 *      publishedAt, title, summary, thumbnail, numComments, submittedBy, ... }]
 * A day without papers (weekends) is []. Every field is treated as optional: an item without a
 * title or abstract becomes a problem, not an exception.
 */
import { systemClock, type Clock } from '../clock.js';
import { normaliseWhitespace } from '../collection/ids.js';
import { UserFacingError } from '../errors.js';
import { isIsoDate } from '../rules/time.js';
import { truncate } from '../text.js';
import { absUrl, parseArxivId, pdfUrl } from './arxiv-id.js';
import { badAnswer, checkBaseUrl, getText, makePolicy, type HttpPolicy, type UpstreamOptions } from '../upstream/http.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import { isoDate } from './xml.js';

export const HF_API_BASE = 'https://huggingface.co';
/** Paper pages link to the real site whatever API base is configured. */
const HF_SITE = 'https://huggingface.co';

export interface HfDailyClientOptions extends UpstreamOptions {
  /** Default https://huggingface.co. */
  baseUrl?: string;
  /** For "today" (UTC) when no date is given. */
  clock?: Clock;
}

export interface HfDailyPaper {
  /** The paper's id on Hugging Face: an arXiv id for every paper seen so far. */
  id: string;
  /** Set when `id` is an arXiv id. */
  arxivId?: string;
  title: string;
  abstract: string;
  authors: string[];
  /** YYYY-MM-DD the paper was published (on arXiv). */
  published?: string;
  upvotes?: number;
  /** Hugging Face's paper page (https://huggingface.co/papers/<id>). */
  hfUrl: string;
  absUrl?: string;
  pdfUrl?: string;
  githubRepo?: string;
  projectPage?: string;
}

export interface HfDailyResult {
  date: string;
  papers: HfDailyPaper[];
  problems: string[];
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? normaliseWhitespace(v) : typeof v === 'number' ? String(v) : '';
}

function httpUrl(v: unknown): string | undefined {
  const s = str(v);
  return /^https?:\/\/\S+$/i.test(s) ? s : undefined;
}

/** One item of the list, or why it was skipped. */
export function readHfItem(item: unknown, index: number): HfDailyPaper | string {
  const top = obj(item);
  if (!top) return `item ${index + 1} is not an object; skipped`;
  const paper = obj(top['paper']) ?? {};
  const id = str(paper['id']) || str(top['id']);
  const title = str(paper['title']) || str(top['title']);
  const abstract = str(paper['summary']) || str(top['summary']);
  const label = id || title || `item ${index + 1}`;
  if (!id) return `${label} has no paper id; skipped`;
  if (!title) return `${label} has no title; skipped`;
  if (!abstract) return `${label} has no abstract; skipped`;
  const authorList = Array.isArray(paper['authors']) ? paper['authors'] : Array.isArray(top['authors']) ? top['authors'] : [];
  const authors = authorList.map((a) => (typeof a === 'string' ? str(a) : str(obj(a)?.['name']))).filter(Boolean);
  // The top-level publishedAt is when the paper made the daily list, not when it was published.
  const published = isoDate(str(paper['publishedAt']));
  const upvotes = paper['upvotes'] ?? top['upvotes'];
  const arxiv = parseArxivId(id);
  const githubRepo = httpUrl(paper['githubRepo']);
  const projectPage = httpUrl(paper['projectPage']);
  return {
    id,
    ...(arxiv.ok ? { arxivId: arxiv.id, absUrl: absUrl(arxiv.id), pdfUrl: pdfUrl(arxiv.id) } : {}),
    title,
    abstract,
    authors,
    ...(published ? { published } : {}),
    ...(typeof upvotes === 'number' && Number.isFinite(upvotes) ? { upvotes } : {}),
    hfUrl: `${HF_SITE}/papers/${encodeURIComponent(id)}`,
    ...(githubRepo ? { githubRepo } : {}),
    ...(projectPage ? { projectPage } : {}),
  };
}

/** Reads the whole answer body; throws a plain Error with the reason when it is not the list. */
export function readHfDaily(text: string): { papers: HfDailyPaper[]; problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(data)) throw new Error('expected a JSON list of papers');
  const papers: HfDailyPaper[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  data.forEach((item, i) => {
    const read = readHfItem(item, i);
    if (typeof read === 'string') problems.push(read);
    else if (seen.has(read.id)) problems.push(`${read.id} is listed more than once; kept the first`);
    else {
      seen.add(read.id);
      papers.push(read);
    }
  });
  return { papers, problems };
}

export class HfDailyClient {
  readonly baseUrl: string;
  private readonly policy: HttpPolicy;
  private readonly clock: Clock;

  constructor(options: HfDailyClientOptions = {}) {
    this.baseUrl = (options.baseUrl?.trim() || HF_API_BASE).replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    const url = checkBaseUrl(this.baseUrl, 'HF_API_BASE');
    this.policy = makePolicy('Hugging Face', url, options, { minIntervalMs: 1000, timeoutMs: 10_000 }, 'HF_API_BASE');
  }

  /** The list for `date` (YYYY-MM-DD; default today in UTC). A day without papers is an empty list. */
  async list(date?: string): Promise<HfDailyResult> {
    const day = date ?? this.clock.now().toISOString().slice(0, 10);
    if (!isIsoDate(day)) throw new UserFacingError(`"${truncate(day, 40)}" is not a date; write it as YYYY-MM-DD.`);
    const answer = await getText(`${this.baseUrl}/api/daily_papers?date=${day}`, this.policy, 'application/json');
    if (answer.status !== 200) {
      const said = (() => {
        try {
          return str(obj(JSON.parse(answer.text))?.['error']);
        } catch {
          return '';
        }
      })();
      const failure = answer.status === 400 ? 'rejected' : 'http';
      throw new UpstreamError(
        `Hugging Face answered HTTP ${answer.status}${said ? ` (${said})` : ''} for the daily papers of ${day}; ` +
          (failure === 'rejected' ? 'check the date' : `check HF_API_BASE (now ${this.baseUrl}) or try again later`),
        'Hugging Face',
        failure,
        answer.attempts,
        answer.status,
      );
    }
    try {
      return { date: day, ...readHfDaily(answer.text) };
    } catch (err) {
      throw badAnswer(this.policy, (err as Error).message, answer.attempts, answer.status);
    }
  }
}
