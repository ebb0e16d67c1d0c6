import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { absUrl, parseArxivId, versionedId } from '../feeds/arxiv-id.js';
import { ABSTRACT_MAX_CHARS, TITLE_MAX_CHARS } from '../rules/paper.js';
import { arxivIdIn, identityOf, IdentityIndex } from './identity.js';
import { contentHash, normaliseTitle, MAX_PAPER_ID_CHARS, paperId, sameTitlePaperId, sourcePaperId } from './ids.js';
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

/** The arXiv id (without version) of an id or link, if it is one. */
function arxivIdOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const parsed = parseArxivId(text);
  return parsed.ok ? parsed.id : undefined;
}

/** The source's id (an arXiv id in the id, the id itself, an arXiv link), else undefined. */
function sourceIdOf(record: RawRecord): string | undefined {
  if (record.id) return sourcePaperId(record.id, arxivIdOf(record.id));
  const fromUrl = arxivIdOf(record.url);
  return fromUrl ? sourcePaperId(undefined, fromUrl) : undefined;
}

function toPaper(record: RawRecord, file: string): Paper {
  const arxiv = arxivIdIn(record.id, record.url);
  const paper: Paper = {
    id: sourceIdOf(record) ?? paperId(record.title),
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

/**
 * The papers of `all` that the removals take out. A removal names its paper by id or arXiv id;
 * only when no paper has that id or arXiv id any more (ids derived from titles can change between
 * versions of paperbot) does it fall back to the normalised title.
 */
export function removedPapers(all: readonly Paper[], removals: readonly PaperRemoval[]): Set<Paper> {
  const byId = new Map(all.map((p) => [p.id, p]));
  const byArxiv = new Map(all.filter((p) => p.arxivId).map((p) => [p.arxivId!, p]));
  const hit = new Set<Paper>();
  for (const r of removals) {
    const exact = byId.get(r.paperId) ?? (r.arxivId ? byArxiv.get(r.arxivId) : undefined);
    if (exact) hit.add(exact);
    else for (const p of all) if (normaliseTitle(p.title) === r.titleKey) hit.add(p);
  }
  return hit;
}

/**
 * Builds the collection from parsed files: validates, hashes, and keeps every paper in its place.
 * A paper's id is its source's id where there is one, else derived from its title. Only true
 * duplicates are dropped (first wins): the same source id, or the same title and the same abstract
 * where the source did not tell the two apart by ids. Papers that merely share a title stay
 * distinct papers and are reported in `sameTitle`.
 * With `changes` (the state database's additions and removals), the live collection: the files'
 * papers, then the additions the files do not already hold (same arXiv id or normalised title),
 * minus the removed papers.
 */
export function buildCollection(parsed: { file: string; result: ParseResult }[], changes?: LibraryChanges): Collection {
  const papers: Paper[] = [];
  const problems: CollectionProblem[] = [];
  const byId = new Map<string, Paper>();
  const byContent = new Map<string, Paper>();
  const byTitle = new Map<string, Paper[]>();
  const fromSource = new Set<string>();
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
      const sourced = sourceIdOf(record) !== undefined;
      const titleKey = normaliseTitle(paper.title);
      const contentKey = `${titleKey}\n${paper.abstract}`;
      // Two records whose sources gave them different ids are two papers, whatever their text.
      const sameText = byContent.get(contentKey);
      const first =
        (sourced && fromSource.has(paper.id) ? byId.get(paper.id) : undefined) ??
        (sameText && !(sourced && fromSource.has(sameText.id)) ? sameText : undefined);
      if (first) {
        let dup = duplicatesById.get(first.id);
        if (!dup) {
          dup = { title: first.title, id: first.id, sources: [first.source] };
          duplicatesById.set(first.id, dup);
        }
        dup.sources.push(paper.source);
        continue;
      }
      if (byId.has(paper.id)) paper.id = uniqueId(sourced ? paper.id : sameTitlePaperId(paper.title, paper.abstract), byId);
      byId.set(paper.id, paper);
      if (!byContent.has(contentKey)) byContent.set(contentKey, paper);
      if (sourced) fromSource.add(paper.id);
      byTitle.set(titleKey, [...(byTitle.get(titleKey) ?? []), paper]);
      papers.push(paper);
    }
  }
  const added = changes ? addChanges(papers, byId, problems, changes) : papers;
  const sameTitle = [...byTitle.values()].filter((g) => g.length > 1).map((g) => ({ title: g[0]!.title, ids: g.map((p) => p.id) }));
  return { papers: added, problems, duplicates: [...duplicatesById.values()], sameTitle, hash: collectionHash(added) };
}

/** The files' papers plus the additions they do not hold, minus the removed ones. */
function addChanges(papers: Paper[], byId: Map<string, Paper>, problems: CollectionProblem[], changes: LibraryChanges): Paper[] {
  const known = new IdentityIndex<Paper>(papers, identityOf);
  const all = [...papers];
  for (const { seq, record } of changes.additions) {
    const paper = toPaper(recordToRaw(record, seq), LIBRARY_SOURCE);
    // Re-adding a paper the files hold (after removing it) brings the file's record back.
    if (known.has(identityOf(paper))) continue;
    const check = paperSchema.safeParse(paper);
    if (!check.success) {
      problems.push({ file: LIBRARY_SOURCE, line: seq, message: `invalid added paper: ${check.error.issues.map((i) => i.message).join('; ')}; skipped` });
      continue;
    }
    paper.id = uniqueId(paper.id, byId);
    byId.set(paper.id, paper);
    known.add(paper, identityOf(paper));
    all.push(paper);
  }
  if (changes.removals.length === 0) return all;
  const removed = removedPapers(all, changes.removals);
  return all.filter((p) => !removed.has(p));
}

/** `id`, or `id-2`, `id-3`… (kept within MAX_PAPER_ID_CHARS): the first that no paper has. */
function uniqueId(id: string, taken: ReadonlyMap<string, unknown>): string {
  if (!taken.has(id)) return id;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${id.slice(0, MAX_PAPER_ID_CHARS - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
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
