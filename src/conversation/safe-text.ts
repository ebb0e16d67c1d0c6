/**
 * Short pieces of reply text: one line, cut to a length, and the user's words quoted with
 * mentions made inert (src/text.ts is the one home of both rules).
 */
import { inertMentions, truncate } from '../text.js';

/** One line: whitespace folded, at most `max` characters with "…" at a cut. */
export function oneLine(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max);
}

/** A short quote of the user's words for a reply: “…”, inert, one line. */
export function quoteUser(text: string, max = 80): string {
  return `“${inertMentions(oneLine(text, max))}”`;
}
