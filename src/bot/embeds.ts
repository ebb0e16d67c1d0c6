/**
 * Pure builders for every message the bot sends. Each returns a discord.js
 * payload that is already inside Discord's limits, with markdown in paper text
 * escaped and mentions made inert (and `allowedMentions: { parse: [] }`).
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIComponentInActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APISelectMenuOption,
} from 'discord.js';
import type { Paper } from '../collection/types.js';
import type { AskResult, EngineInfo, SearchHit, SearchResult } from '../engine/types.js';
import type { GuildSettings } from '../store/daily-store.js';
import { MORE_LIKE_THIS_ID, findPageId } from './components.js';

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
} as const;

const COLOR = { result: 0x5865f2, answer: 0x57f287, unanswered: 0x99aab5, error: 0xed4245, picks: 0xfee75c } as const;

export type NoMentions = { parse: [] };
export const NO_MENTIONS: NoMentions = { parse: [] };

export interface BotMessage {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInActionRow>[];
  allowedMentions: NoMentions;
  flags?: MessageFlags.Ephemeral;
}

// ---------------------------------------------------------------------------
// Text helpers

/**
 * Cut `text` to at most `max` characters, on a word boundary when one is
 * reasonably close, ending with "…". Never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  if (max === 1) return '…';
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (!/\s/.test(text[cut.length] ?? '')) {
    const lastSpace = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'), cut.lastIndexOf('\t'));
    // Only back up to a space if that keeps most of the text (one huge word would vanish otherwise).
    if (lastSpace > cut.length * 0.6) cut = cut.slice(0, lastSpace);
  }
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/** `@everyone`, `@here` and `<@id>`-style mentions rendered harmless (zero-width space). */
export function inertMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, '@\u200b$1').replace(/<(@[!&]?|#)(\d+)>/g, '<$1\u200b$2>');
}

const ESCAPE_OPTIONS = { heading: true, bulletedList: true, numberedList: true, maskedLink: true } as const;

/**
 * Text from a paper or a user, safe to show: mentions inert, markdown escaped,
 * at most `max` characters. Truncates before escaping so an escape is never cut in half.
 */
export function safeText(raw: string, max: number): string {
  const text = inertMentions(raw.replace(/\s+/g, ' ').trim());
  let budget = max;
  for (let i = 0; i < 6 && budget > 0; i++) {
    const escaped = escapeMarkdown(truncate(text, budget), ESCAPE_OPTIONS);
    if (escaped.length <= max) return escaped;
    budget -= Math.max(1, escaped.length - max);
  }
  return truncate(text.replace(/[\\*_`~|>#[\]()-]/g, ' ').replace(/\s+/g, ' '), max);
}

/** A short quote of user input for messages: `“…”`, safe and at most `max` characters. */
export function quote(raw: string, max = 80): string {
  return `“${safeText(raw, max)}”`;
}

/** An http(s) URL that Discord will accept as a link, or undefined. Parentheses are encoded so masked links don't break. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    const href = parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
    return href.length <= 2000 ? href : undefined;
  } catch {
    return undefined;
  }
}

export function paperUrl(paper: Paper): string | undefined {
  return safeUrl(paper.url) ?? safeUrl(paper.searchUrl);
}

/** `[title](url)` for lists inside descriptions and fields; brackets in the title would close the link early. */
export function paperLink(paper: Paper, maxTitle = 120): string {
  const title = safeText(paper.title, maxTitle).replace(/\\?\[/g, '(').replace(/\\?\]/g, ')');
  const url = paperUrl(paper);
  return url ? `[${title}](${url})` : title;
}

function codeLinksText(paper: Paper): string {
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

// ---------------------------------------------------------------------------
// Limits

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

function message(parts: Omit<BotMessage, 'allowedMentions' | 'embeds'> & { embeds?: APIEmbed[] }): BotMessage {
  const out: BotMessage = { ...parts, embeds: enforceEmbedLimits(parts.embeds ?? []), allowedMentions: { parse: [] } };
  if (out.content !== undefined) out.content = truncate(out.content, LIMITS.content);
  if (!out.components || out.components.length === 0) delete out.components;
  return out;
}

// ---------------------------------------------------------------------------
// Result lists

const SNIPPET_MAX = 400;

function hitEmbed(hit: SearchHit, n: number): APIEmbed {
  const code = codeLinksText(hit.paper);
  const embed: APIEmbed = {
    title: `${n}. ${safeText(hit.paper.title, LIMITS.title - 6)}`,
    url: paperUrl(hit.paper),
    description: safeText(hit.snippet || hit.paper.abstract, SNIPPET_MAX) || undefined,
    color: COLOR.result,
    fields: code ? [{ name: 'Code', value: code }] : [],
  };
  if (!embed.url) delete embed.url;
  return embed;
}

function moreLikeThisRow(hits: readonly SearchHit[], firstNumber: number): APIActionRowComponent<APIComponentInActionRow> | undefined {
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

function footerLine(result: SearchResult, extra?: string): string {
  return [`${result.mode}`, `${Math.round(result.tookMs)} ms`, extra].filter(Boolean).join(' · ');
}

export interface FindPage {
  offset: number;
  k: number;
  hasCode: boolean;
  /** Key of the query in the query memory, encoded in the paging buttons. */
  queryHash: string;
}

export function findMessage(result: SearchResult, query: string, page: FindPage): BotMessage {
  const first = page.offset + 1;
  const last = page.offset + result.hits.length;
  const range = result.hits.length > 0 ? `results ${first}–${last} of ${result.total}` : `no results`;
  const content = `Search: ${quote(query, 200)}${page.hasCode ? ' (with code)' : ''}`;
  if (result.hits.length === 0) {
    return message({
      content,
      embeds: [{
        title: page.offset > 0 ? 'No more results' : 'No papers found',
        description: page.offset > 0 ? 'That was the last page.' : 'Try other words, or drop the has_code filter.',
        color: COLOR.unanswered,
        footer: { text: footerLine(result, range) },
      }],
    });
  }
  const embeds = result.hits.map((hit, i) => hitEmbed(hit, first + i));
  embeds[embeds.length - 1]!.footer = { text: footerLine(result, range) };
  const buttons: APIComponentInActionRow[] = [];
  if (page.offset > 0) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: '◀ Previous', custom_id: findPageId({ ...page, offset: Math.max(0, page.offset - page.k) }) });
  }
  buttons.push({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: 'Next ▶',
    custom_id: findPageId({ ...page, offset: page.offset + page.k }),
    disabled: last >= result.total,
  });
  const components = [moreLikeThisRow(result.hits, first), { type: ComponentType.ActionRow as const, components: buttons }].filter((r) => r !== undefined);
  return message({ content, embeds, components });
}

/** `about` is what the results are similar to: a paper, or the user's text. */
export function similarMessage(result: SearchResult, about: { paper?: Paper; text?: string }): BotMessage {
  const subject = about.paper ? `**${safeText(about.paper.title, 200)}**` : quote(about.text ?? '', 200);
  const content = `Papers similar to ${subject}`;
  if (result.hits.length === 0) {
    return message({ content, embeds: [{ title: 'No similar papers found', color: COLOR.unanswered, footer: { text: footerLine(result) } }] });
  }
  const embeds = result.hits.map((hit, i) => hitEmbed(hit, i + 1));
  embeds[embeds.length - 1]!.footer = { text: footerLine(result) };
  const row = moreLikeThisRow(result.hits, 1);
  return message({ content, embeds, components: row ? [row] : [] });
}

// ---------------------------------------------------------------------------
// Ask, paper, picks, about, errors

export function askMessage(result: AskResult, question: string): BotMessage {
  const embed: APIEmbed = {
    author: { name: truncate(`Q: ${inertMentions(question.replace(/\s+/g, ' ').trim())}`, LIMITS.author) },
    title: result.answered ? 'Answer' : 'Not answered from the collection',
    // Answer text keeps its [n] markers; markdown in it is escaped like any paper text.
    description: safeText(result.answer, 3000) || 'No answer.',
    color: result.answered ? COLOR.answer : COLOR.unanswered,
    footer: { text: footerLine({ mode: result.mode, tookMs: result.tookMs, hits: [], total: 0 }) },
  };
  const fields: APIEmbedField[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) fields.push({ name: fields.length === 0 ? 'Sources' : 'Sources (cont.)', value: current.join('\n') });
    current = [];
  };
  for (const citation of result.citations) {
    const line = `[${citation.n}] ${paperLink(citation.paper)}`;
    if ([...current, line].join('\n').length > LIMITS.fieldValue) flush();
    current.push(line);
  }
  flush();
  embed.fields = fields;
  return message({ embeds: [embed] });
}

export function paperMessage(paper: Paper, similar: readonly SearchHit[]): BotMessage {
  const fields: APIEmbedField[] = [];
  if (paper.authors.length > 0) fields.push({ name: 'Authors', value: safeText(paper.authors.join(', '), 1000) });
  if (paper.published) fields.push({ name: 'Published', value: safeText(paper.published, 40), inline: true });
  const code = codeLinksText(paper);
  if (code) fields.push({ name: 'Code', value: code });
  if (similar.length > 0) {
    fields.push({ name: 'Similar papers', value: similar.slice(0, 3).map((hit, i) => `${i + 1}. ${paperLink(hit.paper, 100)}`).join('\n') });
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
  return message({ embeds: [embed], components: row ? [row] : [] });
}

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

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function aboutMessage(info: EngineInfo, opts: { now: Date; startedAt: Date }): BotMessage {
  const builtAt = info.indexBuiltAt ? new Date(info.indexBuiltAt) : null;
  const indexAge = builtAt && !Number.isNaN(builtAt.getTime()) ? `${formatDuration(opts.now.getTime() - builtAt.getTime())} ago` : 'no index built';
  const model = info.model ? safeText(info.model, 200) : `none${info.modelNote ? ` — ${safeText(info.modelNote, 800)}` : ''}`;
  return message({
    embeds: [{
      title: 'paperbot',
      description: 'Search, discuss and get daily picks from the team’s paper collection.',
      color: COLOR.result,
      fields: [
        { name: 'Papers', value: String(info.papers), inline: true },
        { name: 'Search mode', value: info.mode, inline: true },
        { name: 'Uptime', value: formatDuration(opts.now.getTime() - opts.startedAt.getTime()), inline: true },
        { name: 'Embedding model', value: model },
        { name: 'Index age', value: indexAge, inline: true },
        { name: 'Collection', value: `\`${safeText(info.collectionHash.slice(0, 12), 12)}\``, inline: true },
      ],
    }],
  });
}

export function dailySettingsMessage(settings: GuildSettings, note?: string): BotMessage {
  return message({
    content: note,
    embeds: [{
      title: 'Daily picks settings',
      color: COLOR.picks,
      fields: [
        { name: 'Channel', value: settings.channelId ? `<#${settings.channelId}>` : 'not set — use `/daily set channel:`', inline: true },
        { name: 'Time', value: `${settings.time} (${settings.timezone})`, inline: true },
        { name: 'Papers per day', value: String(settings.count), inline: true },
        { name: 'Status', value: settings.paused ? 'paused' : settings.channelId ? 'active' : 'inactive (no channel)', inline: true },
      ],
    }],
    flags: MessageFlags.Ephemeral,
  });
}

/** An ephemeral message for the user. `text` is our own wording; user input in it should already be `quote()`d. */
export function errorMessage(text: string): BotMessage {
  return { content: truncate(inertMentions(text), LIMITS.content), embeds: [], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral };
}
