import { ApplicationCommandType, ContextMenuCommandBuilder, type Message } from 'discord.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { UserFacingError } from '../src/errors.js';
import { MAX_SIMILAR_TEXT_CHARS } from './shared.js';
import { replyWithSimilar } from './similar.js';

export const data = new ContextMenuCommandBuilder().setName('Similar papers').setType(ApplicationCommandType.Message);

/** The message's text, or its embeds' text when it has none (e.g. another bot's post). */
export function messageText(message: Pick<Message, 'content' | 'embeds'>): string {
  const content = message.content.trim();
  if (content) return content;
  return message.embeds
    .flatMap((e) => [e.title, e.description, ...e.fields.map((f) => `${f.name} ${f.value}`)])
    .filter((s): s is string => Boolean(s && s.trim()))
    .join('\n')
    .trim();
}

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isMessageContextMenuCommand()) return;
  // Mentions in someone's message are just text here; strip them rather than refuse.
  const text = messageText(interaction.targetMessage).replace(/<(@[!&]?|#)\d+>|@(everyone|here)\b/gi, ' ').replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(text)) {
    throw new UserFacingError('That message has no text I can compare papers against (it is empty or only attachments).');
  }
  await replyWithSimilar(interaction, services, text.slice(0, MAX_SIMILAR_TEXT_CHARS));
}

export default { data, execute } satisfies Command;
