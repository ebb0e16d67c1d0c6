import { SlashCommandBuilder, type MessageComponentInteraction } from 'discord.js';
import { parseFindPageId } from '../src/bot/components.js';
import { findMessage } from '../src/bot/views/find.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { UserFacingError } from '../src/errors.js';
import { MAX_QUERY_CHARS, cleanUserText, send } from './shared.js';

const DEFAULT_K = 5;

export const data = new SlashCommandBuilder()
  .setName('find')
  .setDescription('Search the paper collection')
  .addStringOption((o) => o.setName('query').setDescription('What to look for').setRequired(true).setMaxLength(MAX_QUERY_CHARS))
  .addIntegerOption((o) => o.setName('k').setDescription('How many results per page (1–10)').setMinValue(1).setMaxValue(10))
  .addBooleanOption((o) => o.setName('has_code').setDescription('Only papers with a code link'));

async function showPage(interaction: CommandInteraction | MessageComponentInteraction, services: Services, query: string, page: { offset: number; k: number; hasCode: boolean }) {
  const result = await services.engine.find(query, { k: page.k, offset: page.offset, filters: page.hasCode ? { hasCode: true } : undefined });
  const queryHash = services.queryMemory.remember(query);
  await send(interaction, findMessage(result, query, { ...page, queryHash }));
}

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const query = cleanUserText(interaction.options.getString('query'), { what: 'query', max: MAX_QUERY_CHARS });
  const k = Math.min(10, Math.max(1, interaction.options.getInteger('k') ?? DEFAULT_K));
  const hasCode = interaction.options.getBoolean('has_code') ?? false;
  await interaction.deferReply();
  await showPage(interaction, services, query, { offset: 0, k, hasCode });
}

/** "Next"/"Previous": the page state is in the custom id, the query in the memory. */
export async function handleComponent(interaction: MessageComponentInteraction, services: Services): Promise<void> {
  const state = parseFindPageId(interaction.customId);
  if (!state || state.k < 1 || state.k > 10) throw new UserFacingError('That button is from an older version of me — please run /find again.');
  const query = services.queryMemory.recall(state.queryHash);
  if (query === undefined) {
    throw new UserFacingError('I no longer remember that search (I was restarted, or it is old). Please run /find again.');
  }
  await interaction.deferUpdate();
  await showPage(interaction, services, query, state);
}

export default { data, execute, handleComponent } satisfies Command;
