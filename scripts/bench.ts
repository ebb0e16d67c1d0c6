/**
 * npm run bench — prints numbers; nothing here is a pass/fail test.
 *   1. ingest time (212 papers; lexical-only and with the tiny test model)
 *   2. find / similar / ask p50 and p99 in-process over ≥ 200 queries (lexical and hybrid)
 *   3. cold start to first answer (a fresh `paperbot find` process)
 *   4. scaling: synthetic 1k / 10k / 50k papers with tiny-model vectors
 *   5. the bot: interaction → callback latency through the fake Discord
 * BENCH_SIZES=1000,10000 limits step 4.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../src/collection/load.js';
import { loadCoreConfig } from '../src/config.js';
import { TransformersEmbedder } from '../src/embedding/transformers.js';
import { ingest } from '../src/engine/ingest.js';
import { openEngine } from '../src/engine/open.js';
import type { Engine } from '../src/engine/types.js';
import { createLogger } from '../src/logger.js';
import { createTinyModel } from '../test/fixtures/tiny-model.js';
import { ms, summary } from './lib/stats.js';
import { writeSyntheticCollection } from './lib/synthetic.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAPERS = path.join(ROOT, 'data/papers.txt');
const work = mkdtempSync(path.join(os.tmpdir(), 'paperbot-bench-'));
const logger = createLogger({ level: 'silent' });
const line = (s = '') => console.log(s);

function duMb(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir]).toString().split('\t')[0]) / 1024;
}

const queriesFile = JSON.parse(readFileSync(path.join(ROOT, 'test/eval/queries.json'), 'utf8')) as { query: string }[] | { queries: { query: string }[] };
const evalQueries = (Array.isArray(queriesFile) ? queriesFile : queriesFile.queries).map((q) => q.query);
const questionsFile = JSON.parse(readFileSync(path.join(ROOT, 'test/eval/questions.json'), 'utf8')) as { question: string }[] | { questions: { question: string }[] };
const evalQuestions = (Array.isArray(questionsFile) ? questionsFile : questionsFile.questions).map((q) => q.question);

async function latencies(engine: Engine) {
  const papers = engine.papers;
  // ≥ 200 of each: the dev-set queries plus queries made from title words.
  const findQs = [...evalQueries];
  for (let i = 0; findQs.length < 240; i++) {
    const words = papers[i % papers.length]!.title.split(/\s+/).filter((w) => /\w/.test(w));
    const start = Math.min(i % 3, Math.max(0, words.length - 2));
    findQs.push(words.slice(start, start + 3).join(' '));
  }
  const askQs = [...evalQuestions];
  for (let i = 0; askQs.length < 220; i++) askQs.push(`What does ${papers[i % papers.length]!.title.split(':')[0]} propose?`);
  const time = async (inputs: string[], run: (s: string) => Promise<unknown>) => {
    for (const s of inputs.slice(0, 10)) await run(s); // warm-up
    const out: number[] = [];
    for (const s of inputs) {
      const t = performance.now();
      await run(s);
      out.push(performance.now() - t);
    }
    return summary(out);
  };
  return {
    find: await time(findQs, (q) => engine.find(q)),
    similar: await time(
      papers.slice(0, 212).map((p) => p.id).concat(papers.slice(0, 20).map((p) => p.id)),
      (id) => engine.similar(id),
    ),
    ask: await time(askQs, (q) => engine.ask(q)),
  };
}

line(`paperbot bench · node ${process.version} · ${os.cpus().length} cores · ${new Date().toISOString()}`);
line();

// 1. Ingest
const modelDir = await createTinyModel(path.join(work, 'tiny-model'));
const tiny = await TransformersEmbedder.create({ model: modelDir, cacheDir: path.join(work, 'models'), allowRemote: false });
const collection = await loadCollection([PAPERS]);
line('1. Ingest (212 papers)');
for (const [label, embedder] of [
  ['lexical only', null],
  [`tiny model (${tiny.dims} dims)`, tiny],
] as const) {
  const indexDir = path.join(work, `index-${embedder ? 'tiny' : 'lex'}`);
  const t = performance.now();
  const res = await ingest({ collection, indexDir, embedder, logger });
  line(`   ${label.padEnd(24)} ${ms(performance.now() - t).padStart(10)}  (${res.embedded} embedded)`);
  const again = performance.now();
  await ingest({ collection, indexDir, embedder, logger });
  line(`   ${(label + ', unchanged').padEnd(24)} ${ms(performance.now() - again).padStart(10)}  (no-op)`);
}
line();

// 2. In-process latency
line('2. In-process latency (p50 / p99 / n)');
for (const embedder of [null, tiny]) {
  const config = loadCoreConfig({ PAPERS_PATH: PAPERS, INDEX_DIR: path.join(work, `index-${embedder ? 'tiny' : 'lex'}`), LOG_LEVEL: 'silent' }, ROOT);
  const { engine } = await openEngine({ config, logger, embedder });
  const r = await latencies(engine);
  for (const [name, s] of Object.entries(r)) {
    line(`   ${engine.mode.padEnd(8)} ${name.padEnd(8)} p50 ${ms(s.p50).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  n=${s.n}`);
  }
}
line();

// 3. Cold start: a fresh process, index already built.
line('3. Cold start to first answer (fresh `paperbot find` process, index built)');
for (const model of ['none', 'Xenova/bge-small-en-v1.5 (offline: falls back)']) {
  const env = { ...process.env, INDEX_DIR: path.join(work, 'index-lex'), EMBEDDING_MODEL: model.split(' ')[0], MODEL_CACHE_DIR: path.join(work, 'models'), LOG_LEVEL: 'silent' };
  const t = performance.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/paperbot.js'), 'find', 'kv cache quantization', '--json'], { env, cwd: ROOT });
  const took = performance.now() - t;
  const ok = run.status === 0 && JSON.parse(run.stdout.toString()).results.length > 0;
  line(`   EMBEDDING_MODEL=${model.padEnd(44)} ${ms(took).padStart(10)} ${ok ? 'ok' : `FAILED: ${run.stderr}`}`);
}
line();

// 4. Scaling
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
line(`4. Scaling: synthetic papers, tiny-model vectors (${tiny.dims} dims); one process per step`);
line('   papers   ingest      index size   load       find p50 lex   find p50 hybrid   peak RSS');
for (const n of sizes) {
  const dir = path.join(work, `scale-${n}`);
  execFileSync('mkdir', ['-p', dir]);
  writeSyntheticCollection(path.join(dir, 'papers.jsonl'), n);
  const child = (mode: string) =>
    JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench-scale.ts'), mode, dir, String(n), modelDir], {
        cwd: ROOT,
        maxBuffer: 1 << 24,
      })
        .toString()
        .trim()
        .split('\n')
        .pop()!,
    );
  const built = child('build');
  const q = child('query');
  line(
    `   ${String(n).padEnd(8)} ${(built.ingestMs / 1000).toFixed(1).padStart(6)} s   ${duMb(path.join(dir, 'index')).toFixed(1).padStart(7)} MB   ${(q.loadMs / 1000).toFixed(2).padStart(6)} s   ${ms(q.lexical.p50).padStart(12)}   ${ms(q.hybrid.p50).padStart(15)}   ${q.maxRssMb.toFixed(0).padStart(5)} MB`,
  );
}
line();

// 5. The bot: interaction → callback latency through the fake Discord (lexical mode).
line('5. Bot latency, 200 interactions each through the fake Discord (scripts/bench-bot.ts)');
const bot = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/bench-bot.ts'), '200'], { cwd: ROOT });
for (const l of bot.stdout.toString().trim().split('\n')) line(`   ${l}`);
if (bot.status !== 0) line(`   FAILED: ${bot.stderr.toString().slice(0, 500)}`);
rmSync(work, { recursive: true, force: true });
