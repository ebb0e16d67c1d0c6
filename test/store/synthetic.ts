import { createHash } from 'node:crypto';
import type { Collection, Paper } from '../../src/collection/types.js';
import { INDEX_FORMAT_VERSION, createGeneration, writeManifest, writePapersSnapshot } from '../../src/store/index-dir.js';

const WORDS = (
  'graph neural network transformer attention diffusion image video language model retrieval agent reward policy ' +
  'robot planning vision token sparse mixture expert quantization speech audio protein molecule reasoning math code ' +
  'benchmark dataset alignment preference feedback scaling law memory context window compression distillation'
).split(' ');

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A deterministic word-salad paper; `variant` changes its abstract (an "edit"). */
export function syntheticPaper(i: number, variant = 0): Paper {
  const pick = (n: number) => WORDS[(i * 7 + n * 13 + variant * 5) % WORDS.length]!;
  const title = `Paper ${i}: ${pick(1)} ${pick(2)} for ${pick(3)}`;
  const abstract = `We study ${pick(4)} ${pick(5)} with ${pick(6)} and ${pick(7)}. Variant ${variant}. Item ${i}.`;
  return {
    id: `paper-${i}`,
    title,
    abstract,
    searchUrl: `https://arxiv.org/a/${i}`,
    authors: [],
    tags: [],
    codeLinks: [],
    hash: sha(`${title}\n${abstract}`),
    source: { file: 'synthetic.txt', line: i + 1 },
  };
}

export function collectionOf(papers: Paper[]): Collection {
  const sorted = [...papers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { papers, problems: [], duplicates: [], hash: sha(sorted.map((p) => `${p.id}:${p.hash}`).join('\n')) };
}

export function syntheticCollection(count: number, variant = 0): Collection {
  return collectionOf(Array.from({ length: count }, (_, i) => syntheticPaper(i, variant)));
}

/** A finished, not yet committed lexical-only generation of `count` synthetic papers in `indexDir`. */
export async function buildSyntheticGeneration(indexDir: string, count: number, variant = 0): Promise<string> {
  const c = syntheticCollection(count, variant);
  const dir = await createGeneration(indexDir);
  await writePapersSnapshot(dir, c.papers);
  await writeManifest(dir, {
    formatVersion: INDEX_FORMAT_VERSION,
    modelId: null,
    dims: null,
    collectionHash: c.hash,
    paperCount: count,
    builtAt: new Date().toISOString(),
    papers: c.papers.map((p) => ({ id: p.id, hash: p.hash })),
  });
  return dir;
}
