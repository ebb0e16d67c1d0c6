// Reading evaluation sets (retrieval queries, /ask questions) in one place, for `npm run eval`
// (dev and tuning sets) and `npm run eval:holdout` (hold-out sets, read by that script only).
import { readFile } from 'node:fs/promises';
import type { Paper } from '../../src/collection/types.js';
import type { AskQuestion } from './eval-ask.js';
import type { EvalQuery } from './metrics.js';

interface RawQuery {
  query: string;
  split?: 'tune' | 'holdout';
  /** Keyed by exact paper title (robust to id scheme changes) or by paper id. */
  relevant: Record<string, number>;
}

/** Paper id for a judged key: the id itself, else the exact title (an unknown key is an error). */
export function idResolver(papers: readonly Paper[], file: string): (key: string, what: string) => string {
  const byTitle = new Map<string, string>();
  for (const p of papers) if (!byTitle.has(p.title)) byTitle.set(p.title, p.id);
  const ids = new Set(papers.map((p) => p.id));
  return (key, what) => {
    const id = ids.has(key) ? key : byTitle.get(key);
    if (!id) throw new Error(`${file}: ${what} judges an unknown paper: ${key}`);
    return id;
  };
}

/** A retrieval set: `[{ query, split?, relevant: { title or id: grade } }]`; `split` defaults to `defaultSplit`. */
export async function loadQuerySet(papers: readonly Paper[], file: string, defaultSplit: EvalQuery['split'] = 'tune'): Promise<EvalQuery[]> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as RawQuery[];
  const resolve = idResolver(papers, file);
  return raw.map((q) => {
    const relevant: Record<string, number> = {};
    for (const [key, grade] of Object.entries(q.relevant)) relevant[resolve(key, `"${q.query}"`)] = grade;
    return { query: q.query, split: q.split ?? defaultSplit, relevant };
  });
}

export async function loadQuestions(file: string): Promise<AskQuestion[]> {
  return JSON.parse(await readFile(file, 'utf8')) as AskQuestion[];
}

/** What kind of set a JSON file holds, from the shape of its first entry. */
export function setKind(json: unknown): 'queries' | 'questions' | 'clusters' | 'dialogues' | 'unknown' {
  const first = Array.isArray(json) ? json[0] : (json as { clusters?: unknown[] } | null)?.clusters?.[0];
  if (!first || typeof first !== 'object') return 'unknown';
  if ('turns' in first) return 'dialogues';
  if ('question' in first) return 'questions';
  if ('query' in first && 'relevant' in first) return 'queries';
  if ('papers' in first || 'members' in first) return 'clusters';
  return 'unknown';
}
