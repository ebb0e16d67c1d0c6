// A fingerprint of the engine's source code, so that derived data (the saved lexical index)
// built by other code is recognised and rebuilt.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vocabularyFilesHash } from '../vocab/files.js';

/** src/engine (or dist/src/engine): this file sits in its lexical/ folder. */
const ENGINE_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** In dist/: the fingerprint of the TypeScript sources it was compiled from (written by scripts/build.mjs). */
const BUILD_FINGERPRINT_FILE = 'SOURCE_FINGERPRINT';

let cached: string | undefined;

/**
 * A hash of the engine's TypeScript modules (the analyser, ranker…, in every subfolder of
 * src/engine) and of the vocabulary files (data/vocab). The same code gives the same fingerprint
 * run through tsx or compiled: dist/ carries the hash of the sources it was built from.
 */
export function lexicalFingerprint(): string {
  cached ??= `${codeFingerprint()}-${vocabularyFilesHash()}`;
  return cached;
}

function codeFingerprint(): string {
  const stamped = path.join(ENGINE_DIR, BUILD_FINGERPRINT_FILE);
  return existsSync(stamped) ? readFileSync(stamped, 'utf8').trim() : sourceFingerprint(ENGINE_DIR, '.ts');
}

/** Build step: stamps the compiled engine (this file's dist/ folder) with the fingerprint of `sourceDir`'s .ts files. */
export function writeBuildFingerprint(sourceDir: string): void {
  writeFileSync(path.join(ENGINE_DIR, BUILD_FINGERPRINT_FILE), `${sourceFingerprint(sourceDir, '.ts')}\n`);
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
