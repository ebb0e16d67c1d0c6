import { z } from 'zod';
import { normaliseWhitespace } from './ids.js';
import { readArxivAtom, type ArxivAtomFeed } from '../feeds/arxiv-atom.js';
import { FeedFormatError } from '../feeds/xml.js';
import type { CollectionProblem } from './types.js';

/** One record as read from a file, before it becomes a Paper (see load.ts). */
export interface RawRecord {
  title: string;
  abstract: string;
  /** An identifier the source gave (arXiv id or abs URL); not the paper id. */
  id?: string;
  url?: string;
  authors?: string[];
  published?: string;
  tags?: string[];
  /** 1-based line where the record starts. */
  line: number;
}

export interface ParseResult {
  records: RawRecord[];
  problems: CollectionProblem[];
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

// ---------------------------------------------------------------------------
// Hugging Face papers page, saved as text: header lines, then title / abstract
// lines; the first title is glued to the "Subscribe" button label.

const HF_HEADER = [/^get trending papers in your email inbox/i, /^subscribe$/i];
const SUBSCRIBE_PREFIX = /^Subscribe(?=[\p{Lu}\p{N}"'“(\[])/u;

/** Lines this long are abstracts: arXiv titles are almost never over 300 characters. */
const ABSTRACT_MIN_CHARS = 300;
// A period followed by a new capitalised sentence: abstracts have several, titles none.
const SENTENCE_BREAK = /(?<!\.)\.\s+[\p{Lu}\p{N}]/gu;

function sentenceBreaks(line: string): number {
  return line.match(SENTENCE_BREAK)?.length ?? 0;
}

/** Long, or several sentences: cannot be a title. */
function isClearlyAbstract(line: string): boolean {
  return line.length >= ABSTRACT_MIN_CHARS || (line.length >= 100 && sentenceBreaks(line) >= 2);
}

/** Short, one phrase, no closing period (an ellipsis is fine): cannot be an abstract. */
function isClearlyTitle(line: string): boolean {
  const endsWithPeriod = /(?<!\.)\.["')\]]?$/u.test(line);
  return line.length < ABSTRACT_MIN_CHARS && !endsWithPeriod && sentenceBreaks(line) === 0;
}

/**
 * Titles and abstracts are expected to alternate, but a line that clearly has
 * the other role resynchronises the reading, so one missing line costs one
 * problem instead of shifting every pair after it.
 */
export function parseHfPapersText(text: string, file: string): ParseResult {
  const records: RawRecord[] = [];
  const problems: CollectionProblem[] = [];
  let pending: { title: string; line: number } | undefined;
  let inHeader = true;

  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = normaliseWhitespace(lines[i]!);
    if (!line) continue;
    if (inHeader) {
      if (HF_HEADER.some((re) => re.test(line))) continue;
      line = line.replace(SUBSCRIBE_PREFIX, '').trim();
      inHeader = false;
    }

    if (!pending) {
      if (isClearlyAbstract(line)) {
        problems.push({ file, line: lineNo, message: 'abstract without a title line before it; skipped' });
      } else {
        pending = { title: line, line: lineNo };
      }
      continue;
    }
    if (isClearlyTitle(line)) {
      problems.push({
        file,
        line: pending.line,
        message: `title "${pending.title}" has no abstract line after it; skipped`,
      });
      pending = { title: line, line: lineNo };
      continue;
    }
    records.push({ title: pending.title, abstract: line, line: pending.line });
    pending = undefined;
  }
  if (pending) {
    problems.push({
      file,
      line: pending.line,
      message: `title "${pending.title}" at the end of the file has no abstract; skipped`,
    });
  }
  return { records, problems };
}

// ---------------------------------------------------------------------------
// JSONL: one JSON object per line.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

const stringList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (typeof v === 'string' ? v.split(/\s*[,;]\s*/) : v).map((s) => s.trim()).filter(Boolean));

const jsonlRecord = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  title: z.string().trim().min(1, 'title is empty'),
  abstract: z.string().trim().min(1, 'abstract is empty'),
  url: z.url({ protocol: /^https?$/ }).optional(),
  authors: stringList.optional(),
  published: z
    .string()
    .regex(ISO_DATE, 'published must be an ISO date (YYYY-MM-DD)')
    .refine((s) => !Number.isNaN(Date.parse(s.slice(0, 10))), 'published is not a real date')
    .transform((s) => s.slice(0, 10))
    .optional(),
  tags: stringList.optional(),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function parseJsonl(text: string, file: string): ParseResult {
  const records: RawRecord[] = [];
  const problems: CollectionProblem[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw) continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push({ file, line, message: `not valid JSON (${(err as Error).message}); skipped` });
      continue;
    }
    const parsed = jsonlRecord.safeParse(value);
    if (!parsed.success) {
      problems.push({ file, line, message: `invalid record: ${describeIssues(parsed.error)}; skipped` });
      continue;
    }
    const { title, abstract, ...rest } = parsed.data;
    records.push({
      title: normaliseWhitespace(title),
      abstract: normaliseWhitespace(abstract),
      ...withoutUndefined(rest),
      line,
    });
  }
  return { records, problems };
}

function withoutUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------
// arXiv API Atom feed: read by the feeds layer (one reader for files and the live API).

export function parseArxivAtom(xml: string, file: string): ParseResult {
  let feed: ArxivAtomFeed;
  try {
    feed = readArxivAtom(xml);
  } catch (err) {
    if (!(err instanceof FeedFormatError)) throw err;
    return { records: [], problems: [{ file, line: err.line, message: err.message }] };
  }
  const problems: CollectionProblem[] = [
    ...feed.errors.map((e) => ({ file, line: e.line, message: `arXiv API error: ${e.message}` })),
    ...feed.problems.map((p) => ({ file, line: p.line, message: p.message })),
  ];
  const records: RawRecord[] = feed.entries.map((e) => ({
    title: e.title,
    abstract: e.abstract,
    ...(e.id ? { id: e.id } : {}),
    ...(e.url ? { url: e.url } : {}),
    authors: e.authors,
    ...(e.published ? { published: e.published } : {}),
    tags: e.categories,
    line: e.line,
  }));
  problems.sort((a, b) => a.line - b.line);
  return { records, problems };
}
