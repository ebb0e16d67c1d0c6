/**
 * The collection as the index generation keeps it (papers.bin): every paper record column by column
 * (ids, titles, abstracts, hashes, code links…, as parsed, validated and derived at ingest) plus what
 * the collection said about itself (skipped records, duplicates), so that a start-up with unchanged
 * collection files reads them back instead of parsing, validating and hashing again.
 */
import type { CodeLink, Collection, Paper } from '../collection/types.js';
import { BinaryReader, BinaryWriter } from './binary-file.js';

/** A paper's fields that have their own columns; any other field rides in the per-paper `extra` JSON. */
const CORE = new Set(['id', 'title', 'abstract', 'searchUrl', 'authors', 'tags', 'codeLinks', 'hash', 'source', 'url', 'published']);

/** Everything of a Collection but its papers. */
export type CollectionNotes = Omit<Collection, 'papers'>;

export function encodePaperRecords(collection: Collection): Buffer {
  const papers = collection.papers;
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const sourceFile = new Uint32Array(papers.length);
  const sourceLine = new Uint32Array(papers.length);
  const lists = { authors: [] as string[], tags: [] as string[], links: [] as string[] };
  const ends = { authors: new Uint32Array(papers.length + 1), tags: new Uint32Array(papers.length + 1), links: new Uint32Array(papers.length + 1) };
  const kinds: number[] = [];
  const extra: string[] = [];
  papers.forEach((p, i) => {
    let f = fileIndex.get(p.source.file);
    if (f === undefined) fileIndex.set(p.source.file, (f = files.push(p.source.file) - 1));
    sourceFile[i] = f;
    sourceLine[i] = p.source.line;
    lists.authors.push(...p.authors);
    lists.tags.push(...p.tags);
    for (const link of p.codeLinks) {
      lists.links.push(link.url);
      kinds.push(LINK_KINDS.indexOf(link.kind));
    }
    ends.authors[i + 1] = lists.authors.length;
    ends.tags[i + 1] = lists.tags.length;
    ends.links[i + 1] = lists.links.length;
    const rest = Object.entries(p).filter(([key]) => !CORE.has(key));
    extra.push(rest.length ? JSON.stringify(Object.fromEntries(rest)) : '');
  });
  const { papers: _papers, fromGeneration: _from, ...notes } = collection;
  return new BinaryWriter()
    .json('notes', notes)
    .strings('id', papers.map((p) => p.id))
    .strings('title', papers.map((p) => p.title))
    .strings('abstract', papers.map((p) => p.abstract))
    .strings('searchUrl', papers.map((p) => p.searchUrl))
    .strings('hash', papers.map((p) => p.hash))
    .strings('url', papers.map((p) => p.url ?? ''))
    .strings('published', papers.map((p) => p.published ?? ''))
    .strings('files', files)
    .array('sourceFile', sourceFile)
    .array('sourceLine', sourceLine)
    .strings('authors', lists.authors)
    .array('authorEnds', ends.authors)
    .strings('tags', lists.tags)
    .array('tagEnds', ends.tags)
    .strings('linkUrls', lists.links)
    .array('linkKinds', Uint8Array.from(kinds))
    .array('linkEnds', ends.links)
    .strings('extra', extra)
    .toBuffer();
}

const LINK_KINDS: readonly CodeLink['kind'][] = ['github', 'gitlab', 'huggingface', 'project'];

/** The collection saved by encodePaperRecords. Throws when the file is damaged. */
export function decodePaperRecords(reader: BinaryReader): Collection {
  const id = reader.strings('id');
  const n = id.length;
  const columns = ['title', 'abstract', 'searchUrl', 'hash', 'url', 'published', 'extra'] as const;
  const [title, abstract, searchUrl, hash, url, published, extra] = columns.map((c) => reader.strings(c));
  const files = reader.strings('files');
  const sourceFile = reader.u32('sourceFile');
  const sourceLine = reader.u32('sourceLine');
  const authors = reader.strings('authors');
  const authorEnds = reader.u32('authorEnds');
  const tags = reader.strings('tags');
  const tagEnds = reader.u32('tagEnds');
  const linkUrls = reader.strings('linkUrls');
  const linkKinds = reader.u8('linkKinds');
  const linkEnds = reader.u32('linkEnds');
  const lengths = [title, abstract, searchUrl, hash, url, published, extra].map((c) => c!.length);
  if (lengths.some((l) => l !== n) || sourceFile.length !== n || sourceLine.length !== n || [authorEnds, tagEnds, linkEnds].some((e) => e.length !== n + 1)) {
    throw new Error('papers.bin is damaged (columns of different lengths)');
  }
  if (authorEnds[n] !== authors.length || tagEnds[n] !== tags.length || linkEnds[n] !== linkUrls.length || linkKinds.length !== linkUrls.length) {
    throw new Error('papers.bin is damaged (lists)');
  }
  const papers = new Array<Paper>(n);
  for (let i = 0; i < n; i++) {
    const file = files[sourceFile[i]!];
    if (file === undefined) throw new Error('papers.bin is damaged (source file)');
    const codeLinks: CodeLink[] = [];
    for (let l = linkEnds[i]!; l < linkEnds[i + 1]!; l++) codeLinks.push({ url: linkUrls[l]!, kind: LINK_KINDS[linkKinds[l]!] ?? 'project' });
    const paper: Paper = {
      id: id[i]!,
      title: title![i]!,
      abstract: abstract![i]!,
      searchUrl: searchUrl![i]!,
      authors: authors.slice(authorEnds[i]!, authorEnds[i + 1]!),
      tags: tags.slice(tagEnds[i]!, tagEnds[i + 1]!),
      codeLinks,
      hash: hash![i]!,
      source: { file, line: sourceLine[i]! },
    };
    if (url![i]) paper.url = url![i];
    if (published![i]) paper.published = published![i];
    if (extra![i]) Object.assign(paper, JSON.parse(extra![i]!) as object);
    papers[i] = paper;
  }
  return { papers, ...reader.json<CollectionNotes>('notes') };
}
