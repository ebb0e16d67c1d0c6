/**
 * Reply text for each kind of turn. Pure: papers and quotes in, plain text out, with
 * [n] markers matching the citations. Readable on a terminal as it is; the Discord layer
 * renders embeds from `citations` and `papers`.
 */
import type { Paper } from '../collection/types.js';
import { oneLine, quoteUser } from './safe-text.js';

export interface Composed {
  reply: string;
  citations: { n: number; paper: Paper }[];
  papers: Paper[];
}

/** Replies stay well inside a Discord message (2000 characters). */
export const MAX_REPLY_CHARS = 1900;
const TITLE_CHARS = 150;

export function link(paper: Paper): string {
  return paper.url ?? paper.searchUrl;
}

function title(paper: Paper): string {
  return oneLine(paper.title, TITLE_CHARS);
}

/** Numbered citations for papers in order: [1] first, [2] second, … */
export function cite(papers: readonly Paper[]): { n: number; paper: Paper }[] {
  return papers.map((paper, i) => ({ n: i + 1, paper }));
}

/** Lines joined, cut at a line boundary to fit MAX_REPLY_CHARS. */
export function fit(lines: readonly string[]): string {
  const out: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > MAX_REPLY_CHARS) {
      if (out.length === 0) out.push(oneLine(line, MAX_REPLY_CHARS));
      break;
    }
    out.push(line);
    length += line.length + 1;
  }
  return out.join('\n').trim();
}

/** A numbered list, one line each: the title, then why it is there. */
export function paperList(
  heading: string,
  items: readonly { paper: Paper; why?: string }[],
  more?: { heading: string; items: readonly { paper: Paper; why?: string }[] },
): Composed {
  const lines = heading ? [heading] : [];
  const all = [...items, ...(more?.items ?? [])];
  all.forEach(({ paper, why }, i) => {
    if (more?.items.length && i === items.length) lines.push(more.heading);
    lines.push(`[${i + 1}] ${title(paper)}${why ? ` — ${oneLine(why, 200)}` : ''}`);
  });
  const papers = all.map((x) => x.paper);
  return { reply: fit(lines), citations: cite(papers), papers };
}

/**
 * An extractive answer: sentences already carrying [n] markers for `cited`, then the
 * sources, then other papers worth a look numbered on from the sources.
 */
export function answer(sentences: string, cited: readonly Paper[], seeAlso: readonly Paper[] = [], lead?: string): Composed {
  const lines: string[] = [];
  lines.push(lead ? `${lead} ${sentences}` : sentences);
  lines.push('');
  lines.push(`Source${cited.length > 1 ? 's' : ''}:`);
  cited.forEach((p, i) => lines.push(`[${i + 1}] ${title(p)}`));
  const others = seeAlso.filter((p) => !cited.some((c) => c.id === p.id));
  if (others.length) {
    lines.push('', 'See also:');
    others.forEach((p, i) => lines.push(`[${cited.length + i + 1}] ${title(p)}`));
  }
  return { reply: fit(lines), citations: cite(cited), papers: [...cited, ...others] };
}

/** "I couldn't find that" with the closest papers (and the closest sentence, quoted, when there is one). */
export function notFound(message: string, closest: readonly Paper[], quoted?: { paper: Paper; text: string }): Composed {
  const lines = [message];
  const papers = quoted ? [quoted.paper, ...closest.filter((p) => p.id !== quoted.paper.id)] : [...closest];
  if (quoted) lines.push(`${/:$/.test(message) ? '' : 'The closest it comes: '}“${oneLine(quoted.text, 800)}” [1]`);
  if (papers.length) {
    lines.push('', quoted ? 'Papers:' : 'The closest papers:');
    papers.forEach((p, i) => lines.push(`[${i + 1}] ${title(p)}`));
  }
  return { reply: fit(lines), citations: quoted ? cite([quoted.paper]) : [], papers };
}

/** One paper in detail: title, what it does, code and link. */
export function paperDetail(paper: Paper, summary: readonly string[], similar: readonly Paper[] = []): Composed {
  const lines = [`[1] ${title(paper)}`, oneLine(summary.join(' '), 700)];
  if (paper.authors.length) lines.push(`Authors: ${oneLine(paper.authors.join(', '), 200)}`);
  if (paper.published) lines.push(`Published: ${paper.published}`);
  lines.push(paper.codeLinks.length ? `Code: ${paper.codeLinks.map((c) => c.url).join(' ')}` : 'Code: none listed in the collection');
  lines.push(`Link: ${link(paper)}`);
  if (similar.length) {
    lines.push('', 'Related:');
    similar.forEach((p, i) => lines.push(`[${i + 2}] ${title(p)}`));
  }
  return { reply: fit(lines), citations: [{ n: 1, paper }], papers: [paper, ...similar] };
}

/** Several papers briefly (for "tell me about them"). */
export function paperBriefs(items: readonly { paper: Paper; summary: string }[]): Composed {
  const lines: string[] = [];
  items.forEach(({ paper, summary }, i) => {
    if (i) lines.push('');
    lines.push(`[${i + 1}] ${title(paper)}`, oneLine(summary, 400));
  });
  const papers = items.map((x) => x.paper);
  return { reply: fit(lines), citations: cite(papers), papers };
}

/** Code links for each paper, or a plain "none listed". */
export function codeLinks(papers: readonly Paper[], others: readonly Paper[] = []): Composed {
  const lines: string[] = [];
  if (papers.length === 1) {
    const p = papers[0]!;
    if (p.codeLinks.length) {
      lines.push(`Yes — [1] ${title(p)} has code:`);
      for (const c of p.codeLinks) lines.push(`${c.url}`);
    } else {
      lines.push(`The collection lists no code for [1] ${title(p)}: its abstract links no repository.`, `Paper: ${link(p)}`);
    }
    // "it" right after a list may have meant another paper of it.
    const alsoCode = others.filter((o) => o.id !== p.id && o.codeLinks.length);
    if (alsoCode.length) {
      lines.push('', 'Others in the list with code:');
      alsoCode.forEach((o, i) => lines.push(`[${i + 2}] ${title(o)} — ${o.codeLinks.map((c) => c.url).join(' ')}`));
      return { reply: fit(lines), citations: cite([p]), papers: [p, ...alsoCode] };
    }
  } else {
    const withCode = papers.filter((p) => p.codeLinks.length);
    lines.push(withCode.length ? `${withCode.length} of these ${papers.length} list code:` : `None of these ${papers.length} lists code in the collection.`);
    papers.forEach((p, i) => lines.push(`[${i + 1}] ${title(p)} — ${p.codeLinks.length ? p.codeLinks.map((c) => c.url).join(' ') : 'no code listed'}`));
  }
  return { reply: fit(lines), citations: cite(papers), papers: [...papers] };
}

/** Authors or date from the collection's metadata, or a plain "the collection doesn't say". */
export function metadata(
  papers: readonly Paper[],
  field: 'authors' | 'date',
  /** Per paper, a sentence of its abstract about where the work was done, if any. */
  affiliation: (paper: Paper) => string | undefined = () => undefined,
): { composed: Composed; known: boolean; saidWhere: boolean } {
  const lines: string[] = [];
  let known = false;
  let saidWhere = false;
  papers.forEach((p, i) => {
    const value = field === 'authors' ? (p.authors.length ? p.authors.join(', ') : '') : (p.published ?? '');
    const where = field === 'authors' ? affiliation(p) : undefined;
    if (value) {
      known = true;
      lines.push(`[${i + 1}] ${title(p)} — ${field === 'authors' ? 'by' : 'published'} ${oneLine(value, 300)}`);
    } else {
      const what = field === 'authors' ? 'who wrote' : 'when it was published';
      lines.push(`The collection doesn't say ${what} [${i + 1}] ${title(p)}: it only has the title and abstract. The paper itself will: ${link(p)}`);
    }
    if (where) {
      saidWhere = true;
      lines.push(`Its abstract says: “${oneLine(where, 300)}” [${i + 1}]`);
    }
  });
  return { composed: { reply: fit(lines), citations: cite(papers), papers: [...papers] }, known, saidWhere };
}

/** Papers side by side: what each does, what they share, what sets each apart. */
export function comparison(items: readonly { paper: Paper; summary: string; own: readonly string[] }[], shared: readonly string[]): Composed {
  const lines: string[] = [];
  items.forEach(({ paper, summary }, i) => lines.push(`[${i + 1}] ${title(paper)}: ${oneLine(summary, 350)}`));
  if (shared.length) lines.push('', `In common: ${shared.join(', ')}.`);
  const apart = items.filter((x) => x.own.length);
  if (apart.length) {
    lines.push(shared.length ? 'Where they differ:' : '', ...apart.map((x) => `[${items.indexOf(x) + 1}] ${x.own.join(', ')}`));
  }
  const papers = items.map((x) => x.paper);
  return { reply: fit(lines.filter((l, i) => l || i > 0)), citations: cite(papers), papers };
}

export function plain(text: string): Composed {
  return { reply: fit([text]), citations: [], papers: [] };
}

export const HELP_TEXT = [
  "I'm paperbot: I search this team's paper collection and answer from the abstracts, with sources.",
  'Try:',
  '• "anything on <topic>?" or "which papers use <method>?" — a short list, one line on why each matches',
  '• "tell me about <paper title or name>" — what it does, code and link',
  '• a question, e.g. "how does <paper name> work?" — an answer quoted from the abstracts, with [n] sources',
  '• follow-ups: "does it have code?", "tell me about the second one", "anything similar to it?", "compare them"',
  '• "today\'s picks" — a few papers to read today',
].join('\n');

export function greeting(): Composed {
  return plain(`Hi! ${HELP_TEXT}`);
}

export function echoTopic(topic: string): string {
  return quoteUser(topic, 80);
}
