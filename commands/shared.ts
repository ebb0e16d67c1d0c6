/** Helpers shared by the commands: input checks, paper lookup, autocomplete, safe replies. */
import type { AutocompleteInteraction, Message, MessageComponentInteraction, ModalSubmitInteraction } from 'discord.js';
import type { CommandInteraction } from '../src/bot/types.js';
import type { Paper } from '../src/collection/types.js';
import type { Engine } from '../src/engine/types.js';
import { UserFacingError } from '../src/errors.js';
import type { BotMessage } from '../src/bot/views/limits.js';
import { quote } from '../src/bot/views/text.js';
import { truncate } from '../src/text.js';

export const MAX_QUERY_CHARS = 500;
export const MAX_SIMILAR_TEXT_CHARS = 4000;

const MENTION = /@(everyone|here)\b|<@[!&]?\d+>|<#\d+>/i;
// Formatting characters only; underscores stay (identifiers like k_means are real queries).
const MARKDOWN = /[*`~|]+|^\s*(>+|#+)\s*/gm;

/**
 * A user's text option, checked: not empty, not too long, no mentions.
 * Markdown formatting is stripped rather than refused; text that is nothing
 * but formatting is refused.
 */
export function cleanUserText(raw: string | null, opts: { what: string; max: number }): string {
  const text = (raw ?? '').trim();
  if (text.length === 0) throw new UserFacingError(`The ${opts.what} was empty — please type something to look for.`);
  if (text.length > opts.max) {
    throw new UserFacingError(`The ${opts.what} is ${text.length} characters long; the limit is ${opts.max}. Please shorten it.`);
  }
  if (MENTION.test(text)) {
    throw new UserFacingError(`Please leave mentions (@everyone, @here, <@user>, <#channel>) out of the ${opts.what}.`);
  }
  const plain = text.replace(MARKDOWN, ' ').replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(plain)) {
    throw new UserFacingError(`The ${opts.what} ${quote(text, 60)} has no words in it — please use letters or numbers.`);
  }
  return plain;
}

/** A paper by exact id only (autocomplete values); free text is never guessed into a paper here. */
export function paperById(engine: Engine, id: string): Paper | undefined {
  return engine.papers.find((p) => p.id === id);
}

/** Autocomplete for `paper` options: ≤ 25 choices, names 1–100 chars, values ≤ 100. */
export async function respondWithPapers(interaction: AutocompleteInteraction, engine: Engine): Promise<void> {
  const typed = String(interaction.options.getFocused() ?? '').slice(0, 100);
  const choices = engine
    .suggest(typed, 25)
    .filter((s) => s.value.length > 0 && s.value.length <= 100)
    .slice(0, 25)
    .map((s) => ({ name: truncate(s.name.replace(/\s+/g, ' ').trim(), 100) || s.value.slice(0, 100), value: s.value }));
  await interaction.respond(choices);
}

/** Send a finished payload: edit the deferred reply, or reply if nothing was sent yet. */
export async function send(interaction: CommandInteraction | MessageComponentInteraction | ModalSubmitInteraction, payload: BotMessage): Promise<void> {
  if (interaction.deferred || interaction.replied) {
    const { flags: _flags, ...rest } = payload;
    await interaction.editReply({ content: rest.content ?? null, embeds: rest.embeds, components: rest.components ?? [], allowedMentions: rest.allowedMentions });
  } else {
    await interaction.reply(payload);
  }
}

/** The guild to keep state under; DMs share one pseudo guild. */
export function guildKey(guildId: string | null): string {
  return guildId ?? 'dm';
}

/** Edit a deferred reply into `payload`; resolves to the message (whose id an /ask conversation keeps). */
export async function editDeferred(interaction: CommandInteraction | MessageComponentInteraction, payload: BotMessage): Promise<Message> {
  return interaction.editReply({ content: payload.content ?? null, embeds: payload.embeds, components: payload.components ?? [], allowedMentions: payload.allowedMentions });
}
