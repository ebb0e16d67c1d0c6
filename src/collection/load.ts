import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { absUrl, versionedId } from '../feeds/arxiv-id.js';
import { ABSTRACT_MAX_CHARS, TITLE_MAX_CHARS } from '../rules/paper.js';
import { arxivIdIn, identityOf, IdentityIndex } from './identity.js';
import { contentHash, normaliseTitle, paperId } from './ids.js';
import { arxivSearchUrl, extractCodeLinks } from './links.js';
import { parseArxivAtom, parseHfPapersText, parseJsonl, type ParseResult, type RawRecord } from './parse.js';
import type { Collection, CollectionProblem, LibraryChanges, Paper, PaperRecord, PaperRemoval } from './types.js';

export type CollectionFormat = 'hf-text' | 'jsonl' | 'atom';

const FORMAT_BY_EXTENSION: Record<string, CollectionFormat> = {
  '.txt': 'hf-text',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.xml': 'atom',
  '.atom': 'atom',
};

/** `source.file` of papers added through paperbot (stored in the state database, not in a file). */
export const LIBRARY_SOURCE = 'library';

/** Extension first; content decides when the extension says nothing (or claims text but holds JSON/XML). */
export function detectFormat(file: string, text: string): CollectionFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const byExtension = FORMAT_BY_EXTENSION[extname(file).toLowerCase()];
  if (byExtension && byExtension !== 'hf-text') return byExtension;
  if (start.startsWith('{')) return 'jsonl';
  if (start.startsWith('<') && /<feed[\s>]/.test(start.slice(0, 2000))) return 'atom';
  return 'hf-text';
}

function parseAs(format: CollectionFormat, text: string, file: string): ParseResult {
  switch (format) {
    case 'hf-text':
      return parseHfPapersText(text, file);
    case 'jsonl':
      return parseJsonl(text, file);
    case 'atom':
      return parseArxivAtom(text, file);
  }
}

const paperSchema = z.object({
  id: z.string().min(1),
  title: z
    .string()
    .min(1, 'title is empty')
    .max(TITLE_MAX_CHARS, `title is longer than ${TITLE_MAX_CHARS} characters (an abstract in the title line?)`)
    .refine((t) => normaliseTitle(t) !== '', 'title has no words, only punctuation'),
  abstract: z
    .string()
    .min(1, 'abstract is empty')
    .max(ABSTRACT_MAX_CHARS, `abstract is longer than ${ABSTRACT_MAX_CHARS} characters`),
  url: z.url({ protocol: /^https?$/ }).optional(),
  arxivId: z.string().min(1).optional(),
  searchUrl: z.url(),
  authors: z.array(z.string().min(1)),
  published: z.iso.date().optional(),
  tags: z.array(z.string().min(1)),
  codeLinks: z.array(z.object({ url: z.url(), kind: z.enum(['github', 'gitlab', 'huggingface', 'project']) })),
  hash: z.string().min(1),
  source: z.object({ file: z.string(), line: z.number().int().nonnegative() }),
});

function urlFor(record: RawRecord, arxiv: { id: string; version?: number } | undefined): string | undefined {
  if (record.url) return record.url;
  // An arXiv id or link ("2101.00001", "cs/0112017v2", "arXiv:…", an abs/pdf link) names its abstract page.
  if (arxiv) return absUrl(arxiv.id, arxiv.version);
  if (record.id && /^https?:\/\//.test(record.id)) return record.id;
  return undefined;
}

function toPaper(record: RawRecord, file: string): Paper {
  const arxiv = arxivIdIn(record.id, record.url);
  const paper: Paper = {
    id: paperId(record.title),
    title: record.title,
    abstract: record.abstract,
    searchUrl: arxivSearchUrl(record.title),
    authors: record.authors ?? [],
    tags: record.tags ?? [],
    codeLinks: extractCodeLinks(record.abstract),
    hash: contentHash(record.title, record.abstract),
    source: { file, line: record.line },
  };
  const url = urlFor(record, arxiv);
  if (url) paper.url = url;
  if (arxiv) paper.arxivId = arxiv.id;
  if (record.published) paper.published = record.published;
  return paper;
}

/** A stored addition as a record of the collection (its `seq` stands in for the line number). */
export function recordToRaw(record: PaperRecord, seq: number): RawRecord {
  return {
    title: record.title,
    abstract: record.abstract,
    ...(record.arxivId ? { id: versionedId(record.arxivId, record.version) } : {}),
    ...(record.url ? { url: record.url } : {}),
    authors: record.authors,
    ...(record.published ? { published: record.published } : {}),
    tags: record.categories,
    line: seq,
  };
}

/** Is this paper one of the removed ones (by id, arXiv id or normalised title)? */
export function isRemoved(paper: Paper, removals: readonly PaperRemoval[] | IdentityIndex<PaperRemoval>): boolean {
  const index = removals instanceof IdentityIndex ? removals : removalIndex(removals);
  return index.has(identityOf(paper));
}

function removalIndex(removals: readonly PaperRemoval[]): IdentityIndex<PaperRemoval> {
  const index = new IdentityIndex<PaperRemoval>();
  for (const r of removals) index.add(r, { id: r.paperId, ...(r.arxivId ? { arxivId: r.arxivId } : {}), titleKey: r.titleKey });
  return index;
}

/**
 * Builds the collection from parsed files: validates, drops duplicate titles (first wins), hashes.
 * With `changes` (the state database's additions and removals), the live collection: the files'
 * papers, then the additions the files do not already hold, minus the removed papers.
 */
export function buildCollection(parsed: { file: string; result: ParseResult }[], changes?: LibraryChanges): Collection {
  const papers: Paper[] = [];
  const problems: CollectionProblem[] = [];
  const firstById = new Map<string, Paper>();
  const duplicatesById = new Map<string, Collection['duplicates'][number]>();

  for (const { file, result } of parsed) {
    problems.push(...result.problems);
    for (const record of result.records) {
      const paper = toPaper(record, file);
      const check = paperSchema.safeParse(paper);
      if (!check.success) {
        const why = check.error.issues.map((i) => `${i.path.join('.') || 'paper'}: ${i.message}`).join('; ');
        problems.push({ file, line: record.line, message: `invalid paper: ${why}; skipped` });
        continue;
      }
      const first = firstById.get(paper.id);
      if (!first) {
        firstById.set(paper.id, paper);
        papers.push(paper);
        continue;
      }
      let dup = duplicatesById.get(paper.id);
      if (!dup) {
        dup = { title: first.title, id: paper.id, sources: [first.source] };
        duplicatesById.set(paper.id, dup);
      }
      dup.sources.push(paper.source);
    }
  }
  if (!changes) return { papers, problems, duplicates: [...duplicatesById.values()], hash: collectionHash(papers) };

  const known = new IdentityIndex<Paper>(papers, identityOf);
  for (const { seq, record } of changes.additions) {
    const paper = toPaper(recordToRaw(record, seq), LIBRARY_SOURCE);
    // Re-adding a paper the files hold (after removing it) brings the file's record back.
    if (known.has(identityOf(paper))) continue;
    const check = paperSchema.safeParse(paper);
    if (!check.success) {
      problems.push({ file: LIBRARY_SOURCE, line: seq, message: `invalid added paper: ${check.error.issues.map((i) => i.message).join('; ')}; skipped` });
      continue;
    }
    known.add(paper, identityOf(paper));
    papers.push(paper);
  }
  const removed = removalIndex(changes.removals);
  const live = changes.removals.length ? papers.filter((p) => !isRemoved(p, removed)) : papers;
  return { papers: live, problems, duplicates: [...duplicatesById.values()], hash: collectionHash(live) };
}

/** Order-independent: the same set of papers gives the same hash. */
export function collectionHash(papers: readonly Pick<Paper, 'id' | 'hash'>[]): string {
  const lines = papers.map((p) => `${p.id} ${p.hash}\n`).sort();
  const sha = createHash('sha256');
  for (const line of lines) sha.update(line);
  return sha.digest('hex').slice(0, 16);
}

/** Parses one file's text (no disk access); `format` defaults to detection by name and content. */
export function parseCollectionText(text: string, file: string, format?: CollectionFormat): Collection {
  return buildCollection([{ file, result: parseAs(format ?? detectFormat(file, text), text, file) }]);
}

async function readCollectionFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserFacingError(
        `Collection file not found: ${file}. Check the path, or point to your collection (e.g. data/papers.txt).`,
      );
    }
    if (code === 'EISDIR') {
      throw new UserFacingError(`${file} is a folder, not a collection file. Give the .txt, .jsonl or .xml file inside it.`);
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UserFacingError(`Cannot read collection file ${file}: permission denied. Fix its permissions and retry.`);
    }
    throw new UserFacingError(`Cannot read collection file ${file} (${code ?? (err as Error).message}).`);
  }
}

/** Parsed files by path, reused while the file is unchanged (the live collection is rebuilt on every addition). */
const parsedFiles = new Map<string, { stamp: string; result: ParseResult }>();

async function parseCollectionFile(file: string): Promise<ParseResult> {
  const info = await stat(file).catch(() => undefined);
  const stamp = info ? `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}` : '';
  const cached = parsedFiles.get(file);
  if (cached && stamp && cached.stamp === stamp) return cached.result;
  const text = await readCollectionFile(file);
  const result = parseAs(detectFormat(file, text), text, file);
  if (stamp) parsedFiles.set(file, { stamp, result });
  return result;
}

/**
 * Reads and merges collection files (.txt Hugging Face page, .jsonl, arXiv .xml/.atom).
 * Bad records become `problems`; a missing file or a collection without a single
 * readable paper is a UserFacingError.
 */
export async function loadCollection(files: string[], changes?: LibraryChanges): Promise<Collection> {
  if (files.length === 0) {
    throw new UserFacingError('No collection file given. Point to one, e.g. data/papers.txt.');
  }
  const parsed = await Promise.all(files.map(async (file) => ({ file, result: await parseCollectionFile(file) })));
  const collection = buildCollection(parsed, changes);
  if (collection.papers.length === 0) {
    const first = collection.problems[0];
    throw new UserFacingError(
      `No papers could be read from ${files.join(', ')}.` +
        (first ? ` First problem: ${first.file}:${first.line}: ${first.message}` : ' The file is empty.'),
    );
  }
  return collection;
}
