/**
 * Title autocomplete for Discord's option choices: typo-tolerant prefix search over
 * title words, plus the paper id for people who paste one.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Paper } from '../collection/types.js';
import { lowerBound } from './sorted.js';
import { TitleIndex, type TitleSearchOptions } from './title-index.js';
import type { Suggestion } from './types.js';

/** Discord allows at most 25 choices of at most 100 characters. */
export const MAX_SUGGESTIONS = 25;
export const MAX_NAME_LENGTH = 100;
/** Longer input is cut: nobody types a 10,000-character title, and fuzzy search cost grows with it. */
const MAX_PREFIX_LENGTH = 120;
/** Fuzzy matching on more words than this buys nothing but time. */
const MAX_QUERY_WORDS = 8;
/** Longer than any title word; a 120-letter "word" would make fuzzy matching slow. */
const MAX_WORD_LENGTH = 30;
/** Typo-tolerant passes run only when the exact-prefix pass found fewer titles than this. */
const FUZZY_BELOW = 5;

/** Cuts `text` to at most `max` characters on a word boundary, ending with "…". */
export function truncateName(text: string, max = MAX_NAME_LENGTH): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const room = clean.slice(0, max - 1);
  const lastSpace = room.lastIndexOf(' ');
  const cut = lastSpace > max / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/** Search words: letters and digits, lower case, without accents. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The title index in an index generation (written by ingest, read on the first autocomplete). */
const TITLE_INDEX_FILE = 'suggest.bin';

/** Papers once each (the first of an id), in order: the documents of the title index. */
function uniquePapers(papers: readonly Paper[]): Paper[] {
  const byId = new Map<string, Paper>();
  for (const p of papers) if (!byId.has(p.id)) byId.set(p.id, p);
  return [...byId.values()];
}

export async function saveTitleIndex(genDir: string, papers: readonly Paper[]): Promise<void> {
  await writeFile(path.join(genDir, TITLE_INDEX_FILE), TitleIndex.build(uniquePapers(papers), words).toBuffer());
}

/** The generation's saved title index, or undefined when it has none or it is damaged (the suggester builds one). */
export function loadTitleIndex(genDir: string): TitleIndex | undefined {
  try {
    return TitleIndex.fromBuffer(readFileSync(path.join(genDir, TITLE_INDEX_FILE)));
  } catch {
    return undefined;
  }
}

const lastWordIsPrefix = (_term: string, i: number, terms: string[]) => i === terms.length - 1;
const typoTolerance = (term: string) => (term.length >= 4 ? 0.2 : false);

/**
 * The autocomplete's searches, cheapest first: exact/prefix matches of every word; typo-tolerant and
 * any-word passes only while there is room, so a well-typed prefix costs little even at 50k titles.
 */
export const SUGGEST_PASSES = [
  { prefix: lastWordIsPrefix, combineWith: 'AND' },
  { prefix: lastWordIsPrefix, fuzzy: typoTolerance, maxFuzzy: 3, combineWith: 'AND' },
  { prefix: lastWordIsPrefix, fuzzy: typoTolerance, maxFuzzy: 3, combineWith: 'OR' },
] as const satisfies readonly TitleSearchOptions[];

export class TitleSuggester {
  private readonly index: TitleIndex;
  private readonly byId = new Map<string, Paper>();
  /** Ids in sorted order, for prefix lookup by binary search. */
  private readonly sortedIds: string[];
  /** What an empty prefix shows: newest first when dates are known, then by title. */
  private readonly defaultSuggestions: Suggestion[];

  /** `saved`: the title index saved with these papers (else one is built here). */
  constructor(papers: readonly Paper[], saved?: TitleIndex) {
    const unique = uniquePapers(papers);
    for (const p of unique) this.byId.set(p.id, p);
    this.sortedIds = unique.map((p) => p.id).sort();
    this.defaultSuggestions = [...unique]
      .sort((a, b) => (b.published ?? '').localeCompare(a.published ?? '') || a.title.localeCompare(b.title))
      .slice(0, MAX_SUGGESTIONS)
      .map(toSuggestion);
    // A saved index serves only the very same papers (in any order: hits are mapped by id).
    const fits = saved?.size === unique.length && saved.ids.every((id) => this.byId.has(id));
    this.index = fits ? saved! : TitleIndex.build(unique, words);
  }

  suggest(prefix: string, limit = MAX_SUGGESTIONS): Suggestion[] {
    const max = Math.max(0, Math.min(MAX_SUGGESTIONS, Number.isFinite(limit) ? Math.floor(limit) : MAX_SUGGESTIONS));
    if (max === 0) return [];
    const input = (typeof prefix === 'string' ? prefix : '').slice(0, MAX_PREFIX_LENGTH).trim();
    if (!input) return this.defaultSuggestions.slice(0, max);

    const results: Paper[] = [];
    const seen = new Set<string>();
    const add = (p: Paper | undefined) => {
      if (p && !seen.has(p.id) && results.length < max) {
        seen.add(p.id);
        results.push(p);
      }
    };

    // Someone pasted or is typing an id ("nirvana-neural-…-3fa2c1"); a lone word is a title word.
    const idPrefix = input.toLowerCase();
    add(this.byId.get(idPrefix));
    if (/^[a-z0-9]+-[a-z0-9-]*$/.test(idPrefix)) for (const id of this.idsStartingWith(idPrefix, max)) add(this.byId.get(id));

    const query = words(input)
      .slice(0, MAX_QUERY_WORDS)
      .map((w) => w.slice(0, MAX_WORD_LENGTH));
    if (query.length > 0) {
      for (const [i, options] of SUGGEST_PASSES.entries()) {
        // Typo tolerance is the costly part: only when exact prefixes found (almost) nothing.
        if (results.length >= max || (i > 0 && results.length >= Math.min(max, FUZZY_BELOW))) break;
        for (const d of this.index.search(query, options)) add(this.byId.get(this.index.ids[d]!));
      }
    }
    return results.map(toSuggestion);
  }

  private idsStartingWith(prefix: string, max: number): string[] {
    const out: string[] = [];
    for (let i = lowerBound(this.sortedIds, prefix); i < this.sortedIds.length && out.length < max && this.sortedIds[i]!.startsWith(prefix); i++) {
      out.push(this.sortedIds[i]!);
    }
    return out;
  }
}

function toSuggestion(p: Paper): Suggestion {
  return { name: truncateName(p.title) || p.id.slice(0, MAX_NAME_LENGTH), value: p.id };
}
