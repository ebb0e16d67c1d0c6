import { createHash } from 'node:crypto';

// Invisible format characters (zero-width joiners, bidi marks, BOM) would make
// two visually identical titles get different ids, so they are dropped.
const FORMAT_CHARS = /\p{Cf}/gu;
const PUNCTUATION = /\p{P}/gu;
const SLUG_MAX = 40;
const HASH_HEX = 6;
const NEEDS_COLLAPSE = /\s\s|[^\S ]/;

/** Collapse runs of whitespace (including newlines and NBSP) to one space and trim. */
export function normaliseWhitespace(text: string): string {
  // Fast path: most lines only need trimming, and replace() on every line is the slow part of loading.
  return NEEDS_COLLAPSE.test(text) ? text.replace(/\s+/g, ' ').trim() : text.trim();
}

/**
 * The key two titles must share to count as the same paper:
 * NFKC, lowercase, no punctuation, single spaces. Emoji and other symbols are
 * kept so titles made only of them still get distinct keys.
 */
export function normaliseTitle(title: string): string {
  return normaliseWhitespace(
    title.normalize('NFKC').toLowerCase().replace(FORMAT_CHARS, '').replace(PUNCTUATION, ' '),
  );
}

function slugify(key: string): string {
  // Strip accents so "Café" reads as "cafe"; everything non-ASCII-alphanumeric
  // separates words (ids end up in URLs, Discord custom ids and file names).
  const words = key
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > SLUG_MAX) {
      if (!slug) slug = word.slice(0, SLUG_MAX);
      break;
    }
    slug = next;
  }
  return slug || 'paper';
}

/**
 * Stable, readable id from the title alone, so it never changes when other
 * papers are added, removed or reordered: `<slug of first words>-<6 hex of sha1>`.
 */
export function paperId(title: string): string {
  const key = normaliseTitle(title);
  const digest = createHash('sha1').update(key).digest('hex').slice(0, HASH_HEX);
  return `${slugify(key)}-${digest}`;
}

/**
 * Hash of the text that gets embedded: an unchanged paper is not embedded again.
 * Parsers already normalise whitespace, so the text is hashed as given.
 */
export function contentHash(title: string, abstract: string): string {
  return createHash('sha256')
    .update(`${title}\n${abstract}`)
    .digest('hex')
    .slice(0, 16);
}

/**
 * Longest paper id: ids travel in Discord custom ids and select-menu values (≤ 100 characters),
 * behind a prefix such as "similar:more:".
 */
export const MAX_PAPER_ID_CHARS = 64;
/** What a source id may keep as it is; anything else becomes "_". */
const UNSAFE_ID_CHARS = /[^A-Za-z0-9._\-/]/g;

/**
 * A paper id from the id its source gave it: an arXiv id (from a bare id, `arXiv:…` or an arXiv
 * link) without its version, else the source id made safe (ASCII letters, digits and `._-/`;
 * at most MAX_PAPER_ID_CHARS, with a hash of the original when it had to be changed, so that
 * two different source ids never meet). Undefined when there is no usable source id.
 */
export function sourcePaperId(sourceId: string | undefined, arxivId?: string): string | undefined {
  if (arxivId) return arxivId;
  const raw = sourceId?.normalize('NFKC').trim();
  if (!raw) return undefined;
  const safe = raw.replace(UNSAFE_ID_CHARS, '_').replace(/^[._\-/]+|[._\-/]+$/g, '');
  if (safe === raw && safe.length <= MAX_PAPER_ID_CHARS) return safe;
  const digest = createHash('sha1').update(raw).digest('hex').slice(0, HASH_HEX);
  const head = safe.slice(0, MAX_PAPER_ID_CHARS - HASH_HEX - 1).replace(/[._\-/]+$/, '');
  return head ? `${head}-${digest}` : `id-${digest}`;
}

/**
 * Id of a paper that has no source id but shares its title with another paper (a different
 * abstract): the title's slug with a hash of title and abstract, stable whatever the order.
 */
export function sameTitlePaperId(title: string, abstract: string): string {
  const key = normaliseTitle(title);
  const digest = createHash('sha1').update(`${key}\n${abstract}`).digest('hex').slice(0, HASH_HEX);
  return `${slugify(key)}-${digest}`;
}
