/**
 * Reply text that can be posted anywhere: mentions inert (so neither a user's words nor a
 * paper's text can ping anyone, even if a sender forgets `allowedMentions`), and cut to a
 * length. Plain text: the Discord layer escapes markdown where it renders embeds.
 */

const ZWSP = '\u200b';

/** `@everyone`, `@here`, `@handle` and `<@id>`/`<@&id>`/`<#id>` rendered harmless with a zero-width space. */
export function inert(text: string): string {
  return text
    .replace(/@(?=[\p{L}\p{N}_])/gu, `@${ZWSP}`)
    .replace(/<(@[!&]?|#)(?=\d)/g, `<$1${ZWSP}`);
}

/** One line: whitespace folded, at most `max` characters with "…" at a cut (on a word boundary when close). */
export function oneLine(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  let cut = clean.slice(0, Math.max(1, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/** A short quote of the user's words for a reply: “…”, inert, one line. */
export function quoteUser(text: string, max = 80): string {
  return `“${inert(oneLine(text, max))}”`;
}
