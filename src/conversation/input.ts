/**
 * Reading a chat message: mentions, markdown and invisible characters out, whitespace
 * folded, length capped. Pure; the result is what understanding works on. Nothing from
 * here is echoed without its mentions made inert (src/text.ts).
 */

/** Longer messages are read up to here (on a word boundary); the reply says so. */
export const MAX_MESSAGE_CHARS = 500;

export interface CleanMessage {
  /** The words to understand; may be empty. */
  text: string;
  /** The message was longer than MAX_MESSAGE_CHARS and was cut. */
  truncated: boolean;
  /** Whether anything with letters or digits is left. */
  hasWords: boolean;
}

const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** Discord user/role/channel mentions and custom emoji: <@123>, <@!123>, <@&123>, <#123>, <:name:123>. */
const DISCORD_TOKENS = /<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>/g;
/** @everyone, @here and @handles: addressing, not content. */
const AT_HANDLES = /(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_.-]+/gu;
const MARKDOWN_LINK = /\[([^\]\n]{0,300})\]\((?:https?:\/\/|<)[^)\s]{0,500}\)/g;
const CODE_FENCE = /```[a-z]*\n?/gi;
/** Emphasis, strike, spoiler and code marks; `_` only at word edges, so "L_2" keeps its underscore. */
const MARKS = /\*+|~~|\|\||`+|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu;
/** Quote and heading markers at a line start, and list bullets. */
const LINE_MARKERS = /^\s*(?:>+|#{1,6}(?=\s)|[-*+•](?=\s))\s*/gm;

export function cleanMessage(raw: unknown): CleanMessage {
  if (typeof raw !== 'string') return { text: '', truncated: false, hasWords: false };
  let text = raw
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(DISCORD_TOKENS, ' ')
    .replace(CODE_FENCE, ' ')
    .replace(LINE_MARKERS, '')
    .replace(MARKDOWN_LINK, '$1')
    .replace(AT_HANDLES, '$1 ')
    .replace(MARKS, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([?!.,;:])/g, '$1')
    .trim();
  let truncated = false;
  if (text.length > MAX_MESSAGE_CHARS) {
    truncated = true;
    const cut = text.slice(0, MAX_MESSAGE_CHARS);
    const space = cut.lastIndexOf(' ');
    text = (space > MAX_MESSAGE_CHARS * 0.6 ? cut.slice(0, space) : cut).replace(/[\uD800-\uDBFF]$/, '').trim();
  }
  return { text, truncated, hasWords: /[\p{L}\p{N}]/u.test(text) };
}

/**
 * Chat shorthand for everyday words, as people type it ("max seq length?", "which archs", "high-res"):
 * read as the word an abstract would use. General English only; "repo", "vs", "max" and field terms stay as typed.
 */
const SHORTHAND: Record<string, string> = {
  res: 'resolution', seq: 'sequence', seqs: 'sequences', arch: 'architecture', archs: 'architectures',
  param: 'parameter', params: 'parameters', perf: 'performance', len: 'length', info: 'information',
  dim: 'dimension', dims: 'dimensions', img: 'image', imgs: 'images',
  approx: 'approximately', expt: 'experiment', expts: 'experiments', eval: 'evaluation', evals: 'evaluations',
  config: 'configuration', impl: 'implementation', diff: 'difference', b4: 'before', thru: 'through',
  w: 'with', 'w/': 'with', 'w/o': 'without', bc: 'because', 'b/c': 'because', abt: 'about', prob: 'probably',
};
const SHORTHAND_WORD = new RegExp(`(?<![\\p{L}\\d])(${Object.keys(SHORTHAND).map((k) => k.replace('/', '\\/')).join('|')})(?![\\p{L}\\d/])`, 'giu');

export function expandShorthand(text: string): string {
  return text.replace(SHORTHAND_WORD, (word, _m, offset: number) => {
    // "w" alone only before a word ("models w attention").
    if (/^w$/i.test(word) && !/^\s+\p{L}/u.test(text.slice(offset + word.length))) return word;
    return SHORTHAND[word.toLowerCase()] ?? word;
  });
}
