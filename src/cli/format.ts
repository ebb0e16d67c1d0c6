import { truncate } from '../text.js';
import { paperLinks } from '../collection/links.js';
import type { Paper } from '../collection/types.js';
import type { AskResult, SearchHit, SearchResult } from '../engine/types.js';

export const WIDTH = 80;

export interface FormatOptions {
  /** Print links as OSC 8 hyperlinks (a terminal that shows them makes them clickable). */
  hyperlinks?: boolean;
}

/** A link as a word: http(s), ftp or www. */
const URL_WORD = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+$/i;
// Paper text is data: no terminal control characters from it reach the terminal.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `url` as printed: as it is, or as an OSC 8 hyperlink showing the same text. */
export function link(url: string, options: FormatOptions = {}): string {
  const clean = url.replace(CONTROL, '');
  if (!options.hyperlinks || !/^[a-z][a-z0-9+.-]*:\/\//i.test(clean)) return clean;
  return `\u001b]8;;${clean}\u001b\\${clean}\u001b]8;;\u001b\\`;
}

/**
 * Greedy word wrap to `width` columns with an indent; long words are hard-split, except links,
 * which are never broken (so they can be clicked and copied): a link longer than a line gets a
 * line of its own. With `hyperlinks`, links are printed as OSC 8 hyperlinks.
 */
export function wrap(text: string, width = WIDTH, indent = '', options: FormatOptions = {}): string {
  const avail = Math.max(20, width - indent.length);
  const lines: string[] = [];
  let line = '';
  // Widths are counted on the visible text; hyperlinks are applied when the lines are done.
  for (let word of text.replace(CONTROL, '').split(/\s+/).filter(Boolean)) {
    if (URL_WORD.test(word) && word.length > avail) {
      if (line) lines.push(line);
      lines.push(word);
      line = '';
      continue;
    }
    while (word.length > avail) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, avail));
      word = word.slice(avail);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= avail) line += ' ' + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  const show = (l: string) => (options.hyperlinks ? l.split(' ').map((w) => (URL_WORD.test(w) ? link(w, options) : w)).join(' ') : l);
  return lines.map((l) => indent + show(l)).join('\n');
}

function paperLink(p: Paper): string {
  return paperLinks(p).url;
}

/** "A. One, B. Two, C. Three et al." for a list line. */
function authorLine(authors: readonly string[], max = 3): string {
  return authors.length > max ? `${authors.slice(0, max).join(', ')} et al.` : authors.join(', ');
}

export function formatResults(result: SearchResult, heading: string, options: FormatOptions = {}): string {
  const out: string[] = [];
  out.push(truncate(heading, WIDTH));
  if (result.correctedQuery) out.push(truncate(`Showing results for "${result.correctedQuery}"`, WIDTH));
  if (result.hits.length === 0) {
    out.push('', 'No matching papers.');
  }
  result.hits.forEach((hit, i) => {
    const n = `${i + 1}.`.padEnd(4);
    out.push('');
    out.push(wrap(hit.paper.title, WIDTH, '    ').replace(/^ {4}/, n));
    if (hit.paper.authors.length) out.push(wrap(authorLine(hit.paper.authors) + (hit.paper.published ? ` · ${hit.paper.published}` : ''), WIDTH, '    '));
    out.push(wrap(hit.snippet, WIDTH, '    ', options));
    const code = hit.paper.codeLinks[0];
    out.push(`    id: ${hit.paper.id}`);
    if (hit.paper.arxivId) out.push(wrap(`arXiv: ${paperLinks(hit.paper).abs}`, WIDTH, '    ', options));
    if (code) out.push(wrap(`code: ${code.url}`, WIDTH, '    ', options));
  });
  out.push('', `${result.mode} · ${result.hits.length} of ${result.total} · ${result.tookMs.toFixed(1)} ms`);
  return out.join('\n');
}

export function formatAnswer(result: AskResult, options: FormatOptions = {}): string {
  const out = [wrap(result.answer, WIDTH, '', options)];
  if (result.citations.length) {
    out.push('', 'Sources:');
    for (const c of result.citations) {
      out.push(wrap(`[${c.n}] ${c.paper.title}`, WIDTH, '  '));
      out.push(wrap(paperLink(c.paper), WIDTH, '      ', options));
    }
  }
  out.push('', `${result.mode} · ${result.tookMs.toFixed(1)} ms`);
  return out.join('\n');
}

export function formatPaper(paper: Paper, similar?: SearchResult, options: FormatOptions = {}): string {
  const out = [wrap(paper.title), '', wrap(paper.abstract, WIDTH, '', options), ''];
  out.push(`id:     ${paper.id}`);
  const links = paperLinks(paper);
  if (links.abs) {
    out.push(wrap(`arXiv:  ${links.abs}`, WIDTH, '', options));
    out.push(wrap(`pdf:    ${links.pdf}`, WIDTH, '', options));
    if (links.url !== links.abs) out.push(wrap(`link:   ${links.url}`, WIDTH, '', options));
  } else {
    out.push(wrap(`link:   ${links.url}`, WIDTH, '', options));
  }
  if (paper.authors.length) out.push(wrap(`authors: ${paper.authors.join(', ')}`));
  if (paper.published) out.push(`published: ${paper.published}`);
  for (const c of paper.codeLinks) out.push(wrap(`code:   ${c.url}`, WIDTH, '', options));
  if (similar && similar.hits.length) {
    out.push('', 'Similar papers:');
    similar.hits.forEach((h, i) => out.push(wrap(`${i + 1}. ${h.paper.title}`, WIDTH, '  ')));
  }
  return out.join('\n');
}

export function formatPicks(date: string, papers: readonly Paper[], options: FormatOptions = {}): string {
  const out = [`Picks for ${date}`];
  papers.forEach((p, i) => {
    out.push('');
    out.push(wrap(p.title, WIDTH, '    ').replace(/^ {4}/, `${i + 1}.`.padEnd(4)));
    out.push(wrap(truncate(p.abstract, 240), WIDTH, '    '));
    out.push(wrap(paperLink(p), WIDTH, '    ', options));
  });
  return out.join('\n');
}

export function resultJson(result: SearchResult) {
  return {
    mode: result.mode,
    ...(result.correctedQuery ? { correctedQuery: result.correctedQuery } : {}),
    results: result.hits.map((h) => ({
      id: h.paper.id,
      title: h.paper.title,
      score: Number(h.score.toFixed(6)),
      url: paperLink(h.paper),
      ...(h.paper.arxivId ? { arxivId: h.paper.arxivId } : {}),
      authors: h.paper.authors,
      published: h.paper.published ?? null,
      snippet: h.snippet,
      code: h.paper.codeLinks.map((c) => c.url),
    })),
  };
}

export function answerJson(result: AskResult) {
  return {
    answer: result.answer,
    answered: result.answered,
    citations: result.citations.map((c) => ({ n: c.n, id: c.paper.id, title: c.paper.title, url: paperLink(c.paper) })),
  };
}

export function paperJson(paper: Paper) {
  const links = paperLinks(paper);
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    url: links.url,
    arxivId: paper.arxivId ?? null,
    absUrl: links.abs ?? null,
    pdfUrl: links.pdf ?? null,
    searchUrl: paper.searchUrl,
    authors: paper.authors,
    published: paper.published ?? null,
    tags: paper.tags,
    code: paper.codeLinks,
  };
}

/** "Added: …" / "Already in the collection: …" with the paper and its nearest papers. */
export function formatAdded(status: 'added' | 'exists', paper: Paper, similar: readonly SearchHit[]): string {
  if (status === 'exists') {
    return [wrap(`Already in the collection: ${paper.title}`), `id:     ${paper.id}`, wrap(`link:   ${paperLink(paper)}`)].join('\n');
  }
  const out = [`Added to the collection:`, '', formatPaper(paper)];
  if (similar.length) {
    out.push('', 'Nearest papers already in the collection:');
    similar.forEach((h, i) => out.push(wrap(`${i + 1}. ${h.paper.title}`, WIDTH, '   ').replace(/^ {3}/, `${i + 1}. `.padEnd(3)), `   id: ${h.paper.id}`));
  }
  return out.join('\n');
}
