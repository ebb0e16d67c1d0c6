// Placeholder tokenizer; the lexical-ranking work replaces the internals, keeping these signatures.
const STOP = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were which with we our'.split(' '),
);

/** Lower-cased, NFKC-normalised word tokens, stop words removed. */
export function tokenize(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => !STOP.has(t));
}

/** Tokens reduced to their stems, as the lexical index stores them. */
export function analyze(text: string): string[] {
  return tokenize(text);
}
