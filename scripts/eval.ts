// `npm run eval`: retrieval quality on test/eval/queries.json (tune / holdout / all).
// Other rows (hybrid via Engine.find, /ask accuracy) can be added in main() with evaluateRetrieval.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../src/collection/load.js';
import type { Paper } from '../src/collection/types.js';
import { LexicalIndex } from '../src/engine/lexical.js';
import { PlainBM25 } from './lib/bm25.js';
import { evaluateRetrieval, formatReports, type EvalQuery, type RetrievalReport } from './lib/metrics.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PAPERS_FILE = `${ROOT}data/papers.txt`;
export const QUERIES_FILE = `${ROOT}test/eval/queries.json`;

interface RawQuery {
  query: string;
  split: 'tune' | 'holdout';
  /** Keyed by exact paper title (robust to id scheme changes) or by paper id. */
  relevant: Record<string, number>;
}

/** Loads the dev set and maps title-keyed judgements to paper ids; an unknown title is an error. */
export async function loadEvalQueries(papers: readonly Paper[], file = QUERIES_FILE): Promise<EvalQuery[]> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as RawQuery[];
  const byTitle = new Map(papers.map((p) => [p.title, p.id]));
  const ids = new Set(papers.map((p) => p.id));
  return raw.map((q) => {
    const relevant: Record<string, number> = {};
    for (const [key, grade] of Object.entries(q.relevant)) {
      const id = ids.has(key) ? key : byTitle.get(key);
      if (!id) throw new Error(`queries.json: "${q.query}" judges an unknown paper: ${key}`);
      relevant[id] = grade;
    }
    return { query: q.query, split: q.split, relevant };
  });
}

export async function lexicalReports(papers: readonly Paper[], queries: readonly EvalQuery[]): Promise<RetrievalReport[]> {
  const baseline = new PlainBM25(papers);
  const unstemmed = new PlainBM25(papers, false);
  const index = LexicalIndex.build(papers);
  return [
    await evaluateRetrieval('plain BM25, no stemming', (q) => unstemmed.search(q, 10), queries),
    await evaluateRetrieval('plain BM25 baseline', (q) => baseline.search(q, 10), queries),
    await evaluateRetrieval('paperbot lexical', (q) => index.search(q, { k: 10 }).map((h) => h.id), queries),
  ];
}

async function main(): Promise<void> {
  const { papers } = await loadCollection([PAPERS_FILE]);
  const queries = await loadEvalQueries(papers);
  const reports = await lexicalReports(papers, queries);
  console.log(`${papers.length} papers, ${queries.length} queries\n`);
  console.log(formatReports(reports));
  if (process.argv.includes('--verbose')) {
    const [, base, ours] = reports;
    for (let i = 0; i < queries.length; i++) {
      const a = base!.perQuery[i]!.metrics.ndcg10;
      const b = ours!.perQuery[i]!.metrics.ndcg10;
      console.log(`${b.toFixed(2)} (bm25 ${a.toFixed(2)}) [${queries[i]!.split}] ${queries[i]!.query}`);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
