// `npm run eval`: quality on the DEV and TUNING sets only (every one of them was seen while tuning):
// retrieval on test/eval/queries.json (splits tune / dev-b) and queries-tuning-b.json, /ask accuracy,
// /similar precision@5 and public test collections from other fields. The hold-out sets are read by
// `npm run eval:holdout` (scripts/eval-holdout.ts) alone.
// `npm run eval -- --verbose` adds per-query nDCG@10; `-- --bench` adds latency and 50k-paper timings.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../src/collection/load.js';
import type { Paper } from '../src/collection/types.js';
import { LexicalIndex, type LexicalDoc } from '../src/engine/lexical/index.js';
import { snippet } from '../src/engine/snippet.js';
import { PlainBM25 } from './lib/bm25.js';
import { evaluateAsk, formatAskReport, type AskQuestion } from './lib/eval-ask.js';
import { loadCoreConfig } from '../src/config.js';
import { PaperEngine } from '../src/engine/engine.js';
import { openEngine } from '../src/engine/open.js';
import { createLogger } from '../src/logger.js';
import { irSection } from './lib/eval-ir.js';
import { irClusterSets, similarSection } from './lib/eval-similar.js';
import { loadQuerySet } from './lib/eval-sets.js';
import { evaluateRetrieval, formatReports, type EvalQuery, type RetrievalReport } from './lib/metrics.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PAPERS_FILE = `${ROOT}data/papers.txt`;
export const QUERIES_FILE = `${ROOT}test/eval/queries.json`;

/** Loads the dev set (title- or id-keyed judgements mapped to paper ids); an unknown title is an error. */
export async function loadEvalQueries(papers: readonly Paper[], file = QUERIES_FILE): Promise<EvalQuery[]> {
  return loadQuerySet(papers, file);
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function timeQueries(index: LexicalIndex, queries: readonly string[], abstractOf?: (id: string) => string | undefined): number {
  for (const q of queries) index.search(q); // warm up the JIT and caches
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of queries) {
      const started = performance.now();
      for (const hit of index.search(q, { k: 10 })) {
        const abstract = abstractOf?.(hit.id);
        if (abstract) snippet(abstract, q);
      }
      times.push(performance.now() - started);
    }
  }
  return median(times);
}

/** Synthetic papers whose words are sampled from the real titles and abstracts (seeded, repeatable). */
export function syntheticPapers(papers: readonly Paper[], count: number, seed = 42): LexicalDoc[] {
  const words = papers.flatMap((p) => `${p.title} ${p.abstract}`.split(/\s+/));
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const sample = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!).join(' ');
  return Array.from({ length: count }, (_, i) => ({
    id: `synthetic-${i}`,
    title: sample(6 + Math.floor(random() * 8)),
    abstract: sample(120 + Math.floor(random() * 150)),
  }));
}

/** `--bench`: query latency on the real collection and build / load / query time at 50k papers. */
async function bench(papers: readonly Paper[], queries: readonly EvalQuery[]): Promise<void> {
  const texts = queries.map((q) => q.query);
  const abstracts = new Map(papers.map((p) => [p.id, p.abstract]));
  let started = performance.now();
  const small = LexicalIndex.build(papers);
  const smallBuild = performance.now() - started;
  console.log(`\n${papers.length} papers: build ${smallBuild.toFixed(0)} ms, search p50 ${timeQueries(small, texts).toFixed(2)} ms, search + 10 snippets p50 ${timeQueries(small, texts, (id) => abstracts.get(id)).toFixed(2)} ms`);
  const synthetic = syntheticPapers(papers, 50_000);
  started = performance.now();
  const big = LexicalIndex.build(synthetic);
  const build = performance.now() - started;
  started = performance.now();
  const saved = big.toBuffer();
  const save = performance.now() - started;
  started = performance.now();
  const loaded = LexicalIndex.fromBuffer(saved);
  const load = performance.now() - started;
  console.log(`50,000 synthetic papers: build ${build.toFixed(0)} ms, save ${save.toFixed(0)} ms (${(saved.length / 1e6).toFixed(0)} MB), load ${load.toFixed(0)} ms, search p50 ${timeQueries(loaded, texts).toFixed(2)} ms`);
}

async function askReport(label: string, engine: PaperEngine, file: string, papers: readonly Paper[]): Promise<string | null> {
  if (!existsSync(file)) return null;
  const questions = JSON.parse(await readFile(file, 'utf8')) as (AskQuestion & { split?: string })[];
  const byTitle = new Map(papers.map((p) => [p.title, p.id]));
  const report = await evaluateAsk((q) => engine.ask(q), questions, (t) => byTitle.get(t));
  return formatAskReport(report, label, false).split('\n')[0]!;
}

/**
 * Tuning set B: written blind (by people who never saw the ranker or the answerer), but then
 * used while tuning, so it is a tuning set, not a held-out one.
 */
const TUNING_B_QUERIES = `${ROOT}test/eval/queries-tuning-b.json`;
const QUESTIONS = `${ROOT}test/eval/questions.json`;
const TUNING_B_QUESTIONS = `${ROOT}test/eval/questions-tuning-b.json`;
const SIMILAR_CLUSTERS = `${ROOT}test/eval/similar-clusters.json`;

async function main(): Promise<void> {
  const { papers } = await loadCollection([PAPERS_FILE]);
  const queries = await loadEvalQueries(papers);
  const reports = await lexicalReports(papers, queries);
  console.log(`${papers.length} papers · DEV set ${queries.length} queries (splits "tune" and "holdout"; both seen while tuning)\n`);
  console.log(formatReports(reports));

  let tuningB: EvalQuery[] = [];
  if (existsSync(TUNING_B_QUERIES)) {
    tuningB = await loadEvalQueries(papers, TUNING_B_QUERIES);
    const tuningReports = await lexicalReports(papers, tuningB);
    console.log(`\nTUNING set B: ${tuningB.length} queries (written blind, then used for tuning)\n`);
    console.log(formatReports(tuningReports).split('\n').filter((l, n) => n < 2 || / all /.test(l)).join('\n'));
  }

  // Hybrid, when the configured model can be loaded (not in this offline sandbox).
  const config = loadCoreConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const logger = createLogger({ level: 'silent' });
  const lexicalEngine = new PaperEngine({ papers });
  let hybridEngine: PaperEngine | null = null;
  if (config.embeddingModel) {
    const indexDir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-eval-'));
    const opened = await openEngine({ config: { ...config, indexDir }, logger });
    if (opened.engine.mode === 'hybrid') hybridEngine = opened.engine;
    else console.log(`\nhybrid: skipped (${opened.engine.info().modelNote ?? 'no embedding model'})`);
  } else {
    console.log('\nhybrid: skipped (EMBEDDING_MODEL=none)');
  }
  if (hybridEngine) {
    const ids = async (q: string) => (await hybridEngine!.find(q, { k: 10 })).hits.map((h) => h.paper.id);
    const rows = [await evaluateRetrieval(`paperbot hybrid (${hybridEngine.info().model})`, ids, queries)];
    if (tuningB.length) rows.push({ ...(await evaluateRetrieval('paperbot hybrid, tuning set B', ids, tuningB)) });
    console.log('');
    console.log(formatReports(rows));
  }

  console.log('\n/ask: correct = the fact is in the answer AND the right paper is cited; refusals on unanswerable questions');
  for (const [label, engine] of [['lexical', lexicalEngine], ...(hybridEngine ? [['hybrid', hybridEngine] as const] : [])] as const) {
    for (const [set, file] of [['DEV set', QUESTIONS], ['TUNING set B', TUNING_B_QUESTIONS]] as const) {
      const line = await askReport(`${label}, ${set}`, engine, file, papers);
      if (line) console.log(`  ${line}`);
    }
  }

  if (existsSync(SIMILAR_CLUSTERS)) {
    console.log('\n/similar: precision@5 within the topic clusters of TUNING set test/eval/similar-clusters.json,');
    console.log('and within the clusters of documents judged relevant to one query in ../shared/data/ir (MED, CISI; queries with ≥ 3)');
    const index = new Map(papers.map((p, i) => [p.id, i]));
    const extra: [string, (paper: number) => Promise<number[]>][] = hybridEngine
      ? [[`paperbot + dense (${hybridEngine.info().model})`, async (i) => (await hybridEngine!.similar(papers[i]!.id, { k: 10 })).hits.map((h) => index.get(h.paper.id)!)]]
      : [];
    console.log(await similarSection(papers, SIMILAR_CLUSTERS, extra, await irClusterSets(ROOT)));
  }

  console.log('\nOther fields (../shared/data/ir): paperbot (Engine.find, lexical) vs plain BM25 (k1 1.2, b 0.75, Porter), same data');
  console.log(await irSection(ROOT));

  // Multi-turn conversation accuracy: the same report as `npm run eval:dialogues`, in its own process.
  console.log('\nConversations (paperbot chat --json), turn accuracy on the dialogue sets (all tuned on; the hold-out is only in eval:holdout)');
  const dialogues = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/eval-dialogues.ts')], { cwd: ROOT, stdio: 'inherit' });
  if (dialogues.status !== 0) process.exitCode = 1;

  if (process.argv.includes('--bench')) await bench(papers, queries);
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
