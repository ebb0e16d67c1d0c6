import { absUrl, pdfUrl } from '../feeds/arxiv-id.js';
import type { CodeLink, CodeLinkKind } from './types.js';

// Abstracts write URLs as plain text ending a sentence ("... at https://github.com/a/b."),
// with an explicit scheme or as a bare code-host address ("Code: github.com/a/b").
// Cheap pre-check so abstracts without any link skip the per-word scan.
const MAY_HAVE_URL = /https?:\/\/|github\.com\/|gitlab\.com\/|huggingface\.co\//i;
const URL_START = /https?:\/\/|(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co)\//gi;
const NOT_IN_URL = /[<>"'`]/;
const TRAILING_PUNCTUATION = /[.,;:!?'"*]+$/u;
// Links to other papers are neither code nor a project page.
const PAPER_HOSTS = new Set(['arxiv.org', 'www.arxiv.org', 'doi.org', 'dx.doi.org']);

/** Drop sentence punctuation and brackets that close around the URL rather than belong to it. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING_PUNCTUATION, '');
    const last = url.at(-1);
    const open = last === ')' ? '(' : last === ']' ? '[' : last === '}' ? '{' : undefined;
    if (open && count(url, open) < count(url, last!)) url = url.slice(0, -1);
    if (url === before) return url;
  }
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

function kindOf(host: string): CodeLinkKind {
  if (host === 'github.com' || host === 'www.github.com') return 'github';
  if (host === 'gitlab.com' || host.startsWith('gitlab.')) return 'gitlab';
  if (host === 'huggingface.co' || host === 'hf.co') return 'huggingface';
  return 'project';
}

/** Code and project links in an abstract, in order of appearance, without duplicates. */
export function extractCodeLinks(abstract: string): CodeLink[] {
  const links: CodeLink[] = [];
  const seen = new Set<string>();
  if (!MAY_HAVE_URL.test(abstract)) return links;
  for (const candidate of urlCandidates(abstract)) {
    let url = trimUrl(candidate);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    const host = parsed.hostname.toLowerCase();
    if (PAPER_HOSTS.has(host) || !host.includes('.')) continue;
    const kind = kindOf(host);
    if (kind !== 'project') {
      if (parsed.pathname.replace(/\/+$/, '') === '') continue; // bare "github.com" names no repository
      // "repo.git" and "repo/" open the same page as "repo".
      url = url.replace(/\/+$/, '').replace(/\.git$/i, '');
    }
    const key = url.toLowerCase().replace(/^https?:\/\/(www\.)?/, '').replace(/\/+$/, '');
    if (seen.has(key)) continue;
    seen.add(key);
    links.push({ url, kind });
  }
  return links;
}

/** URLs in the text, cut at the first whitespace (scheme added when the text left it out). */
function* urlCandidates(text: string): Generator<string> {
  let consumedUntil = 0;
  for (const match of text.matchAll(URL_START)) {
    const start = match.index;
    if (start < consumedUntil) continue; // "github.com/" inside a URL already taken
    const bare = !/^https?:/i.test(match[0]);
    // A bare host must start a word: not "foo.github.com/..." nor ".../github.com/...".
    if (bare && start > 0 && /[\w./@-]/.test(text[start - 1]!)) continue;
    const space = text.slice(start).search(/\s/);
    const end = space === -1 ? text.length : start + space;
    consumedUntil = end;
    let url = text.slice(start, end);
    const cut = url.search(NOT_IN_URL);
    if (cut !== -1) url = url.slice(0, cut);
    yield bare ? `https://${url}` : url;
  }
}

/** An arXiv title search: works for every paper, even without a known URL. */
export function arxivSearchUrl(title: string): string {
  const query = encodeURIComponent(title.replace(/\s+/g, ' ').trim());
  return `https://arxiv.org/search/?query=${query}&searchtype=title`;
}

/**
 * Where a paper can be read: its own link (else the title search), and for arXiv papers the
 * abstract page and the PDF (latest version). Every view and the CLI use this.
 */
export function paperLinks(paper: { url?: string; searchUrl: string; arxivId?: string }): { url: string; abs?: string; pdf?: string } {
  if (!paper.arxivId) return { url: paper.url ?? paper.searchUrl };
  const abs = absUrl(paper.arxivId);
  // A link to one version of the same paper is the abstract page too.
  const own = paper.url && !paper.url.startsWith(`${abs}v`) ? paper.url : abs;
  return { url: own, abs, pdf: pdfUrl(paper.arxivId) };
}
