/**
 * Has a collection file changed since the index was built? Each source file's size, modification
 * time and content hash are kept in the index manifest; a file with the same size and time is
 * unchanged, and one whose time moved (a touch, a copy) is hashed and compared. So an unchanged
 * collection is never parsed again at start-up, and a changed one always is.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { LibraryChanges } from './types.js';

/** One collection file as it was read. */
export interface SourceStamp {
  file: string;
  size: number;
  mtimeMs: number;
  /** sha1 of the bytes that were parsed (hex): fast, and only compared, never trusted for security. */
  hash: string;
}

export function contentStamp(file: string, stats: { size: number; mtimeMs: number }, bytes: Uint8Array): SourceStamp {
  return { file, size: stats.size, mtimeMs: stats.mtimeMs, hash: createHash('sha1').update(bytes).digest('hex') };
}

/** True when every file is the one stamped (same paths, in order, same content); false on any doubt. */
export async function sourcesUnchanged(stamps: readonly SourceStamp[] | undefined, files: readonly string[]): Promise<boolean> {
  if (!stamps || stamps.length !== files.length) return false;
  for (const [i, file] of files.entries()) {
    const stamp = stamps[i]!;
    if (stamp.file !== file) return false;
    const now = await stat(file).catch(() => undefined);
    if (!now || !now.isFile() || now.size !== stamp.size) return false;
    if (now.mtimeMs === stamp.mtimeMs) continue;
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes || contentStamp(file, now, bytes).hash !== stamp.hash) return false;
  }
  return true;
}

/** Identifies the state database's additions and removals ('' for none): the collection is the files plus these. */
export function changesKey(changes: LibraryChanges | undefined): string {
  if (!changes || (changes.additions.length === 0 && changes.removals.length === 0)) return '';
  return createHash('sha1').update(JSON.stringify(changes)).digest('hex');
}
