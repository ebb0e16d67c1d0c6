/** Plain-text helpers shared by the bot's views and the CLI. No discord.js here. */

/**
 * Cut `text` to at most `max` characters, on a word boundary when one is
 * reasonably close, ending with "…". Never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  if (max === 1) return '…';
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (!/\s/.test(text[cut.length] ?? '')) {
    const lastSpace = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'), cut.lastIndexOf('\t'));
    // Only back up to a space if that keeps most of the text (one huge word would vanish otherwise).
    if (lastSpace > cut.length * 0.6) cut = cut.slice(0, lastSpace);
  }
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/**
 * `@everyone`, `@here` and `<@id>`, `<@!id>`, `<@&id>`, `<#id>` made harmless with a zero-width space.
 * The one home for this rule: views, the LLM output check and the conversation replies use it,
 * on top of `allowedMentions: { parse: [] }` on every send.
 */
export function inertMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<(@[!&]?|#)(\d+)>/g, '<$1\u200b$2>');
}
