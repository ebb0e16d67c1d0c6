/** The /find result page: numbered hits, "More like this…", Previous/Next. */
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { APIComponentInActionRow } from 'discord.js';
import type { SearchResult } from '../../engine/types.js';
import { findPageId } from '../components.js';
import { COLOR, message, type BotMessage } from './limits.js';
import { footerLine, hitEmbed, moreLikeThisRow } from './results.js';
import { quote } from './text.js';

export interface FindPage {
  offset: number;
  k: number;
  hasCode: boolean;
  /** Key of the query in the query memory, encoded in the paging buttons. */
  queryHash: string;
}

export function findMessage(result: SearchResult, query: string, page: FindPage): BotMessage {
  const first = page.offset + 1;
  const last = page.offset + result.hits.length;
  const range = result.hits.length > 0 ? `results ${first}–${last} of ${result.total}` : `no results`;
  const corrected = result.correctedQuery ? `\nShowing results for ${quote(result.correctedQuery, 200)}` : '';
  const content = `Search: ${quote(query, 200)}${page.hasCode ? ' (with code)' : ''}${corrected}`;
  if (result.hits.length === 0) {
    return message({
      content,
      embeds: [{
        title: page.offset > 0 ? 'No more results' : 'No papers found',
        description: page.offset > 0 ? 'That was the last page.' : 'Try other words, or drop the has_code filter.',
        color: COLOR.unanswered,
        footer: { text: footerLine(result, range) },
      }],
    });
  }
  const embeds = result.hits.map((hit, i) => hitEmbed(hit, first + i));
  embeds[embeds.length - 1]!.footer = { text: footerLine(result, range) };
  const buttons: APIComponentInActionRow[] = [];
  if (page.offset > 0) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: '◀ Previous', custom_id: findPageId({ ...page, offset: Math.max(0, page.offset - page.k) }) });
  }
  buttons.push({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: 'Next ▶',
    custom_id: findPageId({ ...page, offset: page.offset + page.k }),
    disabled: last >= result.total,
  });
  const components = [moreLikeThisRow(result.hits, first), { type: ComponentType.ActionRow as const, components: buttons }].filter((r) => r !== undefined);
  return message({ content, embeds, components });
}
