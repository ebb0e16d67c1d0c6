// A set of vocabulary files compiled for use: abbreviation rules for the analyser and
// synonym expansion for queries.
import { compileAbbreviations, type AbbreviationRules } from '../text/abbreviations.js';
import { phraseStems } from '../text/stem.js';
import { vocabularyFiles, type VocabularyFile } from './files.js';

export class Vocabulary {
  readonly abbreviationRules: AbbreviationRules;
  /** Stemmed key phrase (stems joined by spaces) → stems it brings along. */
  private readonly synonyms = new Map<string, string[]>();
  private readonly longestKey: number;

  constructor(
    readonly names: readonly string[],
    files: readonly VocabularyFile[],
  ) {
    this.abbreviationRules = compileAbbreviations(files.flatMap((f) => f.abbreviations));
    let longest = 1;
    for (const [phrase, targets] of files.flatMap((f) => f.synonyms)) {
      const key = phraseStems(phrase);
      if (key.length === 0) continue;
      longest = Math.max(longest, key.length);
      const joined = key.join(' ');
      const list = this.synonyms.get(joined) ?? [];
      for (const t of phraseStems(targets)) if (!list.includes(t) && !key.includes(t)) list.push(t);
      this.synonyms.set(joined, list);
    }
    this.longestKey = longest;
  }

  /** The named files (unknown names are ignored: the caller checked them). */
  static of(names: readonly string[]): Vocabulary {
    const key = names.join(',');
    let v = compiled.get(key);
    if (!v) {
      const files = vocabularyFiles();
      v = new Vocabulary(names, names.map((n) => files.find((f) => f.name === n)).filter((f): f is VocabularyFile => Boolean(f)));
      compiled.set(key, v);
    }
    return v;
  }

  /** Every vocabulary file. */
  static all(): Vocabulary {
    return Vocabulary.of(vocabularyFiles().map((f) => f.name));
  }

  /** Stemmed one-word keys (for spotting words that are names in a collection). */
  singleWordKeys(): string[] {
    return [...this.synonyms.keys()].filter((k) => !k.includes(' '));
  }

  /**
   * Stems the synonyms add for a query's stems, matching phrases ("text generation") as well as
   * single words; a key in `blocked` (a name or a word of art in this collection) adds nothing.
   */
  expansions(stems: readonly string[], blocked?: ReadonlySet<string>): string[] {
    const out = new Set<string>();
    for (let i = 0; i < stems.length; i++) {
      for (let n = 1; n <= this.longestKey && i + n <= stems.length; n++) {
        const key = stems.slice(i, i + n).join(' ');
        if (blocked?.has(key)) continue;
        for (const t of this.synonyms.get(key) ?? []) out.add(t);
      }
    }
    for (const s of stems) out.delete(s);
    return [...out];
  }
}

const compiled = new Map<string, Vocabulary>();
