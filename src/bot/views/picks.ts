/** The daily picks (the auto-post and /today). */
import type { APIEmbed } from 'discord.js';
import type { Paper } from '../../collection/types.js';
import { COLOR, enforceEmbedLimits, LIMITS, type NoMentions } from './limits.js';
import { codeLinksText } from './results.js';
import { paperUrl, safeText } from './text.js';

export function picksMessage(papers: readonly Paper[], opts: { date: string; footer?: string }): { embeds: APIEmbed[]; allowedMentions: NoMentions } {
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
  embeds[embeds.length - 1]!.footer = footer;
  return { embeds: enforceEmbedLimits(embeds), allowedMentions: { parse: [] } };
}
