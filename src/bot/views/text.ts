/**
 * Making paper and user text safe to show in Discord: mentions inert, markdown escaped,
 * links that Discord accepts. Every view builds its text with these.
 */
import { escapeMarkdown } from '@discordjs/formatters';
import { paperLinks } from '../../collection/links.js';
import type { Paper } from '../../collection/types.js';
import { truncate } from '../../text.js';

export { inertMentions } from '../../text.js';
import { inertMentions } from '../../text.js';

const ESCAPE_OPTIONS = { heading: true, bulletedList: true, numberedList: true, maskedLink: true } as const;

/**
 * escapeMarkdown with ESCAPE_OPTIONS, skipping each escaper whose trigger character the text does
 * not contain (then it is a no-op anyway). Same output; but the italic escaper's look-behind regex
 * is quadratic in the text length and was most of a reply's rendering time, for texts with no
 * `*` or `_` at all. (The line-start escapers are cheap and always run.)
 */
export function escapeText(text: string): string {
  const has = (c: string) => text.includes(c);
  return escapeMarkdown(text, {
    ...ESCAPE_OPTIONS,
    escape: has('\\'),
    inlineCode: has('`'),
    codeBlock: has('`'),
    italic: has('*') || has('_'),
    bold: has('*'),
    underline: has('_'),
    strikethrough: has('~'),
    spoiler: has('|'),
    heading: has('#'),
    maskedLink: has('['),
  });
}

/**
 * Text from a paper or a user, safe to show: mentions inert, markdown escaped,
 * at most `max` characters. Truncates before escaping so an escape is never cut in half.
 */
export function safeText(raw: string, max: number): string {
  const text = inertMentions(raw.replace(/\s+/g, ' ').trim());
  let budget = max;
  for (let i = 0; i < 6 && budget > 0; i++) {
    const escaped = escapeText(truncate(text, budget));
    if (escaped.length <= max) return escaped;
    budget -= Math.max(1, escaped.length - max);
  }
  return truncate(text.replace(/[\\*_`~|>#[\]()-]/g, ' ').replace(/\s+/g, ' '), max);
}

/** A short quote of user input for messages: `“…”`, safe and at most `max` characters. */
export function quote(raw: string, max = 80): string {
  return `“${safeText(raw, max)}”`;
}

/** An http(s) URL that Discord will accept as a link, or undefined. Parentheses are encoded so masked links don't break. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    const href = parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
    return href.length <= 2000 ? href : undefined;
  } catch {
    return undefined;
  }
}

export function paperUrl(paper: Paper): string | undefined {
  return safeUrl(paperLinks(paper).url) ?? safeUrl(paper.searchUrl);
}

/** `[title](url)` for lists inside descriptions and fields; brackets in the title would close the link early. */
export function paperLink(paper: Paper, maxTitle = 120): string {
  const title = safeText(paper.title, maxTitle).replace(/\\?\[/g, '(').replace(/\\?\]/g, ')');
  const url = paperUrl(paper);
  return url ? `[${title}](${url})` : title;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;
const URL_TAIL = /[.,;:!?)\]'”’]+$/;

/**
 * One line of reply text: every markdown character escaped (linear time, whatever the line; brackets
 * too, so nothing becomes a masked link), line-start markers (quote, heading, subtext, list) escaped,
 * links kept clickable without previews.
 */
function safeLine(line: string): string {
  let out = '';
  let last = 0;
  const text = (part: string, atStart: boolean) => {
    const escaped = part.replace(/[\\*_~`|[\]]/g, '\\$&');
    return atStart ? escaped.replace(/^(\s*)(>|#|-#|-(?=\s)|\+(?=\s))/, '$1\\$2').replace(/^(\s*\d+)\.(?=\s)/, '$1\\.') : escaped;
  };
  for (const m of line.matchAll(URL_IN_TEXT)) {
    const raw = m[0].replace(URL_TAIL, '');
    const url = safeUrl(raw);
    if (!url || raw.length === 0) continue;
    out += text(line.slice(last, m.index), last === 0) + `<${url}>`;
    last = m.index + raw.length;
  }
  return out + text(line.slice(last), last === 0);
}

/**
 * Multi-line text (a chat reply) safe to send as message content: mentions inert, markdown
 * escaped line by line, links wrapped in <> (clickable, no preview), at most `max` characters,
 * cut at a line end when it must be cut.
 */
export function safeLines(raw: string, max: number): string {
  const plain = inertMentions(raw.replace(/\r\n?/g, '\n')).split('\n');
  const out: string[] = [];
  let length = 0;
  for (const rawLine of plain) {
    const room = max - length - (out.length ? 1 : 0);
    if (room <= 0) break;
    const line = rawLine.replace(/[ \t]+/g, ' ').trimEnd();
    const escaped = line.length <= room ? safeLine(line) : undefined;
    if (escaped !== undefined && escaped.length <= room) {
      out.push(escaped);
      length += escaped.length + (out.length > 1 ? 1 : 0);
      continue;
    }
    // The first line that does not fit: as much of it as fits (cut before escaping, shrunk until the escapes fit too).
    let budget = room;
    for (let i = 0; i < 6 && budget > 20; i++) {
      const cut = safeLine(truncate(line, budget));
      if (cut.length <= room) {
        out.push(cut);
        break;
      }
      budget -= Math.max(1, cut.length - room);
    }
    break;
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
