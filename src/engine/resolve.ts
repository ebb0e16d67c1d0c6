// Finding the paper a person means: by id (ours, or an arXiv id or link), by title, or by words
// of a title. Several matches are ambiguous, not missing: the caller lists them.
import { sourcePaperId } from '../collection/ids.js';
import type { Paper } from '../collection/types.js';
import { UserFacingError } from '../errors.js';
import { parseArxivId } from '../feeds/arxiv-id.js';
import type { PaperResolution } from './types.js';

/** At most this many candidates are listed (a Discord select menu holds 25). */
export const MAX_CANDIDATES = 25;

export function normTitle(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Looks like a paper id rather than words: a title slug with its hash, an arXiv id, or one long token with digits and separators. */
export function looksLikeId(text: string): boolean {
  const s = text.trim();
  if (/\s/.test(s)) return false;
  if (/^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{6}$/.test(s)) return true;
  if (parseArxivId(s).ok) return true;
  return s.length >= 12 && /\d/.test(s) && /[-_./:]/.test(s);
}

export class PaperResolver {
  private readonly byId = new Map<string, Paper>();
  private readonly byTitle = new Map<string, Paper[]>();
  /** ` normalised title ` per paper, so a typed title is matched without re-normalising all titles per call. */
  private readonly padded: { paper: Paper; padded: string }[] = [];

  constructor(papers: readonly Paper[]) {
    for (const p of papers) {
      if (!this.byId.has(p.id)) this.byId.set(p.id, p);
      const key = normTitle(p.title);
      this.byTitle.set(key, [...(this.byTitle.get(key) ?? []), p]);
      this.padded.push({ paper: p, padded: ` ${key} ` });
    }
  }

  resolve(text: string): PaperResolution {
    const raw = typeof text === 'string' ? text.trim() : '';
    if (!raw) return { kind: 'none' };
    const direct = this.byId.get(raw) ?? this.byArxivId(raw);
    if (direct) return { kind: 'found', paper: direct };
    const needle = normTitle(raw);
    const exact = this.byTitle.get(needle);
    if (exact) return exact.length === 1 ? { kind: 'found', paper: exact[0]! } : { kind: 'ambiguous', candidates: exact.slice(0, MAX_CANDIDATES) };
    // A typed title or part of one ("NIRVANA"): its words must occur, whole, in a title.
    if (needle.length < 3) return { kind: 'none' };
    const matches = this.padded.filter((t) => t.padded.includes(` ${needle} `)).map((t) => t.paper);
    if (matches.length === 1) return { kind: 'found', paper: matches[0]! };
    if (matches.length > 1) return { kind: 'ambiguous', candidates: matches.slice(0, MAX_CANDIDATES) };
    return { kind: 'none' };
  }

  private byArxivId(raw: string): Paper | undefined {
    const parsed = parseArxivId(raw);
    if (!parsed.ok) return undefined;
    const id = sourcePaperId(undefined, parsed.id);
    return id ? this.byId.get(id) : undefined;
  }
}

/** A name that fits several papers: the message lists them with their ids (the CLI exits 2). */
export class AmbiguousPaperError extends UserFacingError {
  constructor(
    readonly typed: string,
    readonly candidates: readonly Paper[],
  ) {
    super(
      `"${typed.slice(0, 80)}" matches ${candidates.length}${candidates.length >= MAX_CANDIDATES ? '+' : ''} papers; name one by its id:\n` +
        candidates.map((p) => `  ${p.id}  ${p.title.replace(/\s+/g, ' ').slice(0, 120)}`).join('\n'),
    );
  }
}

/** The paper `text` names, or a clear error: ambiguous names list their candidates, unknown ids say so. */
export function requirePaper(resolution: PaperResolution, text: string): Paper {
  if (resolution.kind === 'found') return resolution.paper;
  if (resolution.kind === 'ambiguous') throw new AmbiguousPaperError(text, resolution.candidates);
  throw new UserFacingError(`No paper matches "${text.slice(0, 80)}". Try: paperbot find "${text.slice(0, 40)}"`);
}
