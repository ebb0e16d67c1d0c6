/** An answer from the collection with its numbered sources. */
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIComponentInActionRow, APIEmbed, APIEmbedField } from 'discord.js';
import type { AskResult } from '../../engine/types.js';
import { truncate } from '../../text.js';
import { COLOR, LIMITS, message, type BotMessage } from './limits.js';
import { footerLine } from './results.js';
import { inertMentions, paperLink, safeText } from './text.js';

/** The "Follow up" button under an /ask answer (routed to the ask command). */
export const FOLLOW_UP_ID = 'ask:followup';

export interface AskView {
  /** Show the "Follow up" button (opens a thread on the answer). */
  followUp?: boolean;
  /** The model that wrote the answer, for the footer. */
  model?: string;
}

export function askMessage(result: AskResult, question: string, view: AskView = {}): BotMessage {
  const embed: APIEmbed = {
    author: { name: truncate(`Q: ${inertMentions(question.replace(/\s+/g, ' ').trim())}`, LIMITS.author) },
    title: result.answered ? 'Answer' : 'Not answered from the collection',
    // Answer text keeps its [n] markers; markdown in it is escaped like any paper text.
    description: safeText(result.answer, 3000) || 'No answer.',
    color: result.answered ? COLOR.answer : COLOR.unanswered,
    footer: { text: footerLine(result, view.model) },
  };
  const fields: APIEmbedField[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) fields.push({ name: fields.length === 0 ? 'Sources' : 'Sources (cont.)', value: current.join('\n') });
    current = [];
  };
  for (const citation of result.citations) {
    const line = `[${citation.n}] ${paperLink(citation.paper)}`;
    if ([...current, line].join('\n').length > LIMITS.fieldValue) flush();
    current.push(line);
  }
  flush();
  embed.fields = fields;
  const row: APIActionRowComponent<APIComponentInActionRow> = {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Follow up', emoji: { name: '💬' }, custom_id: FOLLOW_UP_ID }],
  };
  return message({ embeds: [embed], components: view.followUp ? [row] : [] });
}
