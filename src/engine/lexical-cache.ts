/**
 * The lexical index is derived data like the vectors: ingest saves it in the generation so a
 * large collection loads in a second instead of being re-analysed at every start. It is only
 * valid for the exact ranking code that built it, so it carries a fingerprint of that code;
 * any change to the engine's sources makes ingest rebuild it (a stale one would rank wrongly
 * without a word).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LexicalIndex, type LexicalDoc, type LexicalIndexJSON } from './lexical.js';

const INDEX_FILE = 'lexical.json';
const FINGERPRINT_FILE = 'lexical.fingerprint';

let cached: string | undefined;

/** A hash of this folder's modules (the analyser, ranker, thesaurus…), as .ts under tsx or .js in dist. */
export function lexicalFingerprint(): string {
  if (cached) return cached;
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  const ext = path.extname(here);
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((f) => f.endsWith(ext)).sort()) {
    hash.update(name).update(readFileSync(path.join(dir, name)));
  }
  cached = hash.digest('hex').slice(0, 16);
  return cached;
}

export async function saveLexicalIndex(genDir: string, docs: readonly LexicalDoc[]): Promise<void> {
  const index = LexicalIndex.build(docs);
  await fs.writeFile(path.join(genDir, INDEX_FILE), JSON.stringify(index.toJSON()));
  await fs.writeFile(path.join(genDir, FINGERPRINT_FILE), lexicalFingerprint());
}

/** Was this generation's lexical index built by the current code? Cheap: reads the fingerprint only. */
export function hasCurrentLexicalIndex(genDir: string): boolean {
  const file = path.join(genDir, FINGERPRINT_FILE);
  return existsSync(file) && readFileSync(file, 'utf8').trim() === lexicalFingerprint();
}

/** The saved index, or null when it is missing, from other code, or unreadable (the caller builds one). */
export async function loadLexicalIndex(genDir: string): Promise<LexicalIndex | null> {
  if (!hasCurrentLexicalIndex(genDir)) return null;
  try {
    return LexicalIndex.fromJSON(JSON.parse(await fs.readFile(path.join(genDir, INDEX_FILE), 'utf8')) as LexicalIndexJSON);
  } catch {
    return null;
  }
}
