// The similar-papers state in the index generation (similar.bin): the document vectors and the
// latent space, derived at ingest from the same lexical index, read back on the first /similar
// instead of being derived again (seconds at 50k papers).
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BinaryReader, BinaryWriter } from '../../store/binary-file.js';
import type { SavedSimilarity } from './index.js';

const SIMILAR_FILE = 'similar.bin';

export async function saveSimilarity(genDir: string, saved: SavedSimilarity): Promise<void> {
  const v = saved.vectors;
  const file = new BinaryWriter()
    .json('meta', { avgLength: v.avgLength, unigramTerms: v.unigramTerms, latentDims: saved.latent?.dims ?? null })
    .array('keep', v.keep)
    .array('idf', v.idf)
    .array('df', v.df)
    .array('vectorOffsets', v.vectorOffsets)
    .array('vectorTerms', v.vectorTerms)
    .array('vectorWeights', v.vectorWeights)
    .array('postingOffsets', v.postingOffsets)
    .array('postingDocs', v.postingDocs)
    .array('postingWeights', v.postingWeights);
  if (saved.latent) file.array('latentColumn', saved.latent.column).array('latentBasis', saved.latent.basis);
  await writeFile(path.join(genDir, SIMILAR_FILE), file.toBuffer());
}

/** The generation's saved state, or undefined when it has none or it is damaged (it is then derived again). */
export function loadSimilarity(genDir: string): SavedSimilarity | undefined {
  try {
    const file = BinaryReader.read(path.join(genDir, SIMILAR_FILE));
    const meta = file.json<{ avgLength: number; unigramTerms: number; latentDims: number | null }>('meta');
    const vectors = {
      keep: file.i32('keep'),
      idf: file.f64('idf'),
      df: file.u32('df'),
      avgLength: meta.avgLength,
      unigramTerms: meta.unigramTerms,
      vectorOffsets: file.u32('vectorOffsets'),
      vectorTerms: file.u32('vectorTerms'),
      vectorWeights: file.f32('vectorWeights'),
      postingOffsets: file.u32('postingOffsets'),
      postingDocs: file.u32('postingDocs'),
      postingWeights: file.f32('postingWeights'),
    };
    const terms = vectors.idf.length;
    const ok =
      vectors.df.length === terms &&
      vectors.postingOffsets.length === terms + 1 &&
      vectors.postingOffsets[terms] === vectors.postingDocs.length &&
      vectors.postingWeights.length === vectors.postingDocs.length &&
      vectors.vectorOffsets[vectors.vectorOffsets.length - 1] === vectors.vectorTerms.length &&
      vectors.vectorWeights.length === vectors.vectorTerms.length &&
      below(vectors.vectorTerms, terms) &&
      below(vectors.postingDocs, vectors.vectorOffsets.length - 1);
    if (!ok) return undefined;
    const latent = meta.latentDims === null ? null : { column: file.i32('latentColumn'), basis: file.f32('latentBasis'), dims: meta.latentDims };
    return { vectors, latent };
  } catch {
    return undefined;
  }
}

/** Every value is below `limit` (a damaged file must not index past an array). */
function below(values: Uint32Array, limit: number): boolean {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  return values.length === 0 || max < limit;
}
