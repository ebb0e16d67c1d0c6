// The index's saved form (lexical.bin): its arrays as they are in memory, in one binary file
// (store/binary-file.ts), so that loading is a read and a few views, with nothing to decode.
import { BinaryReader, BinaryWriter } from '../../store/binary-file.js';
import type { IndexData } from './types.js';

/** Bump when the saved layout changes (a saved index of another version is rebuilt). */
const LEXICAL_FORMAT = 4;

export function encodeIndex(data: IndexData): Buffer {
  return new BinaryWriter()
    .json('meta', {
      format: LEXICAL_FORMAT,
      /** Acronyms learned from the collection: (phrase, acronym). */
      learnedAbbreviations: data.learned,
      vocabularies: data.vocabularies,
      vocabularyNames: data.vocabularyNames,
    })
    .strings('ids', data.ids)
    .strings('terms', data.terms)
    .array('titleLengths', data.titleLengths)
    .array('abstractLengths', data.abstractLengths)
    // Postings of term t are entries postingOffsets[t] .. postingOffsets[t + 1].
    .array('postingOffsets', offsetsOf(data.postings.map((p) => p.docs.length)))
    .array('postingDocs', concat(Uint32Array, data.postings.map((p) => p.docs)))
    .array('postingTitleTf', concat(Uint16Array, data.postings.map((p) => p.titleTf)))
    .array('postingAbstractTf', concat(Uint16Array, data.postings.map((p) => p.abstractTf)))
    // Term ids of doc d in reading order (title then abstract): sequenceOffsets[d] .. [d + 1].
    .array('sequenceOffsets', offsetsOf(data.sequences.map((q) => q.length)))
    .array('sequenceTerms', concat(Uint32Array, data.sequences))
    .toBuffer();
}

/** Throws on another format or a damaged file (the caller rebuilds the index). */
export function decodeIndex(file: BinaryReader): IndexData {
  const meta = file.json<{ format: number; learnedAbbreviations: [string, string][]; vocabularies?: string[]; vocabularyNames?: string[] }>('meta');
  if (meta?.format !== LEXICAL_FORMAT) throw new Error(`unsupported lexical index format ${String(meta?.format)}; rebuild the index`);
  const ids = file.strings('ids');
  const terms = file.strings('terms');
  const postingOffsets = file.u32('postingOffsets');
  const docs = file.u32('postingDocs');
  const titleTf = file.u16('postingTitleTf');
  const abstractTf = file.u16('postingAbstractTf');
  const sequenceOffsets = file.u32('sequenceOffsets');
  const sequenceTerms = file.u32('sequenceTerms');
  const titleLengths = file.u16('titleLengths');
  const abstractLengths = file.u32('abstractLengths');
  const ok =
    postingOffsets.length === terms.length + 1 &&
    postingOffsets[terms.length] === docs.length &&
    titleTf.length === docs.length &&
    abstractTf.length === docs.length &&
    sequenceOffsets.length === ids.length + 1 &&
    sequenceOffsets[ids.length] === sequenceTerms.length &&
    titleLengths.length === ids.length &&
    abstractLengths.length === ids.length &&
    ascending(postingOffsets) &&
    ascending(sequenceOffsets);
  if (!ok) throw new Error('corrupt lexical index: arrays do not fit together');
  const postings = terms.map((_, t) => {
    const from = postingOffsets[t]!;
    const to = postingOffsets[t + 1]!;
    return { docs: docs.subarray(from, to), titleTf: titleTf.subarray(from, to), abstractTf: abstractTf.subarray(from, to) };
  });
  const sequences = ids.map((_, d) => sequenceTerms.subarray(sequenceOffsets[d]!, sequenceOffsets[d + 1]!));
  return {
    ids,
    terms,
    termIds: new Map(terms.map((t, i) => [t, i] as const)),
    postings,
    titleLengths,
    abstractLengths,
    sequences,
    learned: meta.learnedAbbreviations,
    vocabularies: meta.vocabularies ?? [],
    vocabularyNames: meta.vocabularyNames ?? [],
  };
}

function ascending(offsets: Uint32Array): boolean {
  for (let i = 1; i < offsets.length; i++) if (offsets[i]! < offsets[i - 1]!) return false;
  return true;
}

type TypedArrayOf<T> = { new (length: number): T };

function offsetsOf(lengths: number[]): Uint32Array {
  const offsets = new Uint32Array(lengths.length + 1);
  lengths.forEach((n, i) => (offsets[i + 1] = offsets[i]! + n));
  return offsets;
}

function concat<T extends Uint16Array | Uint32Array>(Type: TypedArrayOf<T>, parts: T[]): T {
  const out = new Type(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
