// Unicode folding shared by every text comparison: one spelling per word before tokenising.

const ZERO_WIDTH = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
const COMBINING_MARKS = /\p{M}+/gu;
const PLAIN_ASCII = /^[\x20-\x7E\t\n\r]*$/;

/** NFKC, lower case, no diacritics, no zero-width or bidi control characters. */
export function normalize(text: string): string {
  // Most abstracts are plain ASCII, where Unicode folding changes nothing but costs time.
  if (PLAIN_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFC');
}
