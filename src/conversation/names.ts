/**
 * Which papers a message names: a title (whole, its head before the colon, or a distinctive
 * run of its words), a name the paper gives itself ("we introduce FooNet", "Byte Latent
 * Transformer (BLT)"), or a paper id. Built from whatever collection is loaded, never from
 * a list of names: only shape (capitals inside a word, digits, acronyms spelled by the
 * title) and rarity in the collection decide what counts as a name.
 */
import type { Paper } from '../collection/types.js';

export interface NamedPaper {
  paper: Paper;
  /** 'strong': a title, a title's head or a name of the paper; 'weak': a run of title words unique to it. */
  strength: 'strong' | 'weak';
  /** The words of the message that named it. */
  span: string;
}

interface Token {
  /** Lower case, accents removed. */
  key: string;
  /** As written. */
  raw: string;
}

interface Entry {
  paperIds: string[];
  strength: 'strong' | 'weak';
  /** Single short names ("BLT", "MAT") must be written as the paper writes them. */
  caseSensitive?: string;
}

/** A word that is a name by its shape: an inner capital (HNeRV), letters with digits (GPT4), or all capitals (BLT). */
export function nameShaped(word: string): boolean {
  if (!/^\p{L}/u.test(word) || word.length < 2) return false;
  return /^.+\p{Lu}/u.test(word) || (/\p{L}/u.test(word) && /\d/.test(word)) || /^\p{Lu}{2,}$/u.test(word);
}

const STOP = new Set(
  'a an and are as at be by for from in into is it its of on or the to via with without we our this that these those than how what which why when who can do does not no all any more most'.split(' '),
);

/** Rarer than this (papers mentioning the word) and a single word may name a paper. */
const MAX_NAME_DF = 2;
/** Single-word names shorter than this must be written as the paper writes them ("MAT", not "mat"). */
const CASE_FREE_MIN_LENGTH = 5;
const MAX_KEY_WORDS = 24;
/** A title word this long that no other paper uses names its paper (weakly). */
const RARE_WORD_MIN_LENGTH = 6;

/** Just the lower-cased keys, for scanning whole abstracts cheaply. */
function keys(text: string): string[] {
  const plain = /^[\x20-\x7E\s]*$/.test(text) ? text : text.normalize('NFKD').replace(/\p{M}+/gu, '');
  return plain.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  const plain = /^[\x20-\x7E\s]*$/.test(text) ? text : text.normalize('NFKD').replace(/\p{M}+/gu, '');
  for (const m of plain.matchAll(/[\p{L}\p{N}]+/gu)) out.push({ key: m[0].toLowerCase(), raw: m[0] });
  return out;
}

const cache = new WeakMap<readonly Paper[], NameIndex>();

export class NameIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly byId = new Map<string, Paper>();
  private maxWords = 1;

  private constructor(papers: readonly Paper[]) {
    for (const p of papers) this.byId.set(p.id, p);
    this.build(papers);
  }

  /** One index per collection array, built on first use. */
  static for(papers: readonly Paper[]): NameIndex {
    let index = cache.get(papers);
    if (!index) {
      index = new NameIndex(papers);
      cache.set(papers, index);
    }
    return index;
  }

  /**
   * Papers the message names, in the order they are named. At each position the longest
   * name wins; a name shared by several papers names them all.
   */
  match(text: string): NamedPaper[] {
    const found: NamedPaper[] = [];
    const add = (paper: Paper | undefined, strength: NamedPaper['strength'], span: string) => {
      if (!paper) return;
      const prior = found.find((f) => f.paper.id === paper.id);
      if (!prior) found.push({ paper, strength, span });
      else if (strength === 'strong') prior.strength = 'strong';
    };
    // Pasted ids ("some-title-words-3fa2c1").
    for (const m of text.matchAll(/\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b/g)) add(this.byId.get(m[0]), 'strong', m[0]);

    const words = tokens(text).slice(0, 200);
    for (let i = 0; i < words.length; ) {
      let matched = 0;
      for (let n = Math.min(this.maxWords, words.length - i); n >= 1; n--) {
        const slice = words.slice(i, i + n);
        const entry = this.entries.get(slice.map((w) => w.key).join(' '));
        if (!entry) continue;
        if (entry.caseSensitive !== undefined && slice[0]!.raw !== entry.caseSensitive) continue;
        for (const id of entry.paperIds) add(this.byId.get(id), entry.strength, slice.map((w) => w.raw).join(' '));
        matched = n;
        break;
      }
      i += Math.max(1, matched);
    }
    return found;
  }

  /**
   * How to name a paper inside a question: its title's head ("FooNet" of "FooNet: …") when
   * short, else an acronym it gives itself that names only it, else the whole title.
   */
  shortName(paper: Paper): string {
    const head = titleHead(paper.title);
    if (head && tokens(head).length <= 6) return head;
    for (const name of ownNames(paper)) {
      if (!nameShaped(name)) continue;
      const entry = this.entries.get(name.toLowerCase());
      if (entry && entry.paperIds.length === 1 && entry.paperIds[0] === paper.id) return name;
    }
    return paper.title;
  }

  private build(papers: readonly Paper[]): void {
    // 1. Candidate names per paper.
    const candidates = new Map<string, { paperId: string; single?: string; alwaysStrong?: boolean }[]>();
    const propose = (paper: Paper, phrase: string, alwaysStrong = false) => {
      const words = tokens(phrase);
      if (words.length === 0 || words.length > MAX_KEY_WORDS) return;
      if (words.every((w) => STOP.has(w.key) || /^\d+$/.test(w.key))) return;
      const key = words.map((w) => w.key).join(' ');
      const list = candidates.get(key) ?? [];
      if (!list.some((c) => c.paperId === paper.id)) {
        list.push({ paperId: paper.id, single: words.length === 1 ? words[0]!.raw : undefined, alwaysStrong });
      }
      candidates.set(key, list);
    };
    for (const p of papers) {
      propose(p, p.title, true);
      const head = titleHead(p.title);
      if (head && tokens(head).length <= 6) propose(p, head, true);
      for (const w of p.title.split(/[\s:,;()]+/)) {
        const bare = w.replace(/[^\p{L}\p{N}+-]+$/u, '').replace(/^[^\p{L}\p{N}]+/u, '');
        if (nameShaped(bare)) propose(p, bare);
      }
      for (const name of ownNames(p)) propose(p, name);
      for (const name of repositoryNames(p)) propose(p, name);
    }

    // 2. How many papers mention each candidate (up to four words): a name must be rare,
    //    unless it is a whole title or a title's head.
    // Whole titles and heads need no count; single words always do (a head may be an everyday word).
    const counted = new Set([...candidates].filter(([k, list]) => !k.includes(' ') || !list.some((c) => c.alwaysStrong)).map(([k]) => k));
    // Title words that may be rare enough to name their paper on their own ("the trellis paper").
    const titleWords = new Map<string, Set<string>>();
    for (const p of papers) {
      for (const w of keys(p.title)) {
        if (w.length < RARE_WORD_MIN_LENGTH || STOP.has(w) || /\d/.test(w)) continue;
        const ids = titleWords.get(w) ?? new Set<string>();
        ids.add(p.id);
        titleWords.set(w, ids);
        counted.add(w);
      }
    }
    const firstWords = new Set([...counted].map((k) => k.split(' ')[0]!));
    const df = new Map<string, number>();
    for (const p of papers) {
      const words = keys(`${p.title} ${p.abstract}`);
      const seen = new Set<string>();
      for (let i = 0; i < words.length; i++) {
        if (!firstWords.has(words[i]!)) continue;
        let key = words[i]!;
        for (let n = 1; n <= 4 && i + n <= words.length; n++) {
          if (n > 1) key += ` ${words[i + n - 1]}`;
          if (counted.has(key)) seen.add(key);
        }
      }
      for (const k of seen) df.set(k, (df.get(k) ?? 0) + 1);
    }

    for (const [key, list] of candidates) {
      const words = key.split(' ');
      const titled = list.some((c) => c.alwaysStrong);
      if (!titled && (df.get(key) ?? 0) > MAX_NAME_DF) continue;
      if (list.length > MAX_NAME_DF) continue;
      if (words.length === 1) {
        if (key.length < 2 || /^\d+$/.test(key) || (df.get(key) ?? 0) > MAX_NAME_DF) continue;
        const raw = list[0]!.single ?? key;
        // A short name ("MAT", "FIT") is a name only as the paper writes it, not the everyday word.
        const caseSensitive = key.length < CASE_FREE_MIN_LENGTH ? raw : undefined;
        this.entries.set(key, { paperIds: list.map((c) => c.paperId), strength: 'strong', ...(caseSensitive ? { caseSensitive } : {}) });
      } else {
        this.entries.set(key, { paperIds: list.map((c) => c.paperId), strength: 'strong' });
      }
      this.maxWords = Math.max(this.maxWords, words.length);
    }

    // 3. A title word no other paper uses at all: a weak name.
    for (const [word, ids] of titleWords) {
      if (ids.size === 1 && (df.get(word) ?? 0) === 1 && !this.entries.has(word)) this.entries.set(word, { paperIds: [...ids], strength: 'weak' });
    }

    // 4. Runs of three title words found in exactly one title (two of them content words): weak names.
    const runs = new Map<string, Set<string>>();
    for (const p of papers) {
      const words = keys(p.title);
      for (let i = 0; i + 3 <= words.length; i++) {
        const run = words.slice(i, i + 3);
        if (run.filter((w) => !STOP.has(w) && !/^\d+$/.test(w)).length < 2) continue;
        const key = run.join(' ');
        const set = runs.get(key) ?? new Set<string>();
        set.add(p.id);
        runs.set(key, set);
      }
    }
    for (const [key, ids] of runs) {
      if (ids.size !== 1 || this.entries.has(key)) continue;
      this.entries.set(key, { paperIds: [...ids], strength: 'weak' });
      this.maxWords = Math.max(this.maxWords, 3);
    }
  }
}

/** The part of a title before its colon ("FooNet" of "FooNet: Faster Foo"), if any. */
export function titleHead(title: string): string | undefined {
  return /^(.{2,80}?)\s*[:：]\s/u.exec(title)?.[1];
}

/** "we introduce", "this paper proposes a novel": what follows is the paper's own work. */
const OWN_INTRODUCTION =
  /(?:\b(?:we|this (?:paper|work))\s+(?:propose|introduce|present|develop|call|name|term|dub)s?|\b(?:introducing|proposing|presenting|developing))\s+(?:an?\s+|the\s+|our\s+)?(?:new\s+|novel\s+|simple\s+)?$/i;

/**
 * Names an abstract gives its own work: an acronym whose letters the title's words spell
 * ("Byte Latent Transformer (BLT)"), or a name-shaped word after "we propose/introduce/present".
 */
export function ownNames(paper: Paper): string[] {
  const names: string[] = [];
  const titleWords = new Set(tokens(paper.title).map((t) => t.key));
  for (const m of paper.abstract.matchAll(/\(\s*(\p{Lu}[\p{L}\d-]{1,15})\s*\)/gu)) {
    const acronym = m[1]!;
    // LaTeX markup ("\\textbf{Positional Encoding} (PE)") is not part of the phrase.
    const before = paper.abstract.slice(Math.max(0, m.index - 160), m.index).replace(/\\[a-z]+\s*\{?|[{}]/gi, '');
    const phrase = (before.split(/[.;:,()]/).at(-1) ?? '').trimEnd();
    if (!nameShaped(acronym)) continue;
    const expansion = expansionFor(phrase, acronym);
    if (!expansion) continue;
    const content = tokens(expansion).filter((t) => !STOP.has(t.key));
    const inTitle = content.filter((t) => titleWords.has(t.key) || titleWords.has(t.key.replace(/s$/, ''))).length;
    // What "we introduce …" names is the paper's own, whatever its title says.
    const introduced = OWN_INTRODUCTION.test(phrase.slice(0, phrase.length - expansion.length));
    if (content.length > 0 && (introduced || inTitle / content.length >= 0.5)) names.push(acronym, expansion);
  }
  for (const m of paper.abstract.matchAll(/\b(?:we|this (?:paper|work))\s+(?:propose|proposes|introduce|introduces|present|presents|call|dub|name|term|develop|develops)\s+(?:it\s+|an?\s+|the\s+|our\s+)?([\p{L}][\p{L}\d+-]*)/giu)) {
    const word = m[1]!.replace(/[-+]+$/, '');
    if (nameShaped(word)) names.push(word);
  }
  // "… a novel methodology called ADED", "dubbed FooNet", "a.k.a. BarNet".
  for (const m of paper.abstract.matchAll(/\b(?:called|named|termed|dubbed|coined|a\.k\.a\.?)\s+["“'`]*([\p{L}][\p{L}\d+-]*)/gu)) {
    const word = m[1]!.replace(/[-+]+$/, '');
    if (nameShaped(word)) names.push(word);
  }
  return names;
}

/**
 * The name of the repository the paper links ("github.com/owner/EnCodec" → "EnCodec"): authors
 * usually name it after their method. Single words only; whether it is rare enough to name the
 * paper is decided with the other candidates.
 */
export function repositoryNames(paper: Paper): string[] {
  const names: string[] = [];
  for (const link of paper.codeLinks) {
    const m = /^(?:https?:\/\/)?(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)\/[^/\s]+\/([^/\s#?]+)/i.exec(link.url);
    const repo = m?.[1]?.replace(/\.git$/i, '');
    if (repo && /^\p{L}[\p{L}\d]{3,}$/u.test(repo)) names.push(repo);
  }
  return names;
}

/** The words just before "(ACR)" whose initials spell ACR ("… the Byte Latent Transformer (BLT)" → "Byte Latent Transformer"). */
function expansionFor(phrase: string, acronym: string): string | undefined {
  const letters = acronym.toLowerCase().replace(/[^\p{L}]/gu, '');
  if (letters.length < 2) return undefined;
  const words = phrase.trim().split(/\s+/);
  for (let start = words.length - 1; start >= 0; start--) {
    const candidate = words.slice(start);
    const initials = candidate
      .flatMap((w) => w.split('-'))
      .filter((w) => w && !STOP.has(w.toLowerCase()))
      .map((w) => w[0]!.toLowerCase())
      .join('');
    if (initials === letters) return candidate.join(' ');
    if (initials.length > letters.length) break;
  }
  // Names built from parts of words ("Cross-Attention Masked Autoencoders (CrossMAE)"): the
  // shortest phrase starting with its first letter that holds its letters in order.
  for (let start = words.length - 1; start >= Math.max(0, words.length - 5); start--) {
    const candidate = words.slice(start);
    const spelled = candidate.join('').toLowerCase().replace(/[^\p{L}]/gu, '');
    if (candidate.length < 2 || spelled[0] !== letters[0]) continue;
    let i = 0;
    for (const c of spelled) if (c === letters[i]) i++;
    if (i === letters.length) return candidate.join(' ');
  }
  return undefined;
}
