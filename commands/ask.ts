import { SlashCommandBuilder } from 'discord.js';
import { askMessage } from '../src/bot/views/ask.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { MAX_QUERY_CHARS, cleanUserText, send } from './shared.js';

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question; the answer cites papers from the collection')
  .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(MAX_QUERY_CHARS));

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const question = cleanUserText(interaction.options.getString('question'), { what: 'question', max: MAX_QUERY_CHARS });
  await interaction.deferReply();
  const result = await services.engine.ask(question);
  await send(interaction, askMessage(result, question));
}

export default { data, execute } satisfies Command;
