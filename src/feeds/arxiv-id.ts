/**
 * arXiv identifiers as people paste them: bare ids, `arXiv:` prefixes, abs/pdf/html links on any
 * arxiv.org host, the arXiv DOI, and Hugging Face paper pages (which are keyed by arXiv id).
 *
 *   new style (April 2007 on):  YYMM.NNNN (to December 2014) or YYMM.NNNNN (January 2015 on), + optional vN
 *   old style (1991 to March 2007): archive[.SUBJECT]/YYMMNNN, + optional vN. The subject class is not
 *   part of the id (math.GT/0309136 is math/0309136), so it is dropped.
 */

import { truncate } from '../text.js';

export interface ArxivIdParts {
  /** The canonical id without version: `2501.00001`, `hep-th/9901001`. */
  id: string;
  /** The version asked for (`v2` → 2), when the input named one. */
  version?: number;
}

export type ArxivIdProblem =
  /** Nothing but whitespace. */
  | 'empty'
  /** A link to some other site. */
  | 'not-arxiv-url'
  /** An arxiv.org link, but not to a paper (a listing, the search page...). */
  | 'not-a-paper-url'
  /** Looks like an id but cannot be one (month 13, four digits after 2015...). */
  | 'malformed'
  /** Neither an id nor a link. */
  | 'garbage';

export type ArxivIdResult = ({ ok: true } & ArxivIdParts) | { ok: false; problem: ArxivIdProblem; message: string };

const ARXIV_HOSTS = /^(?:www\.|export\.|browse\.)?arxiv\.org$/i;
const HF_HOSTS = /^(?:www\.)?(?:huggingface\.co|hf\.co)$/i;
const DOI_HOSTS = /^(?:dx\.)?doi\.org$/i;
/** Paths on arxiv.org that name one paper. */
const PAPER_PATH = /^\/(?:abs|pdf|html|format|src|e-print)\/(.+?)(?:\.pdf)?\/?$/i;
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;

const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)?)(?:\.[a-z]{2})?\/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$/i;

const EXAMPLE = 'an arXiv id looks like 2501.00001 (or hep-th/9901001 for papers before April 2007)';

function fail(problem: ArxivIdProblem, message: string): ArxivIdResult {
  return { ok: false, problem, message };
}

function withVersion(id: string, version: string | undefined, input: string): ArxivIdResult {
  if (version === undefined) return { ok: true, id };
  const n = Number(version);
  if (!Number.isSafeInteger(n) || n < 1) return fail('malformed', `"${input}" has version v${version}; versions start at v1`);
  return { ok: true, id, version: n };
}

/** A bare id (no prefix, no URL), strictly checked. */
function parseBareId(raw: string, input: string): ArxivIdResult {
  const s = raw.trim();
  const modern = NEW_STYLE.exec(s);
  if (modern) {
    const [, yy, mm, number, version] = modern as unknown as [string, string, string, string, string | undefined];
    const month = Number(mm);
    if (month < 1 || month > 12) return fail('malformed', `"${input}" is not an arXiv id: ${mm} is not a month (ids start with YYMM)`);
    const yymm = Number(yy + mm);
    if (yymm < 704) return fail('malformed', `"${input}" is not an arXiv id: ids of the form YYMM.NNNN start in April 2007 (0704)`);
    if (yymm < 1501 && number.length !== 4) {
      return fail('malformed', `"${input}" is not an arXiv id: before 2015 the number after the dot has 4 digits (e.g. 1412.1234)`);
    }
    if (yymm >= 1501 && number.length !== 5) {
      return fail('malformed', `"${input}" is not an arXiv id: from 2015 on the number after the dot has 5 digits (e.g. 2501.00001)`);
    }
    return withVersion(`${yy}${mm}.${number}`, version, input);
  }
  const legacy = OLD_STYLE.exec(s);
  if (legacy) {
    const [, archive, yy, mm, number, version] = legacy as unknown as [string, string, string, string, string, string | undefined];
    const month = Number(mm);
    if (month < 1 || month > 12) return fail('malformed', `"${input}" is not an arXiv id: ${mm} is not a month (YYMMNNN)`);
    const year = Number(yy);
    // Old-style numbers ran from 1991 (91) to March 2007 (0703).
    if ((year > 7 && year < 91) || (year === 7 && month > 3)) {
      return fail('malformed', `"${input}" is not an arXiv id: old-style ids (archive/YYMMNNN) end in March 2007`);
    }
    return withVersion(`${archive.toLowerCase()}/${yy}${mm}${number}`, version, input);
  }
  return fail('garbage', `"${input}" is not an arXiv id; ${EXAMPLE}`);
}

function parseUrl(url: URL, input: string): ArxivIdResult {
  const host = url.hostname;
  const path = decodeURIComponent(url.pathname);
  if (ARXIV_HOSTS.test(host)) {
    const m = PAPER_PATH.exec(path);
    if (!m) return fail('not-a-paper-url', `${input} is an arxiv.org link but not to a paper; use its /abs/<id> or /pdf/<id> link`);
    return parseBareId(m[1]!, input);
  }
  if (HF_HOSTS.test(host)) {
    const m = /^\/papers\/([^/]+)\/?$/.exec(path);
    if (m) return parseBareId(m[1]!, input);
  }
  if (DOI_HOSTS.test(host)) {
    const m = ARXIV_DOI.exec(path.replace(/^\//, ''));
    if (m) return parseBareId(m[1]!, input);
  }
  return fail('not-arxiv-url', `${input} is a link to ${truncate(host, 60)}, not to arXiv; ${EXAMPLE}, or paste its arxiv.org/abs/… link`);
}

const SCHEMELESS_URL = /^(?:[a-z0-9-]+\.)+[a-z]{2,}\//i;

function parseLink(text: string, shown: string): ArxivIdResult {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return fail('garbage', `"${shown}" is not a valid link; ${EXAMPLE}`);
  }
  return parseUrl(url, shown);
}

/** Reads what a user pasted: an id, `arXiv:<id>`, an arXiv DOI or a link to an arXiv paper. */
export function parseArxivId(input: string): ArxivIdResult {
  const text = input.trim().replace(/^<(.*)>$/, '$1'); // Discord's <url> (no embed) form
  if (!text) return fail('empty', `Nothing to look up; ${EXAMPLE}`);
  // Messages quote the input: keep them short whatever was pasted.
  const shown = truncate(text, 80);
  if (text.length > 2000) return fail('garbage', `"${shown}" is not an arXiv id; ${EXAMPLE}`);
  if (/^https?:\/\//i.test(text)) return parseLink(text, shown);
  const prefixed = /^arxiv\s*:\s*(.+)$/i.exec(text);
  if (prefixed) return parseBareId(prefixed[1]!, shown);
  const doi = ARXIV_DOI.exec(text.replace(/^doi\s*:\s*/i, ''));
  if (doi) return parseBareId(doi[1]!, shown);
  const bare = parseBareId(text, shown);
  // "arxiv.org/abs/…" without a scheme; checked after ids, since math.GT/0309136 looks like a host.
  if (!bare.ok && bare.problem === 'garbage' && SCHEMELESS_URL.test(text)) return parseLink(text, shown);
  return bare;
}

/** `2501.00001` + 2 → `2501.00001v2`. */
export function versionedId(id: string, version?: number): string {
  return version ? `${id}v${version}` : id;
}

/** The abstract page: the latest version, or the given one. */
export function absUrl(id: string, version?: number): string {
  return `https://arxiv.org/abs/${versionedId(id, version)}`;
}

/** The PDF: the latest version, or the given one. */
export function pdfUrl(id: string, version?: number): string {
  return `https://arxiv.org/pdf/${versionedId(id, version)}`;
}
