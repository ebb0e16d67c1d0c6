/**
 * Per-model embedding conventions. Sentence-embedding models were trained with a specific pooling
 * and (for some) instruction prefixes; using the wrong ones silently degrades retrieval.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export type Pooling = 'mean' | 'cls';

export interface ModelProfile {
  pooling: Pooling;
  /** Prepended to search queries. */
  queryPrefix: string;
  /** Prepended to documents (title + abstract). */
  docPrefix: string;
}

const BGE_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

const MEAN_PLAIN: ModelProfile = { pooling: 'mean', queryPrefix: '', docPrefix: '' };

/** Known families, matched against the last path segment of a model id or folder, lowercased. */
const KNOWN_FAMILIES: { pattern: RegExp; profile: ModelProfile }[] = [
  { pattern: /(^|[-_])bge([-_]|$)/, profile: { pooling: 'cls', queryPrefix: BGE_QUERY_PREFIX, docPrefix: '' } },
  { pattern: /(^|[-_])e5([-_]|$)/, profile: { pooling: 'mean', queryPrefix: 'query: ', docPrefix: 'passage: ' } },
  {
    pattern: /nomic-embed/,
    profile: { pooling: 'mean', queryPrefix: 'search_query: ', docPrefix: 'search_document: ' },
  },
  { pattern: /(^|[-_])gte([-_]|$)|minilm|mpnet/, profile: MEAN_PLAIN },
];

/** Profile for a model id or folder name; unknown models get mean pooling without prefixes. */
export function profileForModel(modelIdOrFolder: string): ModelProfile {
  const name = path.basename(modelIdOrFolder.replace(/[\\/]+$/, '')).toLowerCase();
  return KNOWN_FAMILIES.find((f) => f.pattern.test(name))?.profile ?? MEAN_PLAIN;
}

/** Optional `paperbot.json` in a local model folder overrides the guessed profile. */
export const PROFILE_FILE = 'paperbot.json';

const profileFileSchema = z
  .object({
    pooling: z.enum(['mean', 'cls']).optional(),
    queryPrefix: z.string().optional(),
    docPrefix: z.string().optional(),
  })
  .strict();

export async function readFolderProfile(folder: string): Promise<Partial<ModelProfile> | null> {
  let raw: string;
  try {
    raw = await readFile(path.join(folder, PROFILE_FILE), 'utf8');
  } catch {
    return null; // no override file: the common case
  }
  const file = path.join(folder, PROFILE_FILE);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  const parsed = profileFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${file} is invalid: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
  }
  return parsed.data;
}
