// A fingerprint of the engine's source code, so that derived data (the saved lexical index)
// built by other code is recognised and rebuilt.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vocabularyFilesHash } from '../vocab/files.js';

/** src/engine (or dist/src/engine): this file sits in its lexical/ folder. */
const ENGINE_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const MODULE_EXT = path.extname(fileURLToPath(import.meta.url));

let cached: string | undefined;

/**
 * A hash of the engine's modules (the analyser, ranker…, in every subfolder of src/engine), as
 * .ts under tsx or .js in dist, and of the vocabulary files (data/vocab).
 */
export function lexicalFingerprint(): string {
  cached ??= `${sourceFingerprint(ENGINE_DIR, MODULE_EXT)}-${vocabularyFilesHash()}`;
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
