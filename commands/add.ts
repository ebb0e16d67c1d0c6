import { InteractionContextType, SlashCommandBuilder, type MessageComponentInteraction, type ModalSubmitInteraction } from 'discord.js';
import { parseArrivalAddId } from '../src/bot/components.js';
import { requireCurator, requireMayAdd } from '../src/bot/permissions.js';
import { ADD_FORM, addedFromArrivalMessage, addedMessage, addForm, alreadyThereMessage, URL_MAX_CHARS } from '../src/bot/views/library.js';
import { LIMITS } from '../src/bot/views/limits.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { UserFacingError } from '../src/errors.js';
import { parseArxivId } from '../src/feeds/arxiv-id.js';
import type { AddOutcome, Library } from '../src/library/library.js';
import { ABSTRACT_MAX_CHARS } from '../src/rules/paper.js';
import { guildKey, send } from './shared.js';

export const data = new SlashCommandBuilder()
  .setName('add')
  .setDescription('Add a paper to the collection (an arXiv id or link, or leave it empty to type one in)')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('paper').setDescription('arXiv id or link, e.g. 2501.00001 (empty: a form for title and abstract)').setMaxLength(300));

function libraryOf(services: Services): Library {
  if (!services.library) throw new UserFacingError('Adding papers is not available on this bot.');
  return services.library;
}

function addedBy(interaction: { guildId: string | null; user: { id: string } }): string {
  return `discord:${guildKey(interaction.guildId)}:${interaction.user.id}`;
}

async function answer(interaction: CommandInteraction | ModalSubmitInteraction | MessageComponentInteraction, outcome: AddOutcome): Promise<void> {
  if (outcome.status === 'added') {
    await send(interaction, addedMessage(outcome, interaction.user.id));
    return;
  }
  // Deferred publicly already: the "already there" note replaces the thinking message, privately.
  if (interaction.deferred) {
    await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp(alreadyThereMessage(outcome.paper));
  } else {
    await interaction.reply(alreadyThereMessage(outcome.paper));
  }
}

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const library = libraryOf(services);
  if (!interaction.guildId) throw new UserFacingError('Papers can only be added inside a server.');
  requireMayAdd(interaction, services.state.library.settings(interaction.guildId));
  const raw = (interaction.options.getString('paper') ?? '').trim();
  if (!raw) {
    await interaction.showModal(addForm());
    return;
  }
  // Bad input is answered at once, privately, before anything is fetched.
  const parsed = parseArxivId(raw);
  if (!parsed.ok) throw new UserFacingError(`${parsed.message}. To add a paper that is not on arXiv, run /add without an id and fill in the form.`);
  const known = library.find({ arxivId: parsed.id, titleKey: '' });
  if (known) {
    await interaction.reply(alreadyThereMessage(known));
    return;
  }
  await interaction.deferReply();
  await answer(interaction, await library.addFromArxiv(raw, addedBy(interaction)));
}

/** The add form, submitted: Discord's text boxes hold at most 4000 characters, so longer abstracts are refused with a way out. */
export async function handleModal(interaction: ModalSubmitInteraction, services: Services): Promise<void> {
  if (interaction.customId !== ADD_FORM.id) throw new UserFacingError('That form is from an older version of me — please run /add again.');
  const library = libraryOf(services);
  if (!interaction.guildId) throw new UserFacingError('Papers can only be added inside a server.');
  requireMayAdd(interaction, services.state.library.settings(interaction.guildId));
  const field = (id: string) => {
    try {
      return interaction.fields.getTextInputValue(id) ?? '';
    } catch {
      return '';
    }
  };
  const title = field(ADD_FORM.title);
  // Lengths as typed (before trimming): a paste cut at the box's limit may end in a space.
  const rawAbstract = field(ADD_FORM.abstract);
  const url = field(ADD_FORM.url).trim();
  const elsewhere = `Add it with /add and its arXiv id, or from the command line: paperbot add --title "…" --abstract - (up to ${ABSTRACT_MAX_CHARS} characters)`;
  if (rawAbstract.length > LIMITS.textInput) {
    throw new UserFacingError(`The abstract is ${rawAbstract.length} characters long; a Discord form holds at most ${LIMITS.textInput}. ${elsewhere}.`);
  }
  if (rawAbstract.length === LIMITS.textInput) {
    throw new UserFacingError(`The abstract fills the form's whole ${LIMITS.textInput} characters (Discord's limit), so it was probably cut off. ${elsewhere}.`);
  }
  if (url.length > URL_MAX_CHARS) throw new UserFacingError(`The link is ${url.length} characters long; give one of at most ${URL_MAX_CHARS}.`);
  const abstract = rawAbstract;
  await interaction.deferReply();
  await answer(interaction, await library.addManual({ title, abstract, url }, addedBy(interaction)));
}

/** "Add to collection" under a daily post's new arrivals: curators only; the team sees who added what. */
export async function handleComponent(interaction: MessageComponentInteraction, services: Services): Promise<void> {
  const itemId = parseArrivalAddId(interaction.customId);
  if (itemId === null) throw new UserFacingError('That button is from an older version of me.');
  const library = libraryOf(services);
  if (!interaction.guildId) throw new UserFacingError('Papers can only be added inside a server.');
  requireCurator(interaction, services.state.library.settings(interaction.guildId), 'add papers from the daily post');
  const item = services.state.feeds.item(itemId);
  if (!item) throw new UserFacingError('I no longer know that paper (the feeds were reset?). Add it with /add and its arXiv id or link.');
  const known = library.find({ ...(item.record.arxivId ? { arxivId: item.record.arxivId } : {}), titleKey: '' });
  if (known) {
    services.state.feeds.setStatus([item.id], 'added');
    await interaction.reply(alreadyThereMessage(known));
    return;
  }
  await interaction.deferReply();
  const outcome = await library.addRecord(item.record, addedBy(interaction));
  services.state.feeds.setStatus([item.id], 'added');
  if (outcome.status === 'exists') {
    await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp(alreadyThereMessage(outcome.paper));
    return;
  }
  await send(interaction, addedFromArrivalMessage(outcome.paper, interaction.user.id));
}

export default { data, execute, handleModal, handleComponent } satisfies Command;
