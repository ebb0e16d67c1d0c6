// An abstract as sentences: splitting at real sentence ends, not at "e.g.", "et al." or "37.36".

/** Words after which a period does not end a sentence ("e.g.", "et al.", "vs."). */
const ABBREVIATIONS = new Set([
  'e.g', 'i.e', 'eg', 'ie', 'al', 'vs', 'cf', 'fig', 'figs', 'eq', 'eqs', 'approx', 'resp', 'no', 'nos',
  'dr', 'mr', 'ms', 'prof', 'sec', 'incl', 'viz', 'ca', 'st', 'vol', 'pp', 'ref', 'refs', 'tab', 'inc', 'ltd',
]);

/**
 * Splits text into sentences. A boundary is ., ! or ? followed by white space and a
 * character that can start a sentence; periods inside numbers (37.36), URLs and
 * abbreviations (e.g., et al., vs.) are not boundaries.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const boundary = /[.!?]+["'”’)\]]*\s+/g;
  let start = 0;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    const end = m.index + m[0].length;
    const next = text[end];
    // " . " (a period set apart, as lower-cased corpora write it) always ends a sentence.
    const spaced = text[m.index] === '.' && /\s/.test(text[m.index - 1] ?? '');
    if (next === undefined || (/\p{Ll}/u.test(next) && !spaced)) continue;
    if (text[m.index] === '.' && endsWithAbbreviation(text.slice(start, m.index))) continue;
    pushSentence(sentences, text.slice(start, end));
    start = end;
  }
  pushSentence(sentences, text.slice(start));
  return sentences;
}

function endsWithAbbreviation(before: string): boolean {
  const word = /([\p{L}.]+)$/u.exec(before)?.[1];
  if (!word) return false;
  if (/^\p{Lu}$/u.test(word)) return true; // an initial: "J. Smith"
  return ABBREVIATIONS.has(word.toLowerCase());
}

function pushSentence(out: string[], raw: string): void {
  const s = raw.replace(/\s+/g, ' ').trim();
  if (s) out.push(s);
}

/** URLs, left out when a sentence's words are compared with the question. */
export const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/gi;
