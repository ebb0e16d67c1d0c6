/**
 * The arXiv search_query language, as the user manual (§5.1) describes it, for the fake:
 *   field prefixes ti: au: abs: co: jr: cat: rn: id: all:  (a bare term searches all:)
 *   AND, OR, ANDNOT (upper case), parentheses, "quoted phrases"; au:del_maestro = the phrase "del maestro";
 *   terms next to each other without an operator are ANDed.
 * Matching is by whole words, case- and accent-insensitive; cat: and id: compare whole values.
 */

export interface Searchable {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  comment: string;
  journalRef: string;
  categories: string[];
}

type Field = 'ti' | 'au' | 'abs' | 'co' | 'jr' | 'cat' | 'rn' | 'id' | 'all';
const FIELDS = new Set<Field>(['ti', 'au', 'abs', 'co', 'jr', 'cat', 'rn', 'id', 'all']);

type Node =
  | { op: 'term'; field: Field; words: string[]; raw: string }
  | { op: 'AND' | 'OR' | 'ANDNOT'; left: Node; right: Node };

type Token = { t: '(' | ')' } | { t: 'op'; op: 'AND' | 'OR' | 'ANDNOT' } | { t: 'term'; field: Field; text: string };

export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ t: ch });
      i++;
      continue;
    }
    let field: Field = 'all';
    const prefix = /^([a-z]+):/.exec(query.slice(i));
    if (prefix && FIELDS.has(prefix[1] as Field)) {
      field = prefix[1] as Field;
      i += prefix[0].length;
    }
    let text: string;
    if (query[i] === '"') {
      const end = query.indexOf('"', i + 1);
      text = query.slice(i + 1, end === -1 ? query.length : end);
      i = end === -1 ? query.length : end + 1;
    } else {
      const m = /^[^\s()]*/.exec(query.slice(i))![0];
      text = m;
      i += m.length;
    }
    if (!prefix && (text === 'AND' || text === 'OR' || text === 'ANDNOT')) tokens.push({ t: 'op', op: text });
    else if (text) tokens.push({ t: 'term', field, text });
  }
  return tokens;
}

/** Parses a search_query; throws on unbalanced parentheses or a dangling operator. */
export function parseQuery(query: string): Node | undefined {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = () => tokens[pos];

  function unary(): Node {
    const tok = tokens[pos++];
    if (!tok) throw new Error('query ends too early');
    if (tok.t === '(') {
      const inner = or();
      if (tokens[pos++]?.t !== ')') throw new Error('unclosed (');
      return inner;
    }
    if (tok.t === 'term') {
      const text = tok.field === 'au' ? tok.text.replace(/_/g, ' ') : tok.text;
      return { op: 'term', field: tok.field, words: words(text), raw: text };
    }
    throw new Error(`unexpected ${tok.t === 'op' ? tok.op : tok.t}`);
  }

  function and(): Node {
    let left = unary();
    for (;;) {
      const tok = peek();
      if (tok?.t === 'op' && (tok.op === 'AND' || tok.op === 'ANDNOT')) {
        pos++;
        left = { op: tok.op, left, right: unary() };
      } else if (tok && (tok.t === 'term' || tok.t === '(')) {
        left = { op: 'AND', left, right: unary() };
      } else {
        return left;
      }
    }
  }

  function or(): Node {
    let left = and();
    while (peek()?.t === 'op' && (peek() as { op: string }).op === 'OR') {
      pos++;
      left = { op: 'OR', left, right: and() };
    }
    return left;
  }

  if (tokens.length === 0) return undefined;
  const node = or();
  if (pos !== tokens.length) throw new Error('unexpected )');
  return node;
}

function containsPhrase(haystack: string[], phrase: string[]): boolean {
  if (phrase.length === 0) return false;
  outer: for (let i = 0; i + phrase.length <= haystack.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (haystack[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

function termMatches(node: Extract<Node, { op: 'term' }>, doc: Searchable): boolean {
  const lower = node.raw.toLowerCase();
  switch (node.field) {
    case 'cat':
      return doc.categories.some((c) => c.toLowerCase() === lower || (lower.endsWith('*') && c.toLowerCase().startsWith(lower.slice(0, -1))));
    case 'id':
      return doc.id.toLowerCase() === lower.replace(/v\d+$/, '');
    case 'au':
      return doc.authors.some((a) => containsPhrase(words(a), node.words));
    case 'ti':
      return containsPhrase(words(doc.title), node.words);
    case 'abs':
      return containsPhrase(words(doc.abstract), node.words);
    case 'co':
      return containsPhrase(words(doc.comment), node.words);
    case 'jr':
      return containsPhrase(words(doc.journalRef), node.words);
    case 'rn':
      return false;
    case 'all':
      return (
        ['ti', 'abs', 'co', 'jr', 'au', 'cat'] as const
      ).some((field) => termMatches({ ...node, field }, doc));
  }
}

export function matches(node: Node, doc: Searchable): boolean {
  switch (node.op) {
    case 'term':
      return termMatches(node, doc);
    case 'AND':
      return matches(node.left, doc) && matches(node.right, doc);
    case 'OR':
      return matches(node.left, doc) || matches(node.right, doc);
    case 'ANDNOT':
      return matches(node.left, doc) && !matches(node.right, doc);
  }
}

/** A stand-in for relevance: matched terms, title hits counting double. */
export function relevance(node: Node, doc: Searchable): number {
  switch (node.op) {
    case 'term':
      return termMatches(node, doc) ? (node.field === 'ti' || containsPhrase(words(doc.title), node.words) ? 2 : 1) : 0;
    case 'ANDNOT':
      return relevance(node.left, doc);
    default:
      return relevance(node.left, doc) + relevance(node.right, doc);
  }
}
