import { SlashCommandBuilder, type AutocompleteInteraction, type MessageComponentInteraction } from 'discord.js';
import { candidatesMessage, PICK_PAPER_ID } from '../src/bot/views/candidates.js';
import { paperMessage } from '../src/bot/views/paper.js';
import { quote } from '../src/bot/views/text.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import type { Paper } from '../src/collection/types.js';
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
  const exact = paperById(services.engine, raw);
  const resolved = exact ? { kind: 'found' as const, paper: exact } : services.engine.resolvePaper(raw);
  if (resolved.kind === 'ambiguous') {
    await interaction.reply(candidatesMessage(raw, resolved.candidates, PICK_PAPER_ID));
    return;
  }
  if (resolved.kind === 'none') throw new UserFacingError(`I don't know a paper called ${quote(raw)}. Start typing a title and pick one from the list.`);
  await showPaper(interaction, services, resolved.paper);
}

async function showPaper(interaction: CommandInteraction | MessageComponentInteraction, services: Services, paper: Paper): Promise<void> {
  await interaction.deferReply();
  const similar = await services.engine.similar(paper.id, { k: 3 });
  await send(interaction, paperMessage(paper, similar.hits));
}

/** The picker shown when a typed name fits several papers. */
export async function handleComponent(interaction: MessageComponentInteraction, services: Services): Promise<void> {
  if (interaction.customId !== PICK_PAPER_ID || !interaction.isStringSelectMenu()) {
    throw new UserFacingError('That control is from an older version of me — please run the command again.');
  }
  const paper = paperById(services.engine, interaction.values[0] ?? '');
  if (!paper) throw new UserFacingError('That paper is no longer in the collection.');
  await showPaper(interaction, services, paper);
}

export async function autocomplete(interaction: AutocompleteInteraction, services: Services): Promise<void> {
  await respondWithPapers(interaction, services.engine);
}

export default { data, execute, autocomplete, handleComponent } satisfies Command;
