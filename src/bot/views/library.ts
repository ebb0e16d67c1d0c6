/** Adding and removing papers: the add form, the answers, and the server's /collection settings. */
import { ComponentType, MessageFlags, TextInputStyle } from 'discord-api-types/v10';
import type { APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { Paper } from '../../collection/types.js';
import type { AddOutcome } from '../../library/library.js';
import { TITLE_MAX_CHARS } from '../../rules/paper.js';
import type { LibrarySettings } from '../../store/library-store.js';
import { COLOR, LIMITS, message, type BotMessage } from './limits.js';
import { paperMessage } from './paper.js';
import { paperLink, safeText } from './text.js';

/** Custom ids of the add form and its fields (the form routes to the `add` command). */
export const ADD_FORM = { id: 'add:form', title: 'title', abstract: 'abstract', url: 'url' } as const;
/** What the URL field takes: a link, not an essay. */
export const URL_MAX_CHARS = 500;

/** The form /add opens without an arXiv id: title, abstract and an optional link. */
export function addForm(): APIModalInteractionResponseCallbackData {
  const input = (customId: string, style: TextInputStyle, maxLength: number, required: boolean, placeholder: string) => ({
    type: ComponentType.TextInput as const,
    custom_id: customId,
    style,
    max_length: maxLength,
    required,
    placeholder,
  });
  return {
    custom_id: ADD_FORM.id,
    title: 'Add a paper to the collection',
    components: [
      {
        type: ComponentType.Label,
        label: 'Title',
        component: input(ADD_FORM.title, TextInputStyle.Short, Math.min(TITLE_MAX_CHARS, LIMITS.textInput), true, 'The paper’s title'),
      },
      {
        type: ComponentType.Label,
        label: 'Abstract',
        description: `Up to ${LIMITS.textInput} characters here; longer ones: /add with the arXiv id`,
        component: input(ADD_FORM.abstract, TextInputStyle.Paragraph, LIMITS.textInput, true, 'Paste the abstract'),
      },
      {
        type: ComponentType.Label,
        label: 'Link (optional)',
        description: 'The paper’s page or PDF; an arXiv link also de-duplicates',
        component: input(ADD_FORM.url, TextInputStyle.Short, URL_MAX_CHARS, false, 'https://…'),
      },
    ],
  };
}

/** The public answer to an addition: the paper, and its nearest papers that were already there. */
export function addedMessage(outcome: Extract<AddOutcome, { status: 'added' }>, userId?: string): BotMessage {
  return paperMessage(outcome.paper, outcome.similar, {
    similarLabel: 'Nearest papers already in the collection',
    content: userId ? `Added to the collection by <@${userId}>.` : 'Added to the collection.',
  });
}

/** A short public note: someone added one of the daily post's arrivals. */
export function addedFromArrivalMessage(paper: Paper, userId: string): BotMessage {
  return message({ content: `Added to the collection by <@${userId}>: ${paperLink(paper, 200)}` });
}

/** "Already in the collection", with a link to it (ephemeral). */
export function alreadyThereMessage(paper: Paper): BotMessage {
  return message({
    content: `That paper is already in the collection: ${paperLink(paper, 200)}`,
    embeds: [{ color: COLOR.result, description: `id: \`${safeText(paper.id, 200).replace(/`/g, '')}\`` }],
    flags: MessageFlags.Ephemeral,
  });
}

export function removedMessage(paper: Paper, userId?: string): BotMessage {
  return message({ content: `Removed from the collection${userId ? ` by <@${userId}>` : ''}: ${paperLink(paper, 200)}` });
}

/** /collection show|set: who may change the collection on this server (ephemeral). */
export function librarySettingsMessage(settings: LibrarySettings, note?: string): BotMessage {
  const curators = settings.curatorRoleId ? `Manage Server, or the <@&${settings.curatorRoleId}> role` : 'Manage Server (no curator role set)';
  return message({
    content: note,
    embeds: [
      {
        title: 'Collection settings',
        color: COLOR.result,
        fields: [
          { name: 'Curators (may /remove, and add from the daily post)', value: curators },
          { name: 'Who may /add', value: settings.addPolicy === 'everyone' ? 'everyone' : 'curators only' },
        ],
      },
    ],
    flags: MessageFlags.Ephemeral,
  });
}
