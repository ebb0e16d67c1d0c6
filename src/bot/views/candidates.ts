/** Several papers fit what was typed: a select menu to pick one (ephemeral, only for the asker). */
import { ComponentType, MessageFlags } from 'discord-api-types/v10';
import type { APISelectMenuOption } from 'discord.js';
import type { Paper } from '../../collection/types.js';
import { truncate } from '../../text.js';
import { LIMITS, message, type BotMessage } from './limits.js';
import { quote } from './text.js';

/** Custom ids of the pickers: the paper itself, or papers similar to it. */
export const PICK_PAPER_ID = 'paper:pick';
export const PICK_SIMILAR_ID = 'similar:pick';

export function candidatesMessage(typed: string, candidates: readonly Paper[], customId: typeof PICK_PAPER_ID | typeof PICK_SIMILAR_ID): BotMessage {
  const options: APISelectMenuOption[] = candidates.slice(0, LIMITS.selectOptions).map((p) => ({
    label: truncate(p.title.replace(/\s+/g, ' ').trim(), LIMITS.selectLabel) || p.id.slice(0, LIMITS.selectLabel),
    value: p.id,
    description: truncate(`id: ${p.id}`, LIMITS.selectDescription),
  }));
  const more = candidates.length > options.length ? ` (the first ${options.length} shown)` : '';
  return message({
      content: `${candidates.length} papers match ${quote(typed, 100)}${more}. Which one do you mean?`,
      embeds: [],
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.StringSelect, custom_id: customId, placeholder: 'Pick a paper…', options, min_values: 1, max_values: 1 }],
        },
      ],
      flags: MessageFlags.Ephemeral,
  });
}
