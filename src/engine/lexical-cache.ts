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

/**
 * A hash of the engine's modules (the analyser, ranker, thesaurus…, in every subfolder of
 * src/engine), as .ts under tsx or .js in dist.
 */
export function lexicalFingerprint(): string {
  if (cached) return cached;
  const here = fileURLToPath(import.meta.url);
  cached = sourceFingerprint(path.dirname(here), path.extname(here));
  return cached;
}

/** A hash of every `ext` file under `dir`, subfolders included, each keyed by its path relative to `dir`. */
export function sourceFingerprint(dir: string, ext: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir, ext)) {
    hash.update(file).update('\0').update(readFileSync(path.join(dir, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Relative paths ('/'-separated, sorted) of the `ext` files under `dir`, recursively. */
function filesUnder(dir: string, ext: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesUnder(dir, ext, rel));
    else if (entry.isFile() && entry.name.endsWith(ext)) out.push(rel);
  }
  return out.sort();
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
