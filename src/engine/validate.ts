import { UserFacingError } from '../errors.js';

export const MAX_QUERY_CHARS = 500;
export const MAX_SIMILAR_TEXT_CHARS = 6000;

// Zero-width and bidi control characters carry no meaning for search but can make
// an input look non-empty, or reorder how an error message is shown.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;

/** Trims and checks a user's query; a clear UserFacingError when it cannot be searched. */
export function cleanQuery(raw: unknown, what = 'query', max = MAX_QUERY_CHARS): string {
  if (typeof raw !== 'string') throw new UserFacingError(`The ${what} is missing. Type a few words to search for.`);
  const text = raw.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  if (!text) throw new UserFacingError(`The ${what} is empty. Type a few words to search for.`);
  if (text.length > max) {
    throw new UserFacingError(
      `The ${what} is too long (${text.length.toLocaleString('en-US')} characters; the limit is ${max.toLocaleString('en-US')}). Shorten it to its key words.`,
    );
  }
  if (!/[\p{L}\p{N}]/u.test(text)) {
    throw new UserFacingError(`The ${what} has no letters or digits to search for.`);
  }
  return text;
}

export function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
