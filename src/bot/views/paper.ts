/** One paper: abstract, authors, code links, the most similar papers. */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Paper } from '../../collection/types.js';
import type { SearchHit } from '../../engine/types.js';
import { COLOR, LIMITS, message, type BotMessage } from './limits.js';
import { arxivLinksText, codeLinksText, moreLikeThisRow } from './results.js';
import { paperLink, paperUrl, safeText } from './text.js';

export interface PaperMessageOptions {
  /** Heading of the similar-papers field (default "Similar papers"). */
  similarLabel?: string;
  /** A line above the embed ("Added to the collection."). */
  content?: string;
}

export function paperMessage(paper: Paper, similar: readonly SearchHit[], opts: PaperMessageOptions = {}): BotMessage {
  const fields: APIEmbedField[] = [];
  if (paper.authors.length > 0) fields.push({ name: 'Authors', value: safeText(paper.authors.join(', '), 1000) });
  if (paper.published) fields.push({ name: 'Published', value: safeText(paper.published, 40), inline: true });
  const arxiv = arxivLinksText(paper);
  if (arxiv) fields.push({ name: 'arXiv', value: arxiv, inline: true });
  const code = codeLinksText(paper);
  if (code) fields.push({ name: 'Code', value: code });
  if (similar.length > 0) {
    fields.push({ name: opts.similarLabel ?? 'Similar papers', value: similar.slice(0, 3).map((hit, i) => `${i + 1}. ${paperLink(hit.paper, 100)}`).join('\n') });
  }
  const embed: APIEmbed = {
    title: safeText(paper.title, LIMITS.title),
    url: paperUrl(paper),
    description: safeText(paper.abstract, 3500) || 'No abstract.',
    color: COLOR.result,
    fields,
    footer: { text: `id: ${paper.id}` },
  };
  if (!embed.url) delete embed.url;
  const row = moreLikeThisRow(similar, 1);
  return message({ ...(opts.content ? { content: opts.content } : {}), embeds: [embed], components: row ? [row] : [] });
}
