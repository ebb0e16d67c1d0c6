/**
 * Whether EMBEDDING_MODEL names a local folder or a Hugging Face id. Kept apart from
 * transformers.ts so that deciding it does not load the model runtime.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export class ModelFolderMissingError extends Error {
  override readonly name = 'ModelFolderMissingError';
  constructor(readonly folder: string) {
    super(`embedding model folder "${folder}" does not exist`);
  }
}

/** A path-like string (rather than an `org/name` id) names a local folder even if it is missing. */
function looksLikePath(model: string): boolean {
  return /^(\.{1,2}[\\/]|[\\/]|~|[A-Za-z]:[\\/])/.test(model) || model.includes('\\');
}

/** Resolves `model` to an absolute folder if it is a local model, or null for a Hub id. */
export function resolveLocalModelFolder(model: string): string | null {
  const absolute = path.resolve(model);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) return absolute;
  if (looksLikePath(model)) throw new ModelFolderMissingError(absolute);
  return null;
}
