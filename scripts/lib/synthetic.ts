import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');


/**
 * Writes `count` synthetic papers as JSONL: titles and abstracts sampled from the real
 * collection's words (so term statistics look like real abstracts), lengths like real ones.
 */
export function writeSyntheticCollection(file: string, count: number, seed = 42): void {
  const text = readFileSync(path.join(ROOT, 'data/papers.txt'), 'utf8');
  const words = text.toLowerCase().match(/[a-z][a-z0-9-]{2,}/g) ?? [];
  const rand = mulberry32(seed);
  const pick = () => words[Math.floor(rand() * words.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const titleLen = 6 + Math.floor(rand() * 8);
    const title = `${Array.from({ length: titleLen }, pick).join(' ')} ${i}`;
    const absLen = 120 + Math.floor(rand() * 120);
    const abstract = Array.from({ length: absLen }, pick).join(' ') + '.';
    lines.push(JSON.stringify({ id: `syn-${i}`, title, abstract }));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

/** Queries for a synthetic collection: 2–4 words from its vocabulary. */
export function syntheticQueries(count: number, seed = 7): string[] {
  const text = readFileSync(path.join(ROOT, 'data/papers.txt'), 'utf8');
  const words = text.toLowerCase().match(/[a-z][a-z0-9-]{3,}/g) ?? [];
  const rand = mulberry32(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 2 + Math.floor(rand() * 3) }, () => words[Math.floor(rand() * words.length)]!).join(' '),
  );
}
