/**
 * The lexical index is derived data like the vectors: ingest saves it in the generation so a
 * large collection loads in a second instead of being re-analysed at every start. It is only
 * valid for the exact ranking code that built it, so it carries a fingerprint of that code;
 * any change to the engine's sources makes ingest rebuild it (a stale one would rank wrongly
 * without a word).
 */
import { existsSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { lexicalFingerprint } from './fingerprint.js';
import { LexicalIndex } from './index.js';
import type { LexicalDoc } from './types.js';
import { vocabularySettingKey, type VocabularySetting } from '../vocab/select.js';

const INDEX_FILE = 'lexical.bin';
const FINGERPRINT_FILE = 'lexical.fingerprint';

/** The code's fingerprint plus the vocabulary setting the index was built with. */
function fingerprintFor(vocabulary: VocabularySetting): string {
  return `${lexicalFingerprint()} vocabulary=${vocabularySettingKey(vocabulary)}`;
}

/** Builds the index of `docs`, saves it in the generation, and returns it (ingest derives more from it). */
export async function saveLexicalIndex(genDir: string, docs: readonly LexicalDoc[], vocabulary: VocabularySetting = 'auto'): Promise<LexicalIndex> {
  const index = LexicalIndex.build(docs, {}, vocabulary);
  await fs.writeFile(path.join(genDir, INDEX_FILE), index.toBuffer());
  await fs.writeFile(path.join(genDir, FINGERPRINT_FILE), fingerprintFor(vocabulary));
  return index;
}

/** Was this generation's lexical index built by the current code and vocabulary setting? Cheap: reads the fingerprint only. */
export function hasCurrentLexicalIndex(genDir: string, vocabulary: VocabularySetting = 'auto'): boolean {
  const file = path.join(genDir, FINGERPRINT_FILE);
  return existsSync(file) && readFileSync(file, 'utf8').trim() === fingerprintFor(vocabulary);
}

/** The saved index, or null when it is missing, from other code or vocabulary, or unreadable (the caller builds one). */
export async function loadLexicalIndex(genDir: string, vocabulary: VocabularySetting = 'auto'): Promise<LexicalIndex | null> {
  if (!hasCurrentLexicalIndex(genDir, vocabulary)) return null;
  try {
    return LexicalIndex.fromBuffer(await fs.readFile(path.join(genDir, INDEX_FILE)));
  } catch {
    return null;
  }
}
