// The index's saved form (toJSON / fromJSON) and back.
import type { IndexData } from './types.js';

/**
 * Persisted form. Numeric arrays are little-endian typed arrays in base64, which loads an
 * order of magnitude faster than JSON number arrays at 50k papers.
 */
export interface LexicalIndexJSON {
  version: 3;
  ids: string[];
  terms: string[];
  /** Acronyms learned from the collection: (phrase, acronym). */
  learnedAbbreviations: [string, string][];
  /** Vocabulary files chosen for the collection, and synonym keys that are names in it. */
  vocabularies?: string[];
  vocabularyNames?: string[];
  titleLengths: string;
  abstractLengths: string;
  /** Postings of term i are entries postingOffsets[i] .. postingOffsets[i + 1]. */
  postingOffsets: string;
  postingDocs: string;
  postingTitleTf: string;
  postingAbstractTf: string;
  /** Term ids of doc d in reading order (title then abstract): sequenceOffsets[d] .. [d + 1]. */
  sequenceOffsets: string;
  sequenceTerms: string;
}

export function encodeIndex(data: IndexData): LexicalIndexJSON {
  const postingOffsets = offsetsOf(data.postings.map((p) => p.docs.length));
  const sequenceOffsets = offsetsOf(data.sequences.map((q) => q.length));
  return {
    version: 3,
    ids: data.ids,
    terms: data.terms,
    learnedAbbreviations: data.learned,
    vocabularies: data.vocabularies,
    vocabularyNames: data.vocabularyNames,
    titleLengths: toBase64(data.titleLengths),
    abstractLengths: toBase64(data.abstractLengths),
    postingOffsets: toBase64(postingOffsets),
    postingDocs: toBase64(concat(Uint32Array, data.postings.map((p) => p.docs))),
    postingTitleTf: toBase64(concat(Uint16Array, data.postings.map((p) => p.titleTf))),
    postingAbstractTf: toBase64(concat(Uint16Array, data.postings.map((p) => p.abstractTf))),
    sequenceOffsets: toBase64(sequenceOffsets),
    sequenceTerms: toBase64(concat(Uint32Array, data.sequences)),
  };
}

/** Throws on an unknown version or a corrupt array (the caller rebuilds the index). */
export function decodeIndex(json: LexicalIndexJSON): IndexData {
  if (json?.version !== 3) throw new Error(`unsupported lexical index version ${String(json?.version)}; rebuild the index`);
  const postingOffsets = fromBase64(json.postingOffsets, Uint32Array);
  const docs = fromBase64(json.postingDocs, Uint32Array);
  const titleTf = fromBase64(json.postingTitleTf, Uint16Array);
  const abstractTf = fromBase64(json.postingAbstractTf, Uint16Array);
  const postings = json.terms.map((_, i) => {
    const from = postingOffsets[i]!;
    const to = postingOffsets[i + 1]!;
    return { docs: docs.subarray(from, to), titleTf: titleTf.subarray(from, to), abstractTf: abstractTf.subarray(from, to) };
  });
  const sequenceOffsets = fromBase64(json.sequenceOffsets, Uint32Array);
  const sequenceTerms = fromBase64(json.sequenceTerms, Uint32Array);
  const sequences = json.ids.map((_, d) => sequenceTerms.subarray(sequenceOffsets[d]!, sequenceOffsets[d + 1]!));
  return {
    ids: json.ids,
    terms: json.terms,
    termIds: new Map(json.terms.map((t, i) => [t, i] as const)),
    postings,
    titleLengths: fromBase64(json.titleLengths, Uint16Array),
    abstractLengths: fromBase64(json.abstractLengths, Uint32Array),
    sequences,
    learned: json.learnedAbbreviations,
    vocabularies: json.vocabularies ?? [],
    vocabularyNames: json.vocabularyNames ?? [],
  };
}

type TypedArrayOf<T> = { new (length: number): T; new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

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

function toBase64(array: Uint16Array | Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T extends Uint16Array | Uint32Array>(text: string, Type: TypedArrayOf<T>): T {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Type.BYTES_PER_ELEMENT !== 0) throw new Error('corrupt lexical index: bad array length');
  // Copy into a fresh, aligned buffer (a Buffer may sit at any offset of a shared pool).
  const aligned = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(aligned).set(bytes);
  return new Type(aligned);
}
