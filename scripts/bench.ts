/**
 * npm run bench — prints numbers; nothing here is a pass/fail test. The machine may be shared and
 * noisy, so every latency is printed next to a reference measured in the same process (the ratio is
 * what to compare between runs):
 *   1. ingest time (212 papers; lexical-only and with the tiny test model)
 *   2. find / similar / ask p50 and p99 in-process (≥ 200 queries), find and the ranker alone next to a
 *      plain BM25 over a typed-array inverted index (scripts/lib/plain-index.ts) on the same queries
 *   3. cold start to first answer: a fresh `paperbot find` process, next to `node -e 'require("minisearch")'`
 *   4. scaling: synthetic 1k / 10k / 50k papers with 384-dim vectors: load + first query, find p50/p99
 *      next to the plain index, the CLI in batch mode, peak RSS, and where start-up time goes
 *   5. vectors: the dense query next to one read of the matrix, and Vectra in its own formats
 *   6. the bot: interaction → callback latency through the fake Discord
 * BENCH_SIZES=1000,10000 limits steps 4–5; BENCH_STEPS=2,4 runs only those steps.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../src/collection/load.js';
import { loadCoreConfig } from '../src/config.js';
import { TransformersEmbedder } from '../src/embedding/transformers.js';
import { ingest } from '../src/engine/ingest.js';
import { LexicalIndex } from '../src/engine/lexical/index.js';
import { openEngine } from '../src/engine/open.js';
import type { Engine } from '../src/engine/types.js';
import { createLogger } from '../src/logger.js';
import { createTinyModel } from '../test/fixtures/tiny-model.js';
import { PlainInvertedIndex } from './lib/plain-index.js';
import { ms, summary } from './lib/stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAPERS = path.join(ROOT, 'data/papers.txt');
const work = mkdtempSync(path.join(os.tmpdir(), 'paperbot-bench-'));
const logger = createLogger({ level: 'silent' });
const line = (s = '') => console.log(s);
const steps = new Set((process.env.BENCH_STEPS ?? '1,2,3,4,5,6').split(',').map(Number));
const ratio = (a: number, b: number) => `×${(a / b).toFixed(1)}`;
type Summary = ReturnType<typeof summary>;
const pair = (s: Summary) => `${ms(s.p50).padStart(9)} / ${ms(s.p99).padStart(9)}`;

function duMb(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir]).toString().split('\t')[0]) / 1024;
}

const queriesFile = JSON.parse(readFileSync(path.join(ROOT, 'test/eval/queries.json'), 'utf8')) as { query: string }[] | { queries: { query: string }[] };
const evalQueries = (Array.isArray(queriesFile) ? queriesFile : queriesFile.queries).map((q) => q.query);
const questionsFile = JSON.parse(readFileSync(path.join(ROOT, 'test/eval/questions.json'), 'utf8')) as { question: string }[] | { questions: { question: string }[] };
const evalQuestions = (Array.isArray(questionsFile) ? questionsFile : questionsFile.questions).map((q) => q.question);

/** ≥ 200 queries: the dev-set queries plus queries made from title words. */
function findQueries(engine: Engine): string[] {
  const papers = engine.papers;
  const out = [...evalQueries];
  for (let i = 0; out.length < 240; i++) {
    const words = papers[i % papers.length]!.title.split(/\s+/).filter((w) => /\w/.test(w));
    const start = Math.min(i % 3, Math.max(0, words.length - 2));
    out.push(words.slice(start, start + 3).join(' '));
  }
  return out;
}

async function time(inputs: string[], run: (s: string) => unknown): Promise<Summary> {
  for (const s of inputs.slice(0, 20)) await run(s); // warm-up
  const out: number[] = [];
  for (const s of inputs) {
    const t = performance.now();
    await run(s);
    out.push(performance.now() - t);
  }
  return summary(out);
}

line(`paperbot bench · node ${process.version} · ${os.cpus().length} cores · load ${os.loadavg()[0]!.toFixed(1)} · ${new Date().toISOString()}`);
line();

const modelDir = await createTinyModel(path.join(work, 'tiny-model'));
const tiny = await TransformersEmbedder.create({ model: modelDir, cacheDir: path.join(work, 'models'), allowRemote: false });
const collection = await loadCollection([PAPERS]);
const indexDirOf = (embedder: unknown) => path.join(work, `index-${embedder ? 'tiny' : 'lex'}`);

// 1. Ingest
if (steps.has(1) || steps.has(2) || steps.has(3)) {
  line(`1. Ingest (${collection.papers.length} papers)`);
  for (const [label, embedder] of [
    ['lexical only', null],
    [`tiny model (${tiny.dims} dims)`, tiny],
  ] as const) {
    const t = performance.now();
    const res = await ingest({ collection, indexDir: indexDirOf(embedder), embedder, logger });
    line(`   ${label.padEnd(24)} ${ms(performance.now() - t).padStart(10)}  (${res.embedded} embedded)`);
    const again = performance.now();
    await ingest({ collection, indexDir: indexDirOf(embedder), embedder, logger });
    line(`   ${(label + ', unchanged').padEnd(24)} ${ms(performance.now() - again).padStart(10)}  (no-op)`);
  }
  line();
}

// 2. In-process latency
if (steps.has(2)) {
  line(`2. In-process latency, ${collection.papers.length} papers (p50 / p99; ratio = p50 / plain index p50, same queries, same process)`);
  for (const embedder of [null, tiny]) {
    const config = loadCoreConfig({ PAPERS_PATH: PAPERS, INDEX_DIR: indexDirOf(embedder), LOG_LEVEL: 'silent' }, ROOT);
    const { engine } = await openEngine({ config, logger, embedder });
    const qs = findQueries(engine);
    const plain = new PlainInvertedIndex(engine.papers);
    const floor = await time(qs, (q) => plain.search(q));
    const find = await time(qs, (q) => engine.find(q));
    const label = (name: string) => `   ${engine.mode.padEnd(8)} ${name.padEnd(14)}`;
    if (!embedder) {
      const ranker = LexicalIndex.build(engine.papers, {}, config.vocabulary);
      const alone = await time(qs, (q) => ranker.search(q, { k: 100 }));
      line(`${label('plain index')} ${pair(floor)}`);
      line(`${label('ranker alone')} ${pair(alone)}   ${ratio(alone.p50, floor.p50)}`);
    }
    line(`${label('find')} ${pair(find)}   ${ratio(find.p50, floor.p50)}   n=${find.n}`);
    if (!embedder) {
      // Steady state, as in a bot that has been running a while: the same queries again. Only the JIT and
      // the per-word stem and per-abstract analysis caches carry over; no query or result is cached.
      const floor2 = await time(qs, (q) => plain.search(q));
      const find2 = await time(qs, (q) => engine.find(q));
      line(`${label('find, 2nd pass')} ${pair(find2)}   ${ratio(find2.p50, floor2.p50)}   (plain index ${pair(floor2)})`);
    }
    const similar = await time(
      engine.papers.slice(0, 212).map((p) => p.id).concat(engine.papers.slice(0, 20).map((p) => p.id)),
      (id) => engine.similar(id),
    );
    line(`${label('similar')} ${pair(similar)}   n=${similar.n}`);
    const askQs = [...evalQuestions];
    for (let i = 0; askQs.length < 220; i++) askQs.push(`What does ${engine.papers[i % engine.papers.length]!.title.split(':')[0]} propose?`);
    const ask = await time(askQs, (q) => engine.ask(q));
    line(`${label('ask')} ${pair(ask)}   n=${ask.n}`);
  }
  line();
}

/** Median wall time of `runs` fresh processes. */
function wall(args: string[], env: NodeJS.ProcessEnv, input?: string, runs = 5): { ms: number; ok: boolean; err: string } {
  const times: number[] = [];
  let ok = true;
  let err = '';
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const run = spawnSync(process.execPath, args, { env, cwd: ROOT, input });
    times.push(performance.now() - t);
    if (run.status !== 0) {
      ok = false;
      err = run.stderr.toString().slice(0, 300);
    }
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!, ok, err };
}

// 3. Cold start: a fresh process, index already built.
if (steps.has(3)) {
  line('3. Cold start to first answer (fresh process, index built, median of 5; `find "kv cache quantization" --json`)');
  const floor = wall(['-e', 'require("minisearch")'], process.env);
  line(`   ${'node -e \'require("minisearch")\''.padEnd(58)} ${ms(floor.ms).padStart(10)}`);
  const bin = path.join(ROOT, 'bin/paperbot.js');
  for (const model of ['none', 'Xenova/bge-small-en-v1.5']) {
    const env = { ...process.env, INDEX_DIR: indexDirOf(null), EMBEDDING_MODEL: model, MODEL_CACHE_DIR: path.join(work, 'models'), LOG_LEVEL: 'silent' };
    const run = wall([bin, 'find', 'kv cache quantization', '--json'], env);
    const note = model === 'none' ? '' : ' (offline: not cached → lexical)';
    line(`   ${`node bin/paperbot.js, EMBEDDING_MODEL=${model}${note}`.padEnd(58)} ${ms(run.ms).padStart(10)}   ${ratio(run.ms, floor.ms)} ${run.ok ? '' : `FAILED: ${run.err}`}`);
  }
  line();
}

// 4–5. Scaling
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
interface LexicalRow {
  loadMs: number;
  firstMs: number;
  timings?: Record<string, number>;
  find: Summary;
  plain: Summary;
  maxRssMb: number;
}
interface HybridRow extends LexicalRow {
  vectorQuery: Summary;
  matrixRead: Summary;
}
const child = <T>(script: string, args: string[]): T =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', script), ...args], { cwd: ROOT, maxBuffer: 1 << 24 })
      .toString()
      .trim()
      .split('\n')
      .pop()!,
  ) as T;
const scaled: { n: number; dir: string; hybrid: HybridRow }[] = [];
if (steps.has(4) || steps.has(5)) {
  line('4. Scaling: synthetic papers with 384-dim vectors (deterministic stand-ins), one process per cell');
  line('   load+1st = open the engine from a built index and answer one find; find and plain = p50 / p99 over 220 queries');
  line('   papers   ingest   index     load+1st lex  load+1st hyb   find lexical          plain index           ratio   find hybrid           CLI batch  peak RSS');
  for (const n of sizes) {
    const dir = path.join(work, `scale-${n}`);
    mkdirSync(dir, { recursive: true });
    const built = child<{ ingestMs: number }>('bench-scale.ts', ['build', dir, String(n)]);
    const lex = child<LexicalRow>('bench-scale.ts', ['lexical', dir, String(n)]);
    const hyb = child<HybridRow>('bench-scale.ts', ['hybrid', dir, String(n)]);
    const cli = wall([path.join(ROOT, 'bin/paperbot.js'), 'find', '--json'], { ...process.env, PAPERS_PATH: path.join(dir, 'papers.jsonl'), INDEX_DIR: path.join(dir, 'index'), EMBEDDING_MODEL: 'none', LOG_LEVEL: 'silent' }, 'kv cache quantization\n', 3);
    scaled.push({ n, dir, hybrid: hyb });
    line(
      `   ${String(n).padEnd(8)} ${(built.ingestMs / 1000).toFixed(1).padStart(5)} s ${duMb(path.join(dir, 'index')).toFixed(0).padStart(5)} MB   ${ms(lex.firstMs).padStart(10)}  ${ms(hyb.firstMs).padStart(12)}   ${pair(lex.find)}   ${pair(lex.plain)}   ${ratio(lex.find.p50, lex.plain.p50).padStart(5)}   ${pair(hyb.find)}   ${ms(cli.ms).padStart(9)}${cli.ok ? '' : '!'}  ${hyb.maxRssMb.toFixed(0).padStart(5)} MB`,
    );
    if (lex.timings) line(`            start-up (lexical): ${Object.entries(lex.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · ')} ms`);
    if (hyb.timings) line(`            start-up (hybrid):  ${Object.entries(hyb.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · ')} ms`);
  }
  line();
}

if (steps.has(5)) {
  line('5. Vectors, 384 dims: top-100 query over all rows next to one plain read of a matrix that size (same process)');
  for (const { n, hybrid } of scaled) {
    line(`   ${String(n).padEnd(8)} query ${pair(hybrid.vectorQuery)}   one read of the matrix ${ms(hybrid.matrixRead.p50).padStart(9)}   ${ratio(hybrid.vectorQuery.p50, hybrid.matrixRead.p50)}`);
  }
  const largest = scaled.at(-1);
  if (largest) {
    line(`   Vectra 0.15 in its own formats at ${largest.n} × 384 (LocalIndex + codec, one process each):`);
    for (const format of ['protobuf', 'json']) {
      const r = child<{ importMs: number; writeMs?: number; fileMb?: number; loadMs?: number; query?: Summary; maxRssMb: number; error?: string }>('bench-vectra.ts', [format, largest.dir, String(largest.n)]);
      line(
        r.error
          ? `   ${format.padEnd(9)} failed: ${r.error}`
          : `   ${format.padEnd(9)} import ${ms(r.importMs)} · write ${(r.writeMs! / 1000).toFixed(1)} s · ${r.fileMb!.toFixed(0)} MB · load ${ms(r.loadMs!)} · queryItems ${pair(r.query!)} (${ratio(r.query!.p50, largest.hybrid.vectorQuery.p50)} ours) · peak RSS ${r.maxRssMb.toFixed(0)} MB`,
      );
    }
  }
  line();
}

// 6. The bot: interaction → callback latency through the fake Discord (lexical mode).
if (steps.has(6)) {
  line('6. Bot latency, 200 interactions each through the fake Discord (scripts/bench-bot.ts)');
  const bot = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench-bot.ts'), '200'], { cwd: ROOT });
  for (const l of bot.stdout.toString().trim().split('\n')) line(`   ${l}`);
  if (bot.status !== 0) line(`   FAILED: ${bot.stderr.toString().slice(0, 500)}`);
}
rmSync(work, { recursive: true, force: true });
