/**
 * Words that point back at papers already in the conversation: "it", "this paper",
 * "they", "these", "the second one", "#3", "the first two", "which one". Pure and
 * generic English; what they resolve to is decided in resolve.ts from the state.
 */

/** A 0-based position in the last shown list, or 'last'. */
export type Position = number | 'last';

export type Reference =
  | { kind: 'none' }
  /**
   * "it", "this paper", "that one": the paper in focus. `weak` when only a bare pronoun
   * ("it", "they") points back: it may mean something named in the same message.
   */
  | { kind: 'single'; weak?: boolean }
  /** "they", "these", "both", "all of them": the papers in focus / the last list; `count` for "the two", "both". */
  | { kind: 'plural'; weak?: boolean; count?: number }
  /** "the second one", "#3", "the first two", "the last one": positions in the last list; `withFocus` when "it"/"that one" is there too ("is that one better than the third?"). */
  | { kind: 'ordinal'; positions: Position[]; withFocus?: boolean }
  /**
   * "the genome one", "the masked images paper": the paper (of the last list, else of the collection) those words
   * describe; `withFocus` as for ordinals. `relative` for "the one with/that …": it speaks of a paper just shown.
   */
  | { kind: 'described'; words: string; withFocus?: boolean; relative?: boolean }
  /** "which one …", "which of these …": choose among the last list; `weak` for "which is …" (may ask about the whole collection). */
  | { kind: 'which'; weak?: boolean }
  /** "the other one", "the other paper": the paper discussed with the one in focus. */
  | { kind: 'other' };

export interface ReadReference {
  reference: Reference;
  /** The message with the reference phrases taken out (for topics and questions). */
  rest: string;
  /** The message with each reference phrase replaced by MARK (see `naming`). */
  marked: string;
}

/** Stands where a reference phrase was, in `ReadReference.marked`. */
export const MARK = '\u0001';

/** The message with its (first) reference phrase replaced by a paper's name: "how fast is it?" → "how fast is FooNet?". */
export function naming(read: ReadReference, name: string): string {
  if (!read.marked.includes(MARK)) return read.marked;
  const first = read.marked.indexOf(MARK);
  const text = read.marked.slice(0, first) + name + read.marked.slice(first + 1).split(MARK).join(' ');
  return text.replace(/\s+/g, ' ').replace(/\s+([?.!,;:])/g, '$1').trim();
}

const ORDINALS: Record<string, Position> = {
  first: 0, '1st': 0, second: 1, '2nd': 1, third: 2, '3rd': 2, fourth: 3, '4th': 3, fifth: 4, '5th': 4,
  sixth: 5, '6th': 5, seventh: 6, '7th': 6, eighth: 7, '8th': 7, ninth: 8, '9th': 8, tenth: 9, '10th': 9,
  last: 'last', final: 'last', top: 0,
};
const COUNTS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, '2': 2, '3': 3, '4': 4, '5': 5 };

const ORD = '(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|eighth|8th|ninth|9th|tenth|10th|last|final)';
const NOUN = '(?:one|ones|paper|papers|result|results|item|items|entry|entries|hit|hits|link|links|article|articles|option|options|suggestion|suggestions|pick|picks)';
const COUNT = '(two|three|four|five|2|3|4|5)';
/** Parts of one paper ("the third chapter", "the first experiment"): not positions in a list. */
const WITHIN = '(?:chapters?|sections?|parts?|sentences?|paragraphs?|steps?|stages?|phases?|lectures?|experiments?|studies|findings?|contributions?|points?|layers?|authors?|versions?|volumes?|editions?|tables?|figures?)\\b';

/** "the first two", "the top 3", "the last two" → a range. */
const RANGE = new RegExp(`\\b(?:the\\s+)?(first|top|last)\\s+${COUNT}(?:\\s+${NOUN})?\\b`, 'gi');
/** "the second one", "the third and fifth", "2nd paper", "the last one". */
const ORDINAL_PHRASE = new RegExp(
  `\\b(?:(?:the|that|this)\\s+${ORD}((?:\\s*(?:,|and|&|or)\\s*(?:the\\s+)?${ORD})*)(?!\\s+${WITHIN})(?:\\s+${NOUN})?|${ORD}((?:\\s*(?:,|and|&|or)\\s*${ORD})*)\\s+${NOUN})\\b`,
  'gi',
);
/** "#3", "number 2", "no. 4", "paper 1", "#1 and #3", "papers 1 and 3". */
const NUMBERED = /(?:#\s?(\d{1,2})|\b(?:number|no\.|nr\.?|item|result|paper|papers|entry|option)\s*#?\s?(\d{1,2})\b)((?:\s*(?:,|and|&|or)\s*#?\s?\d{1,2}\b)*)/gi;

const WHICH_VERB = /\bwhich\s+(?=(?:is|was|are|were|does|did|has|had|uses?|used|works?|performs?)\b)/gi;
const WHICH = /\b(?:which|what)\s+(?:one|ones|(?:one\s+)?of\s+(?:them|these|those|the\s+(?:above|papers|results|list)|you(?:r)?\s+\w+)|(?:paper|papers)\s+(?:of|among)\s+(?:them|these|those))\b/gi;

const PLURAL_PHRASES = [
  /\b(?:all|each|any|none|some|both|either|neither)\s+of\s+(?:them|these|those|the\s+above)\b/gi,
  /\b(?:these|those|the|both|all)\s+(?:(?:two|three|four|five)\s+)?(?:papers|ones|results|works|studies|articles|methods|approaches|models)(?:\s+(?:above|you\s+(?:listed|showed|found|mentioned|gave)))?\b(?!\s+(?:on|about|that|which|with|for|using|in|where|from|by|of|to)\b)/gi,
  /\bthe\s+(?:two|three|four|five)\b/gi,
  /\bthe\s+(?:list|results|ones)\s+(?:above|you\s+(?:listed|showed|found|gave))\b/gi,
  /\b(?:these|those|both)\b/gi,
];
/** Bare plural pronouns: they may point back, or at a plural earlier in the same message. */
const PLURAL_PRONOUNS = [/\b(?:they|them|their|theirs|themselves)\b/gi];

const SINGLE_PHRASES = [
  /\b(?:this|that|the\s+same|the\s+above|the\s+latter|the\s+former)\s+(?:paper|one|work|study|article|method|model|approach|technique|system|framework|architecture|idea|abstract|preprint|publication)\b/gi,
  /\bthe\s+(?:paper|article|preprint|study)\b(?!\s+(?:on|about|that|which|where|with|for|by|titled|called|named|saying|says|showing|shows|proposing|arguing|claiming|from|in|using|whose|introducing|where)\b)/gi,
  /\bthe\s+(?:above|latter|former)\b/gi,
];
/** Bare "it", and "this"/"that" as an object ("more like this", "any work on that?"): they may point back, or at the same message. */
const SINGLE_PRONOUNS = [
  /\b(?:it|its|it's|itself)\b/gi,
  /(?<=\b(?:like|about|on|explain|summari[sz]e|describe|is|does|did|was|has|can|of|with|from|to)\s+)(?:this|that)\b(?=\s*(?:[?.!,;:]|$|\b(?:one|open|available|public|new|recent|good|any|paper|about)\b))/gi,
  /^\s*(?:this|that)\b(?=\s+(?:is|was|one|paper|sounds|looks|seems))/gi,
  // "how many GPUs did that take?", "does this need labels?": "this"/"that" as the subject.
  /(?<=\b(?:did|does|do|will|would|can|could|was|is|has)\s+)(?:this|that)\b(?=\s+\p{Ll}+)(?!\s+(?:one|paper|is|was|mean|means)\b)/giu,
  // "what does the acronym stand for?", "how does the method scale?": the paper's own name or method.
  /\bthe\s+(?:acronym|abbreviation|name|method|model|approach|technique|framework|system|architecture|algorithm)\b(?!\s+(?:of|for|that|which|in|from)\b)/gi,
];

const COUNT_WORDS: Record<string, number> = { both: 2, two: 2, three: 3, four: 4, five: 5 };
/** How many papers a plural phrase means: "both", "the two" → 2. */
function pluralCount(text: string): number | undefined {
  const m = /\b(?:both|(?:the|these|those)\s+(two|three|four|five))\b/i.exec(text);
  if (!m) return undefined;
  return COUNT_WORDS[(m[1] ?? 'both').toLowerCase()];
}

/** "the other one", "the other paper". */
const OTHER = /\bthe\s+other\s+(?:one|paper|work|study|article)\b/gi;

/** "the <a few words> one/paper". */
const DESCRIBED = /\bthe\s+((?:[\p{L}\d][\p{L}\d+'-]*\s+){0,3}?[\p{L}\d][\p{L}\d+'-]*)\s+(?:one|paper)\b/giu;
/** "the one with …", "the paper that …": a paper described by a clause, up to the next punctuation. */
const RELATIVE = /\bthe\s+(?:one|paper|study|work|article)\s+(?:with|that|which|where|about|on|using|from)\s+((?:[\p{L}\d][\p{L}\d+'/-]*\s*){1,7})/iu;
/** Words that make "the … one" something other than a description ("the same one", "the best paper", "the first one"). */
const NOT_DESCRIPTIONS = new Set(
  (
    'first second third fourth fifth sixth seventh eighth ninth tenth last final next previous other same above former latter ' +
    'this that these those best worst most least main key original whole entire full real actual right wrong only latest ' +
    'newest oldest recent new old top good bad better worse two three four five one paper it its'
  ).split(' '),
);

function positionsOf(first: string | undefined, more: string | undefined): Position[] {
  const words = [first, ...(more ?? '').split(/\s*(?:,|and|&|or)\s*(?:the\s+)?/i)].map((w) => (w ?? '').trim().toLowerCase()).filter(Boolean);
  return words.map((w) => ORDINALS[w]).filter((p): p is Position => p !== undefined);
}

function uniquePositions(positions: Position[]): Position[] {
  return [...new Set(positions)];
}

/** Finds the reference in a cleaned message. Ordinals win over "which", which wins over plural, then single. */
export function readReference(text: string): ReadReference {
  let rest = text;
  const cut = (re: RegExp) => {
    re.lastIndex = 0;
    rest = rest.replace(re, ` ${MARK} `);
  };
  const tidy = () =>
    rest.split(MARK).join(' ').replace(/\s+/g, ' ').replace(/\s+([?.!,;:])/g, '$1').trim();
  const done = (reference: Reference): ReadReference => ({ reference, rest: tidy(), marked: rest });
  /** Whether any of the patterns occurs in what is left; each that does is cut out. */
  const take = (patterns: readonly RegExp[]): boolean => {
    let any = false;
    for (const re of patterns) {
      re.lastIndex = 0;
      const hit = re.test(rest);
      re.lastIndex = 0;
      if (hit) {
        any = true;
        cut(re);
      }
    }
    return any;
  };

  // Ranges and ordinals index the last list.
  const positions: Position[] = [];
  for (const m of text.matchAll(RANGE)) {
    const from = m[1]!.toLowerCase();
    const n = COUNTS[m[2]!.toLowerCase()] ?? 0;
    for (let i = 0; i < n; i++) positions.push(from === 'last' ? -(n - i) : i);
  }
  if (positions.length) cut(RANGE);
  else {
    for (const m of text.matchAll(ORDINAL_PHRASE)) positions.push(...positionsOf(m[1] ?? m[3], m[2] ?? m[4]));
    if (positions.length) cut(ORDINAL_PHRASE);
    for (const m of text.matchAll(NUMBERED)) {
      const first = Number(m[1] ?? m[2]);
      const more = (m[3] ?? '').match(/\d{1,2}/g)?.map(Number) ?? [];
      for (const n of [first, ...more]) if (n >= 1) positions.push(n - 1);
    }
    if (text.match(NUMBERED)) cut(NUMBERED);
  }
  // Negative positions ("the last two") count from the end of the list.
  if (positions.length) {
    const withFocus = take(SINGLE_PHRASES) || take(SINGLE_PRONOUNS);
    return done(withFocus ? { kind: 'ordinal', positions: uniquePositions(positions), withFocus } : { kind: 'ordinal', positions: uniquePositions(positions) });
  }

  if (take([OTHER])) return done({ kind: 'other' });

  // "the genome one": a paper described by a few words.
  for (const m of rest.matchAll(DESCRIBED)) {
    const words = m[1]!.trim();
    if (words.split(/\s+/).some((w) => NOT_DESCRIPTIONS.has(w.toLowerCase()))) continue;
    rest = rest.replace(m[0], ` ${MARK} `);
    const withFocus = take(SINGLE_PHRASES) || take(SINGLE_PRONOUNS);
    return done(withFocus ? { kind: 'described', words, withFocus } : { kind: 'described', words });
  }
  // "the one with surgery patients", "the paper that drops the decoder": described by what it does.
  const relative = RELATIVE.exec(rest);
  if (relative) {
    rest = rest.replace(relative[0], ` ${MARK} `);
    return done({ kind: 'described', words: relative[1]!.trim(), relative: true });
  }

  if (WHICH.test(text)) {
    WHICH.lastIndex = 0;
    cut(WHICH);
    take(PLURAL_PHRASES);
    take(PLURAL_PRONOUNS);
    return done({ kind: 'which' });
  }
  if (take([WHICH_VERB])) return done({ kind: 'which', weak: true });

  const count = pluralCount(text);
  const plural = take(PLURAL_PHRASES);
  const pluralPronoun = take(PLURAL_PRONOUNS);
  const single = take(SINGLE_PHRASES);
  const singlePronoun = take(SINGLE_PRONOUNS);
  if (plural || pluralPronoun) {
    return done({ kind: 'plural', ...(plural ? {} : { weak: true }), ...(count ? { count } : {}) });
  }
  if (single || singlePronoun) return done(single ? { kind: 'single' } : { kind: 'single', weak: true });
  return { reference: { kind: 'none' }, rest: text, marked: text };
}

/** Positions resolved against a list of `length` items (negative = from the end); out of range dropped. */
export function pickPositions(positions: readonly Position[], length: number): number[] {
  const out: number[] = [];
  for (const p of positions) {
    const i = p === 'last' ? length - 1 : p < 0 ? length + p : p;
    if (i >= 0 && i < length && !out.includes(i)) out.push(i);
  }
  return out;
}
