/** Pieces shared by the result-list views (find, similar, paper, picks). */
import { ComponentType } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIComponentInActionRow, APIEmbed, APISelectMenuOption } from 'discord.js';
import { paperLinks } from '../../collection/links.js';
import type { Paper } from '../../collection/types.js';
import type { SearchHit, SearchResult } from '../../engine/types.js';
import { truncate } from '../../text.js';
import { MORE_LIKE_THIS_ID } from '../components.js';
import { COLOR, LIMITS } from './limits.js';
import { paperUrl, safeText, safeUrl } from './text.js';

/** A paper's code links as masked links, one per line, within one field value. */
export function codeLinksText(paper: Paper): string {
  const lines: string[] = [];
  for (const link of paper.codeLinks) {
    const url = safeUrl(link.url);
    if (!url) continue;
    const label = safeText(url.replace(/^https?:\/\/(www\.)?/, ''), 80).replace(/[[\]]/g, '');
    const line = `[${label}](${url})`;
    if (lines.join('\n').length + line.length + 1 > LIMITS.fieldValue) break;
    lines.push(line);
  }
  return lines.join('\n');
}

/** `[abs](…) · [pdf](…)` for an arXiv paper, else ''. */
export function arxivLinksText(paper: Paper): string {
  const links = paperLinks(paper);
  const abs = safeUrl(links.abs);
  const pdf = safeUrl(links.pdf);
  return abs && pdf ? `[abs](${abs}) · [pdf](${pdf})` : '';
}

/** "A. One, B. Two, C. Three et al. · 2025-01-02", or '' when the paper has neither. */
export function bylineText(paper: Paper): string {
  const authors = paper.authors.length > 3 ? `${paper.authors.slice(0, 3).join(', ')} et al.` : paper.authors.join(', ');
  return safeText([authors, paper.published].filter(Boolean).join(' · '), 300);
}

const SNIPPET_MAX = 400;

/** One numbered result: title (linked), snippet, code links. */
export function hitEmbed(hit: SearchHit, n: number): APIEmbed {
  const code = codeLinksText(hit.paper);
  const embed: APIEmbed = {
    title: `${n}. ${safeText(hit.paper.title, LIMITS.title - 6)}`,
    url: paperUrl(hit.paper),
    description: [bylineText(hit.paper) && `*${bylineText(hit.paper)}*`, safeText(hit.snippet || hit.paper.abstract, SNIPPET_MAX)].filter(Boolean).join('\n') || undefined,
    color: COLOR.result,
    fields: [...(arxivLinksText(hit.paper) ? [{ name: 'arXiv', value: arxivLinksText(hit.paper), inline: true }] : []), ...(code ? [{ name: 'Code', value: code }] : [])],
  };
  if (!embed.url) delete embed.url;
  return embed;
}

/** The "More like this…" select menu under a result list (routed to the `similar` command). */
export function moreLikeThisRow(hits: readonly Pick<SearchHit, 'paper'>[], firstNumber: number): APIActionRowComponent<APIComponentInActionRow> | undefined {
  const options: APISelectMenuOption[] = hits.slice(0, LIMITS.selectOptions).map((hit, i) => ({
    label: truncate(`${firstNumber + i}. ${hit.paper.title.replace(/\s+/g, ' ')}`, LIMITS.selectLabel),
    value: hit.paper.id,
  }));
  if (options.length === 0) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.StringSelect, custom_id: MORE_LIKE_THIS_ID, placeholder: 'More like this…', options, min_values: 1, max_values: 1 }],
  };
}

/** "mode · N ms · extra" under a result list. */
export function footerLine(result: Pick<SearchResult, 'mode' | 'tookMs'>, extra?: string): string {
  return [`${result.mode}`, `${Math.round(result.tookMs)} ms`, extra].filter(Boolean).join(' · ');
}
