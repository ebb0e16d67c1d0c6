/**
 * The XML reading every feed shares (arXiv Atom, RSS 1.0/2.0, generic Atom): one parser set-up,
 * one well-formedness check with a line number, and the small accessors for parsed nodes.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { normaliseWhitespace } from '../collection/ids.js';
import { isIsoDate } from '../rules/time.js';

/** Not well-formed XML, or not the kind of document expected. `line` is 1-based (0 when unknown). */
export class FeedFormatError extends Error {
  override readonly name = 'FeedFormatError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }

  /** The message with its line, for error messages about a response. */
  get detail(): string {
    return this.line ? `${this.message} at line ${this.line}` : this.message;
  }
}

const ALWAYS_ARRAY = new Set(['entry', 'item', 'author', 'creator', 'category', 'link']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // a title like "1984" must stay a string
  parseAttributeValue: false,
  removeNSPrefix: true, // <arxiv:primary_category> → primary_category, <dc:creator> → creator
  htmlEntities: true, // &#233; and &eacute; are characters, not text
  isArray: (name) => ALWAYS_ARRAY.has(name),
  captureMetaData: true,
});
// Typed as the `Symbol` wrapper type upstream; it is a plain symbol at runtime.
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

export type XmlNode = Record<string, unknown>;

/**
 * Parses a feed document, or throws FeedFormatError naming the line. Documents that declare
 * their own entities are refused: a feed has no need for them and they are how XML bombs work.
 */
export function parseXml(xml: string): XmlNode {
  const text = xml.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new FeedFormatError('not a valid XML feed: the document is empty', 0);
  if (/<!ENTITY/i.test(text.slice(0, 10_000))) {
    throw new FeedFormatError('the document declares XML entities, which feeds never need; refused', 1);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new FeedFormatError(`not a valid XML feed: ${valid.err.msg}`, valid.err.line);
  return parser.parse(text) as XmlNode;
}

/** The text of an element (or of its #text when it has attributes), else ''. */
export function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === 'object' && '#text' in node) return textOf((node as XmlNode)['#text']);
  return '';
}

/** Element text with whitespace runs (arXiv's line wrapping and indentation) collapsed. */
export function cleanText(node: unknown): string {
  return normaliseWhitespace(textOf(node));
}

export function attr(node: unknown, name: string): string | undefined {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    const v = (node as XmlNode)[`@_${name}`];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

export function asArray(node: unknown): unknown[] {
  if (node === undefined || node === null || node === '') return [];
  return Array.isArray(node) ? node : [node];
}

export function child(node: unknown, name: string): unknown {
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as XmlNode)[name] : undefined;
}

/** Finds the 1-based line where a parsed element started (0 when unknown); built once per document. */
export function lineFinder(text: string): (node: unknown) => number {
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (node) => {
    if (!node || typeof node !== 'object') return 0;
    const index = (node as Record<symbol, { startIndex?: number } | undefined>)[META]?.startIndex;
    if (index === undefined) return 0;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The calendar date (YYYY-MM-DD, UTC) of an ISO 8601 or RFC 822 timestamp, if it is one. */
export function isoDate(value: string): string | undefined {
  const s = value.trim();
  if (!s) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return isIsoDate(s) ? s : undefined;
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  // A timestamp written with its own offset keeps its own calendar date (arXiv writes -04:00).
  const own = /^(\d{4}-\d{2}-\d{2})T/.exec(s);
  return own ? own[1] : new Date(t).toISOString().slice(0, 10);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML (as RSS descriptions carry it) to one line of plain text. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/li>/gi, ' ')
    .replace(/<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref[0] === '#') {
        const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    });
  return normaliseWhitespace(text);
}
