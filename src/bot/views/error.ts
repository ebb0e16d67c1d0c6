/** The ephemeral error notice. */
import { MessageFlags } from 'discord-api-types/v10';
import { truncate } from '../../text.js';
import { LIMITS, type BotMessage } from './limits.js';
import { inertMentions } from './text.js';

/** An ephemeral message for the user. `text` is our own wording; user input in it should already be `quote()`d. */
export function errorMessage(text: string): BotMessage {
  return { content: truncate(inertMentions(text), LIMITS.content), embeds: [], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral };
}
