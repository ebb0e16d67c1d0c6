import { SlashCommandBuilder, type AutocompleteInteraction } from 'discord.js';
import { paperMessage } from '../src/bot/views/paper.js';
import { quote } from '../src/bot/views/text.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { UserFacingError } from '../src/errors.js';
import { paperById, respondWithPapers, send } from './shared.js';

export const data = new SlashCommandBuilder()
  .setName('paper')
  .setDescription('Show one paper: abstract, code links and the most similar papers')
  .addStringOption((o) => o.setName('paper').setDescription('Start typing a title').setRequired(true).setAutocomplete(true).setMaxLength(300));

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const raw = (interaction.options.getString('paper') ?? '').trim();
  if (!raw) throw new UserFacingError('Please name a paper — start typing a title and pick one from the list.');
  if (raw.length > 300) throw new UserFacingError(`That is ${raw.length} characters; a paper title is at most 300. Pick one from the list as you type.`);
  const paper = paperById(services.engine, raw) ?? services.engine.paper(raw);
  if (!paper) throw new UserFacingError(`I don't know a paper called ${quote(raw)}. Start typing a title and pick one from the list.`);
  await interaction.deferReply();
  const similar = await services.engine.similar(paper.id, { k: 3 });
  await send(interaction, paperMessage(paper, similar.hits));
}

export async function autocomplete(interaction: AutocompleteInteraction, services: Services): Promise<void> {
  await respondWithPapers(interaction, services.engine);
}

export default { data, execute, autocomplete } satisfies Command;
