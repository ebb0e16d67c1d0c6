/**
 * Discord's message limits, and the one message() builder every view ends with: it
 * enforces the limits and sets `allowedMentions: { parse: [] }`, so nothing the bot
 * sends can ping anyone.
 */
import type { APIActionRowComponent, APIComponentInActionRow, APIEmbed, APIEmbedField, MessageFlags } from 'discord.js';
import { truncate } from '../../text.js';

export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  embeds: 10,
  content: 2000,
  selectOptions: 25,
  selectLabel: 100,
  selectDescription: 100,
  customId: 100,
  /** Modals: the form's title, a field's label, and what a text box holds. */
  modalTitle: 45,
  inputLabel: 45,
  textInput: 4000,
} as const;

/** Embed colour of each kind of message. */
export const COLOR = { result: 0x5865f2, answer: 0x57f287, unanswered: 0x99aab5, error: 0xed4245, picks: 0xfee75c } as const;

export type NoMentions = { parse: [] };
export const NO_MENTIONS: NoMentions = { parse: [] };

export interface BotMessage {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInActionRow>[];
  allowedMentions: NoMentions;
  flags?: MessageFlags.Ephemeral;
}

function embedLength(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

export function totalLength(embeds: readonly APIEmbed[]): number {
  return embeds.reduce((sum, e) => sum + embedLength(e), 0);
}

function clampEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.title) || undefined;
  if (out.description !== undefined) out.description = truncate(out.description, LIMITS.description) || undefined;
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footer) || '\u200b' };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, LIMITS.author) || '\u200b' };
  if (out.fields) {
    // Discord rejects empty names/values: drop fields with nothing to say.
    const fields: APIEmbedField[] = out.fields
      .map((f) => ({ ...f, name: truncate(f.name.trim(), LIMITS.fieldName), value: truncate(f.value.trim(), LIMITS.fieldValue) }))
      .filter((f) => f.name.length > 0 && f.value.length > 0)
      .slice(0, LIMITS.fields);
    out.fields = fields.length > 0 ? fields : undefined;
  }
  if (out.fields === undefined) delete out.fields;
  if (out.title === undefined) delete out.title;
  if (out.description === undefined) delete out.description;
  return out;
}

/**
 * Enforce every per-embed limit, at most 10 embeds, and the 6000-character
 * total: the longest descriptions shrink first, then the longest field values,
 * and only then are trailing embeds dropped.
 */
export function enforceEmbedLimits(input: readonly APIEmbed[]): APIEmbed[] {
  const embeds = input.slice(0, LIMITS.embeds).map(clampEmbed);
  for (let guard = 0; guard < 200; guard++) {
    const over = totalLength(embeds) - LIMITS.total;
    if (over <= 0) return embeds;
    if (!shrinkLongest(embeds, over)) {
      if (embeds.length <= 1) break;
      embeds.pop();
    }
  }
  // Last resort (one embed still too long with short descriptions): cut fields.
  return embeds.map((e) => (totalLength([e]) > LIMITS.total ? clampEmbed({ ...e, fields: [] }) : e));
}

const MIN_KEEP = 80;

function shrinkLongest(embeds: APIEmbed[], over: number): boolean {
  let best: { embed: APIEmbed; field?: APIEmbedField; length: number } | undefined;
  for (const embed of embeds) {
    const length = embed.description?.length ?? 0;
    if (length > MIN_KEEP && (!best || length > best.length)) best = { embed, length };
  }
  if (!best) {
    for (const embed of embeds)
      for (const field of embed.fields ?? [])
        if (field.value.length > MIN_KEEP && (!best || field.value.length > best.length)) best = { embed, field, length: field.value.length };
  }
  if (!best) return false;
  const target = Math.max(MIN_KEEP, best.length - over, Math.floor(best.length / 2));
  if (best.field) best.field.value = truncate(best.field.value, target);
  else best.embed.description = truncate(best.embed.description ?? '', target);
  return true;
}

/** The finished payload: embeds within limits, content ≤ 2000, no mentions, no empty component list. */
export function message(parts: Omit<BotMessage, 'allowedMentions' | 'embeds'> & { embeds?: APIEmbed[] }): BotMessage {
  const out: BotMessage = { ...parts, embeds: enforceEmbedLimits(parts.embeds ?? []), allowedMentions: { parse: [] } };
  if (out.content !== undefined) out.content = truncate(out.content, LIMITS.content);
  if (!out.components || out.components.length === 0) delete out.components;
  return out;
}
