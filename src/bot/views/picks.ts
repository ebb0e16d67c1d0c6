/** The daily picks (the auto-post and /today), with the day's new arrivals from the feeds. */
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIComponentInActionRow, APIEmbed } from 'discord.js';
import type { Paper } from '../../collection/types.js';
import type { DailyArrival } from '../../library/arrivals.js';
import { arrivalAddId } from '../components.js';
import { COLOR, enforceEmbedLimits, LIMITS, type NoMentions } from './limits.js';
import { codeLinksText } from './results.js';
import { paperLink, paperUrl, safeText, safeUrl } from './text.js';

/** A new paper from the feeds, as the daily post shows it. */
export type ArrivalView = DailyArrival;

/** Buttons in one row (Discord allows 5). */
const BUTTONS_PER_ROW = 5;

/** The "New today" embed: each arrival linked, with why it is suggested. */
export function arrivalsEmbed(arrivals: readonly ArrivalView[]): APIEmbed {
  const lines = arrivals.map((a, i) => {
    const title = safeText(a.title, 200).replace(/\\?\[/g, '(').replace(/\\?\]/g, ')');
    const url = safeUrl(a.url);
    const head = `**${i + 1}.** ${url ? `[${title}](${url})` : title}`;
    const authors = a.authors.length ? `\n${safeText(a.authors.length > 3 ? `${a.authors.slice(0, 3).join(', ')} et al.` : a.authors.join(', '), 200)}` : '';
    const because = a.because ? `\n↳ because it is close to ${'id' in a.because ? paperLink(a.because, 120) : `“${safeText(a.because.title, 120)}”`}` : '';
    return `${head}${authors}${because}`;
  });
  return { title: 'New today', description: lines.join('\n\n'), color: COLOR.result };
}

/** One "Add N to collection" button per arrival. */
export function arrivalButtons(arrivals: readonly ArrivalView[]): APIActionRowComponent<APIComponentInActionRow>[] {
  const buttons = arrivals.slice(0, BUTTONS_PER_ROW).map((a, i) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    custom_id: arrivalAddId(a.itemId),
    label: arrivals.length === 1 ? 'Add to collection' : `Add ${i + 1} to collection`,
  }));
  return buttons.length ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

export function picksMessage(
  papers: readonly Paper[],
  opts: { date: string; footer?: string; arrivals?: readonly ArrivalView[] },
): { embeds: APIEmbed[]; components?: APIActionRowComponent<APIComponentInActionRow>[]; allowedMentions: NoMentions } {
  const footer = { text: opts.footer ?? `Daily picks · ${opts.date}` };
  if (papers.length === 0) {
    return { embeds: enforceEmbedLimits([{ title: `No picks for ${opts.date}`, description: 'The collection is empty.', color: COLOR.picks, footer }]), allowedMentions: { parse: [] } };
  }
  const embeds: APIEmbed[] = papers.slice(0, LIMITS.embeds).map((paper, i) => {
    const code = codeLinksText(paper);
    const embed: APIEmbed = {
      title: `${i + 1}. ${safeText(paper.title, LIMITS.title - 6)}`,
      url: paperUrl(paper),
      description: safeText(paper.abstract, 500) || undefined,
      color: COLOR.picks,
      fields: code ? [{ name: 'Code', value: code }] : [],
    };
    if (!embed.url) delete embed.url;
    return embed;
  });
  embeds[0]!.author = { name: `Paper picks for ${opts.date}` };
  const arrivals = opts.arrivals ?? [];
  // The day's arrivals after the picks, within the 10-embed limit (the picks count at most 10).
  if (arrivals.length > 0 && embeds.length < LIMITS.embeds) embeds.push(arrivalsEmbed(arrivals));
  embeds[embeds.length - 1]!.footer = footer;
  const limited = enforceEmbedLimits(embeds);
  // Buttons only for arrivals that are really shown.
  const shownArrivals = arrivals.length > 0 && limited.at(-1)?.title === 'New today';
  return {
    embeds: limited,
    ...(shownArrivals ? { components: arrivalButtons(arrivals) } : {}),
    allowedMentions: { parse: [] },
  };
}
