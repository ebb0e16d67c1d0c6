import { SlashCommandBuilder, type AutocompleteInteraction, type MessageComponentInteraction } from 'discord.js';
import { MORE_LIKE_THIS_ID } from '../src/bot/components.js';
import { candidatesMessage, PICK_SIMILAR_ID } from '../src/bot/views/candidates.js';
import { similarMessage } from '../src/bot/views/similar.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { UserFacingError } from '../src/errors.js';
import { MAX_SIMILAR_TEXT_CHARS, cleanUserText, paperById, respondWithPapers, send } from './shared.js';

const K = 5;

export const data = new SlashCommandBuilder()
  .setName('similar')
  .setDescription('Papers similar to a paper, or to a pasted abstract or idea')
  .addStringOption((o) =>
    o.setName('paper').setDescription('Pick a paper, or paste text').setRequired(true).setAutocomplete(true).setMaxLength(MAX_SIMILAR_TEXT_CHARS),
  );

/** Similar papers to a paper id or free text, as a new reply. Used by the slash command, the context menu and "More like this". */
export async function replyWithSimilar(interaction: CommandInteraction | MessageComponentInteraction, services: Services, target: string): Promise<void> {
  const paper = paperById(services.engine, target);
  await interaction.deferReply();
  const result = await services.engine.similar(paper?.id ?? target, { k: K });
  await send(interaction, similarMessage(result, paper ? { paper } : { text: target }));
}

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const raw = interaction.options.getString('paper');
  const asId = raw ? paperById(services.engine, raw.trim()) : undefined;
  const target = asId ? asId.id : cleanUserText(raw, { what: 'paper or text', max: MAX_SIMILAR_TEXT_CHARS });
  if (!asId) {
    // A name that fits several papers: ask which one instead of guessing.
    const resolved = services.engine.resolvePaper(target);
    if (resolved.kind === 'ambiguous') {
      await interaction.reply(candidatesMessage(target, resolved.candidates, PICK_SIMILAR_ID));
      return;
    }
    if (resolved.kind === 'found') return replyWithSimilar(interaction, services, resolved.paper.id);
  }
  await replyWithSimilar(interaction, services, target);
}

export async function autocomplete(interaction: AutocompleteInteraction, services: Services): Promise<void> {
  await respondWithPapers(interaction, services.engine);
}

/** The "More like this…" select menu under any result list, and the picker of an ambiguous name. */
export async function handleComponent(interaction: MessageComponentInteraction, services: Services): Promise<void> {
  if ((interaction.customId !== MORE_LIKE_THIS_ID && interaction.customId !== PICK_SIMILAR_ID) || !interaction.isStringSelectMenu()) {
    throw new UserFacingError('That control is from an older version of me — please run the command again.');
  }
  const id = interaction.values[0] ?? '';
  if (!paperById(services.engine, id)) throw new UserFacingError('That paper is no longer in the collection.');
  await replyWithSimilar(interaction, services, id);
}

export default { data, execute, autocomplete, handleComponent } satisfies Command;
