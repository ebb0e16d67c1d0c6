import { InteractionContextType, SlashCommandBuilder, type AutocompleteInteraction } from 'discord.js';
import { requireCurator } from '../src/bot/permissions.js';
import { removedMessage } from '../src/bot/views/library.js';
import { quote } from '../src/bot/views/text.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { UserFacingError } from '../src/errors.js';
import { guildKey, paperById, respondWithPapers, send } from './shared.js';

export const data = new SlashCommandBuilder()
  .setName('remove')
  .setDescription('Take a paper out of the collection (Manage Server or the curator role)')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('paper').setDescription('Start typing a title').setRequired(true).setAutocomplete(true).setMaxLength(300));

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  if (!services.library) throw new UserFacingError('Removing papers is not available on this bot.');
  if (!interaction.guildId) throw new UserFacingError('Papers can only be removed inside a server.');
  requireCurator(interaction, services.state.library.settings(interaction.guildId), 'remove papers from the collection');
  const raw = (interaction.options.getString('paper') ?? '').trim();
  if (!raw) throw new UserFacingError('Name the paper to remove: start typing its title and pick it from the list.');
  // An autocompleted id, or a typed title that names exactly one paper; anything else is not guessed at.
  const paper = paperById(services.engine, raw) ?? services.engine.paper(raw);
  if (!paper) throw new UserFacingError(`I don't know a paper called ${quote(raw)}. Start typing a title and pick one from the list.`);
  await interaction.deferReply();
  const { paper: removed } = await services.library.remove(paper.id, `discord:${guildKey(interaction.guildId)}:${interaction.user.id}`);
  await send(interaction, removedMessage(removed, interaction.user.id));
}

export async function autocomplete(interaction: AutocompleteInteraction, services: Services): Promise<void> {
  await respondWithPapers(interaction, services.engine);
}

export default { data, execute, autocomplete } satisfies Command;
