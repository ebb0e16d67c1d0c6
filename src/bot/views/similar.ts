/** Papers similar to a paper or to the user's text. */
import type { Paper } from '../../collection/types.js';
import type { SearchResult } from '../../engine/types.js';
import { COLOR, message, type BotMessage } from './limits.js';
import { footerLine, hitEmbed, moreLikeThisRow } from './results.js';
import { quote, safeText } from './text.js';

/** `about` is what the results are similar to: a paper, or the user's text. */
export function similarMessage(result: SearchResult, about: { paper?: Paper; text?: string }): BotMessage {
  const subject = about.paper ? `**${safeText(about.paper.title, 200)}**` : quote(about.text ?? '', 200);
  const content = `Papers similar to ${subject}`;
  if (result.hits.length === 0) {
    return message({ content, embeds: [{ title: 'No similar papers found', color: COLOR.unanswered, footer: { text: footerLine(result) } }] });
  }
  const embeds = result.hits.map((hit, i) => hitEmbed(hit, i + 1));
  embeds[embeds.length - 1]!.footer = { text: footerLine(result) };
  const row = moreLikeThisRow(result.hits, 1);
  return message({ content, embeds, components: row ? [row] : [] });
}
