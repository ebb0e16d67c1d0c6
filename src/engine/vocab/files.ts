// Query vocabularies as data (data/vocab/<name>.tsv): synonyms (everyday words → the papers'
// words) and abbreviations (phrase → short form). `general` is general English; every other
// file is a field's vocabulary ("domain"), switched on by configuration or by the collection.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VocabularyFile {
  /** File name without .tsv: "general", "ml". */
  name: string;
  /** (words typed, space-separated words the papers use). */
  synonyms: [string, string][];
  /** (phrase, space-separated short forms). */
  abbreviations: [string, string][];
}

export const GENERAL_VOCABULARY = 'general';

/** data/vocab next to the package root, from src/engine/vocab (tsx) or dist/src/engine/vocab (build). */
export function vocabularyDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'data', 'vocab');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/vocab');
}

/** Reads one vocabulary file's text; a malformed line is an error naming the file and line. */
export function parseVocabulary(name: string, text: string): VocabularyFile {
  const file: VocabularyFile = { name, synonyms: [], abbreviations: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [kind, words, expansion, ...rest] = raw.split('\t').map((s) => s.trim());
    if (!words || !expansion || rest.length > 0 || (kind !== 'synonym' && kind !== 'abbreviation')) {
      throw new Error(`data/vocab/${name}.tsv line ${i + 1}: expected "synonym|abbreviation<TAB>words<TAB>expansion"`);
    }
    (kind === 'synonym' ? file.synonyms : file.abbreviations).push([words.toLowerCase(), expansion.toLowerCase()]);
  });
  return file;
}

let cached: { dir: string; files: VocabularyFile[]; hash: string } | undefined;

/** Every vocabulary file, by name (read once). */
export function vocabularyFiles(dir = vocabularyDir()): VocabularyFile[] {
  if (cached?.dir === dir) return cached.files;
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tsv')).sort() : [];
  const hash = createHash('sha256');
  const files = names.map((f) => {
    const text = readFileSync(path.join(dir, f), 'utf8');
    hash.update(f).update('\0').update(text).update('\0');
    return parseVocabulary(f.slice(0, -4), text);
  });
  cached = { dir, files, hash: hash.digest('hex').slice(0, 16) };
  return files;
}

/** A hash of the vocabulary files, so an index built with other vocabulary is rebuilt. */
export function vocabularyFilesHash(dir = vocabularyDir()): string {
  vocabularyFiles(dir);
  return cached!.hash;
}
