import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { aboutMessage } from '../../src/bot/views/about.js';
import { askMessage } from '../../src/bot/views/ask.js';
import { errorMessage } from '../../src/bot/views/error.js';
import { candidatesMessage, PICK_PAPER_ID } from '../../src/bot/views/candidates.js';
import { findMessage } from '../../src/bot/views/find.js';
import { LIMITS, enforceEmbedLimits, totalLength, type BotMessage } from '../../src/bot/views/limits.js';
import { paperMessage } from '../../src/bot/views/paper.js';
import { picksMessage } from '../../src/bot/views/picks.js';
import { similarMessage } from '../../src/bot/views/similar.js';
import { escapeText, safeText } from '../../src/bot/views/text.js';
import { escapeMarkdown } from '@discordjs/formatters';
import { NASTY_STRINGS } from '../faults/nasty-inputs.js';
import type { SearchHit, SearchResult } from '../../src/engine/types.js';
import { FAKE_PAPERS } from '../helpers/fake-engine.js';

const nasty = FAKE_PAPERS[4]!; // markdown + mentions in the title
const longTitle = FAKE_PAPERS[5]!; // 300-char title, 10k abstract

function assertWithinLimits(msg: { embeds: APIEmbed[]; content?: string }): void {
  expect(msg.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
  expect(totalLength(msg.embeds)).toBeLessThanOrEqual(LIMITS.total);
  if (msg.content !== undefined) expect(msg.content.length).toBeLessThanOrEqual(LIMITS.content);
  for (const e of msg.embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.footer);
    expect(e.author?.name.length ?? 0).toBeLessThanOrEqual(LIMITS.author);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
  }
}

function allText(msg: BotMessage | { embeds: APIEmbed[] }): string {
  const parts = ['content' in msg ? (msg.content ?? '') : ''];
  for (const e of msg.embeds) parts.push(e.title ?? '', e.description ?? '', e.author?.name ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]));
  return parts.join('\n');
}

const hugeHits = (n: number): SearchHit[] =>
  Array.from({ length: n }, (_, i) => ({ paper: { ...longTitle, id: `p${i}` }, score: 1, snippet: 'word '.repeat(2000) }));
const result = (hits: SearchHit[], total = hits.length): SearchResult => ({ mode: 'hybrid', hits, total, tookMs: 12.4 });

describe('escapeText (escapeMarkdown, skipping escapers with nothing to do)', () => {
  it('gives exactly what escapeMarkdown with every escaper gives, on hostile and ordinary text', () => {
    const full = (t: string) => escapeMarkdown(t, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
    const samples = [
      ...NASTY_STRINGS.map((n) => n.text.slice(0, 3000)),
      'A plain abstract: we propose a state-of-the-art model (v2.0) that is 12x faster on 3 benchmarks.',
      '# heading', '- bullet', '* star bullet', '1. numbered', '  2. indented numbered', '[masked](https://x.y)', 'a\\b', '`code` and ```block```',
      'snake_case and __dunder__ and *emph* and **bold** and ***both***', '~~strike~~ ||spoiler|| |pipe| ~tilde~', '<:emoji_name:123> <a:x_y:1>',
      'https://example.com/a_b_c*d', 'end with underscore_', '_', '*', '__', '**', '#', '[', '\\',
    ];
    for (const text of samples) expect(escapeText(text), JSON.stringify(text.slice(0, 60))).toBe(full(text));
  });
});

describe('safeText', () => {
  it('escapes markdown and makes mentions inert within the limit', () => {
    const out = safeText(nasty.title, 256);
    expect(out).toContain('\\*\\*Discrete\\*\\*');
    expect(out).not.toMatch(/@everyone/);
    expect(out).toContain('@\u200beveryone');
    expect(out).not.toMatch(/<@\d/);
    expect(out).toContain('\\[Representation'); // an escaped bracket: no masked link
  });
  it('stays within the limit even when escaping grows the text', () => {
    const out = safeText('*_'.repeat(500), 100);
    expect(out.length).toBeLessThanOrEqual(100);
  });
});

describe('enforceEmbedLimits', () => {
  it('caps a 300-char title, a 10k description, fields and the 6000 total', () => {
    const embeds = enforceEmbedLimits(
      Array.from({ length: 12 }, () => ({
        title: 'T'.repeat(300),
        description: 'word '.repeat(2000),
        footer: { text: 'f'.repeat(3000) },
        fields: [{ name: 'n'.repeat(300), value: 'v '.repeat(1000) }, { name: '', value: 'x' }, { name: 'empty', value: '   ' }, ...Array.from({ length: 30 }, () => ({ name: 'a', value: 'b' }))],
      })),
    );
    assertWithinLimits({ embeds });
    expect(embeds.length).toBeGreaterThan(0);
    expect(embeds[0]!.description!.endsWith('…')).toBe(true);
  });
});

describe('candidatesMessage', () => {
  it('an ephemeral picker of at most 25 papers, labels ≤ 100, values are the ids', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...FAKE_PAPERS[5]!, id: `id-${i}` }));
    const msg = candidatesMessage('patch', many, PICK_PAPER_ID);
    expect(msg.flags).toBe(64);
    const menu = msg.components![0]!.components[0] as { custom_id: string; options: { label: string; value: string; description: string }[] };
    expect(menu.custom_id).toBe('paper:pick');
    expect(menu.options).toHaveLength(25);
    for (const o of menu.options) expect(o.label.length).toBeLessThanOrEqual(100);
    expect(menu.options[0]!.value).toBe('id-0');
    expect(msg.content).toMatch(/30 papers match “patch” \(the first 25 shown\)/);
    expect(msg.allowedMentions).toEqual({ parse: [] });
  });
});

describe('findMessage', () => {
  it('10 results with huge snippets stay within every limit, numbered, with a footer', () => {
    const msg = findMessage(result(hugeHits(10), 40), 'patches', { offset: 10, k: 10, hasCode: false, queryHash: 'abc' });
    assertWithinLimits(msg);
    expect(msg.embeds).toHaveLength(10);
    expect(msg.embeds[0]!.title).toMatch(/^11\. /);
    expect(msg.embeds[9]!.footer!.text).toMatch(/hybrid · 12 ms · results 11–20 of 40/);
    expect(msg.allowedMentions).toEqual({ parse: [] });
  });

  it('has a "More like this" select and paging buttons with short custom ids', () => {
    const msg = findMessage(result(hugeHits(5), 20), 'q', { offset: 5, k: 5, hasCode: true, queryHash: 'h4sh' });
    const [selectRow, buttonRow] = msg.components!;
    const select = selectRow!.components[0] as { custom_id: string; options: { label: string; value: string }[] };
    expect(select.custom_id).toBe('similar:more');
    expect(select.options.map((o) => o.value)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    for (const o of select.options) expect(o.label.length).toBeLessThanOrEqual(100);
    const ids = (buttonRow!.components as { custom_id: string }[]).map((b) => b.custom_id);
    expect(ids).toEqual(['find:page:0:5:1:h4sh', 'find:page:10:5:1:h4sh']);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
  });

  it('says which words it searched when the engine corrected the query', () => {
    const msg = findMessage({ ...result(hugeHits(2), 2), correctedQuery: 'quantization' }, 'quantizaton', { offset: 0, k: 5, hasCode: false, queryHash: 'h' });
    expect(msg.content).toBe('Search: “quantizaton”\nShowing results for “quantization”');
    expect(findMessage(result(hugeHits(2), 2), 'q', { offset: 0, k: 5, hasCode: false, queryHash: 'h' }).content).not.toMatch(/Showing/);
  });

  it('disables Next on the last page and explains an empty result', () => {
    const last = findMessage(result(hugeHits(2), 2), 'q', { offset: 0, k: 5, hasCode: false, queryHash: 'h' });
    const next = last.components![1]!.components[0] as { disabled?: boolean };
    expect(next.disabled).toBe(true);
    const none = findMessage(result([], 0), '**bold** @everyone', { offset: 0, k: 5, hasCode: false, queryHash: 'h' });
    expect(none.embeds[0]!.title).toBe('No papers found');
    expect(none.components).toBeUndefined();
    expect(none.content).not.toMatch(/@everyone/);
    expect(none.content).toContain('\\*\\*bold\\*\\*');
  });

  it('links titles to paper.url, else the search url', () => {
    const msg = findMessage(result([{ paper: FAKE_PAPERS[0]!, score: 1, snippet: 's' }, { paper: FAKE_PAPERS[1]!, score: 1, snippet: 's' }]), 'q', { offset: 0, k: 5, hasCode: false, queryHash: 'h' });
    expect(msg.embeds[0]!.url).toBe('https://arxiv.org/abs/2212.14593');
    expect(msg.embeds[1]!.url).toMatch(/^https:\/\/arxiv\.org\/a\/search\?query=/);
    expect(msg.embeds[0]!.fields![0]!.value).toContain('https://github.com/example/nirvana');
  });
});

describe('other messages', () => {
  it('similarMessage names the paper and stays within limits', () => {
    const msg = similarMessage(result(hugeHits(10)), { paper: nasty });
    assertWithinLimits(msg);
    expect(msg.content).toMatch(/^Papers similar to \*\*/);
    expect(msg.content).not.toMatch(/@everyone/);
  });

  it('askMessage lists cited sources and says plainly when not answered', () => {
    const cited = askMessage(
      { answered: true, answer: 'Patches help [1]. Also [2].', citations: [{ n: 1, paper: FAKE_PAPERS[0]! }, { n: 2, paper: nasty }], mode: 'lexical', tookMs: 3 },
      'why @everyone?',
    );
    assertWithinLimits(cited);
    const sources = cited.embeds[0]!.fields![0]!;
    expect(sources.name).toBe('Sources');
    expect(sources.value).toMatch(/^\[1\] \[NIRVANA/);
    expect(sources.value).toContain('(https://arxiv.org/abs/2212.14593)');
    expect(allText(cited)).not.toMatch(/@everyone/);
    const no = askMessage({ answered: false, answer: 'The collection does not say.', citations: [], mode: 'lexical', tookMs: 1 }, 'q');
    expect(no.embeds[0]!.title).toMatch(/Not answered/);
    expect(no.embeds[0]!.fields).toBeUndefined();
  });

  it('askMessage with many long citations splits Sources across fields within limits', () => {
    const citations = Array.from({ length: 25 }, (_, i) => ({ n: i + 1, paper: longTitle }));
    const msg = askMessage({ answered: true, answer: 'x '.repeat(5000), citations, mode: 'hybrid', tookMs: 1 }, 'q'.repeat(400));
    assertWithinLimits(msg);
    expect(msg.embeds[0]!.fields!.length).toBeGreaterThan(1);
  });

  it('paperMessage with a 10k abstract and a 300-char title', () => {
    const msg = paperMessage(longTitle, hugeHits(3));
    assertWithinLimits(msg);
    expect(msg.embeds[0]!.fields!.find((f) => f.name === 'Similar papers')!.value.split('\n')).toHaveLength(3);
  });

  it('picksMessage: numbered, footer marker kept, empty collection handled', () => {
    const msg = picksMessage(FAKE_PAPERS, { date: '2026-01-02', footer: 'paperbot-daily:1:2026-01-02' });
    assertWithinLimits(msg);
    expect(msg.embeds).toHaveLength(FAKE_PAPERS.length);
    expect(msg.embeds[0]!.author!.name).toBe('Paper picks for 2026-01-02');
    expect(msg.embeds.at(-1)!.footer!.text).toBe('paperbot-daily:1:2026-01-02');
    expect(msg.allowedMentions).toEqual({ parse: [] });
    expect(allText(msg)).not.toMatch(/@(everyone|here)/);
    expect(picksMessage([], { date: '2026-01-02' }).embeds[0]!.title).toMatch(/No picks/);
  });

  it('picksMessage with new arrivals: a "New today" embed after the picks, one Add button each; with 10 picks there is no room, so neither', () => {
    const arrivals = [1, 2, 3].map((n) => ({
      itemId: n,
      title: `Arrival ${n} @everyone [x](https://evil.example)`,
      url: `https://arxiv.org/abs/2502.0000${n}`,
      authors: ['A', 'B', 'C', 'D'],
      because: n === 1 ? FAKE_PAPERS[0]! : { title: 'Gone paper' },
    }));
    const msg = picksMessage(FAKE_PAPERS.slice(0, 3), { date: '2026-01-02', footer: 'marker', arrivals });
    assertWithinLimits(msg);
    expect(msg.embeds.map((e) => e.title?.slice(0, 3))).toEqual(['1. ', '2. ', '3. ', 'New']);
    const news = msg.embeds.at(-1)!;
    expect(news.footer!.text).toBe('marker');
    expect(news.description).toMatch(/\*\*1\.\*\* \[Arrival 1 @\u200beveryone/);
    expect(news.description).toMatch(/A, B, C et al\./);
    expect(news.description).toMatch(/because it is close to \[NIRVANA/);
    expect(news.description).toMatch(/because it is close to “Gone paper”/);
    expect(msg.components![0]!.components.map((c) => (c as { custom_id: string }).custom_id)).toEqual(['add:arrival:1', 'add:arrival:2', 'add:arrival:3']);
    const ten = Array.from({ length: 10 }, (_, i) => ({ ...FAKE_PAPERS[i % FAKE_PAPERS.length]!, id: `p${i}` }));
    const full = picksMessage(ten, { date: '2026-01-02', arrivals });
    expect(full.embeds).toHaveLength(10);
    expect(full.components).toBeUndefined();
  });

  it('aboutMessage shows size, mode, model note, index age and uptime', () => {
    const msg = aboutMessage(
      { papers: 212, mode: 'lexical', model: null, modelNote: 'no model folder', indexBuiltAt: '2026-01-01T00:00:00Z', collectionHash: 'abcdef0123456789' },
      { now: new Date('2026-01-03T01:00:00Z'), startedAt: new Date('2026-01-03T00:30:00Z') },
    );
    const text = allText(msg);
    expect(text).toContain('212');
    expect(text).toContain('none — no model folder');
    expect(text).toContain('2d 1h ago');
    expect(text).toContain('30m 0s');
  });

  it('errorMessage is ephemeral, inert and short', () => {
    const msg = errorMessage(`bad @everyone ${'x'.repeat(5000)}`);
    expect(msg.flags).toBe(64);
    expect(msg.content!.length).toBeLessThanOrEqual(2000);
    expect(msg.content).not.toMatch(/@everyone/);
    expect(msg.allowedMentions).toEqual({ parse: [] });
  });
});
