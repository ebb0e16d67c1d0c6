import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Paper } from '../../src/collection/types.js';

export const PAPERS_TXT = fileURLToPath(new URL('../../data/papers.txt', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/collections/', import.meta.url));

export function readPapersTxt(): string {
  return readFileSync(PAPERS_TXT, 'utf8');
}

/** A paper without where it came from: what must not change when only the layout changes. */
export function content(paper: Paper): Omit<Paper, 'source'> {
  const { source: _source, ...rest } = paper;
  return rest;
}
