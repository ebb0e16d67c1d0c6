// Which vocabularies a collection gets: from configuration (VOCABULARY=auto|none|general,ml), and
// under `auto` from the collection itself: general English always, a field's file only when the
// collection uses enough of that field's words. Also spots synonym keys that are names here
// ("CLIP" the model is not a video clip).
import { UserFacingError } from '../../errors.js';
import { stem } from '../text/stem.js';
import { tokenize } from '../text/tokenize.js';
import { GENERAL_VOCABULARY, vocabularyFiles, type VocabularyFile } from './files.js';
import { Vocabulary } from './vocabulary.js';
import { phraseStems } from '../text/stem.js';

export type VocabularySetting = 'auto' | 'none' | readonly string[];

/** A field's file is on under `auto` when at least this share of its words occur in the collection. */
export const DOMAIN_MIN_COVERAGE = 0.2;
/** Documents surveyed for that decision (evenly spread): enough to see a field's words. */
const SURVEY_DOCS = 2000;
/** A synonym key written in capitals at least this often (share of its uses) is a name here. */
const NAME_MIN_CAPS_SHARE = 0.3;
/** A synonym key in at least this share of the papers is the collection's own word, in its own sense. */
const OWN_WORD_MIN_DF_SHARE = 0.2;

/** `auto`, `none`, or comma-separated file names; checked against data/vocab when resolved. */
export function parseVocabularySetting(text: string | undefined): VocabularySetting {
  const value = (text ?? '').trim().toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (value === 'none') return 'none';
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export function vocabularySettingKey(setting: VocabularySetting): string {
  return typeof setting === 'string' ? setting : [...setting].sort().join(',');
}

export interface VocabularySurvey {
  /** Stems used in at least two surveyed documents. */
  stems: Set<string>;
  /** Each surveyed document's stems, space-separated with a space at each end (for phrases). */
  docs: string[];
  /**
   * Synonym keys (stems) not to expand here: written as names (in capitals: "CLIP"), or so
   * frequent that they are the collection's own word ("memory" in immunology).
   */
  names: string[];
}

/** Words of the collection, from an even sample of its documents. */
export function surveyCollection(texts: readonly string[], keys: readonly string[]): VocabularySurvey {
  const step = Math.max(1, texts.length / SURVEY_DOCS);
  const df = new Map<string, number>();
  const keySet = new Set(keys);
  const caps = new Map<string, number>();
  const uses = new Map<string, number>();
  const docs: string[] = [];
  for (let i = 0; i < texts.length; i += step) {
    const text = texts[Math.floor(i)]!;
    const seen = new Set<string>();
    const sequence: string[] = [];
    for (const token of tokenize(text)) {
      const s = stem(token);
      seen.add(s);
      sequence.push(s);
      if (keySet.has(s)) uses.set(s, (uses.get(s) ?? 0) + 1);
    }
    docs.push(` ${sequence.join(' ')} `);
    for (const s of seen) df.set(s, (df.get(s) ?? 0) + 1);
    for (const m of text.matchAll(/\b[A-Z][A-Z0-9]+s?\b/g)) {
      const s = stem(m[0].toLowerCase().replace(/(?<=[a-z0-9])s$/, ''));
      if (keySet.has(s)) caps.set(s, (caps.get(s) ?? 0) + 1);
    }
  }
  const stems = new Set([...df].filter(([, n]) => n >= 2).map(([s]) => s));
  const asNames = [...caps].filter(([s, n]) => n >= 2 && n >= NAME_MIN_CAPS_SHARE * (uses.get(s) ?? n)).map(([s]) => s);
  const own = docs.length >= 10 ? [...df].filter(([s, n]) => keySet.has(s) && n >= OWN_WORD_MIN_DF_SHARE * docs.length).map(([s]) => s) : [];
  const names = [...new Set([...asNames, ...own])].sort();
  return { stems, docs, names };
}

/**
 * How much of a field's vocabulary the collection uses: the share of the file's abbreviation
 * phrases ("large language model") found in at least two surveyed documents; single words say
 * little (every field writes "efficient"), so a file without phrases counts its synonym targets.
 */
export function coverage(file: VocabularyFile, survey: Pick<VocabularySurvey, 'stems' | 'docs'>): number {
  const phrases = [...new Set(file.abbreviations.map(([p]) => ` ${phraseStems(p).join(' ')} `))];
  if (phrases.length > 0) {
    const found = phrases.filter((p) => {
      let n = 0;
      for (const d of survey.docs) if (d.includes(p) && ++n >= 2) return true;
      return false;
    });
    return found.length / phrases.length;
  }
  const words = new Set(file.synonyms.flatMap(([, t]) => phraseStems(t)));
  return words.size ? [...words].filter((w) => survey.stems.has(w)).length / words.size : 0;
}

export interface ChosenVocabulary {
  vocabulary: Vocabulary;
  /** Synonym keys not expanded in this collection (names there, or its own frequent words). */
  names: string[];
}

/** The vocabularies for a collection (`texts`: its titles and abstracts) under `setting`. */
export function chooseVocabulary(setting: VocabularySetting, texts: readonly string[]): ChosenVocabulary {
  const files = vocabularyFiles();
  let names: string[];
  if (setting === 'none') names = [];
  else if (setting !== 'auto') {
    const unknown = setting.filter((n) => !files.some((f) => f.name === n));
    if (unknown.length) {
      throw new UserFacingError(
        `VOCABULARY names an unknown vocabulary: ${unknown.join(', ')}. Use auto, none, or some of: ${files.map((f) => f.name).join(', ')}.`,
      );
    }
    names = [...setting];
  } else names = files.map((f) => f.name);
  if (names.length === 0) return { vocabulary: Vocabulary.of([]), names: [] };
  const survey = surveyCollection(texts, Vocabulary.of(names).singleWordKeys());
  if (setting === 'auto') {
    names = names.filter((n) => n === GENERAL_VOCABULARY || coverage(files.find((f) => f.name === n)!, survey) >= DOMAIN_MIN_COVERAGE);
  }
  return { vocabulary: Vocabulary.of(names), names: survey.names };
}
