// `npx tsx scripts/eval-dialogues.ts [--file <dialogues.json> …] [--papers <collection>] [--verbose]`
// (default: the dev set, the second dev set and our own sets — see DEFAULT_SETS)
//
// Turn accuracy of the conversation layer on multi-turn dialogues, through the same code
// path as `paperbot chat --json` (runChat over a stream, one JSON line in, one out), with
// the lexical engine over data/papers.txt (EMBEDDING_MODEL=none) and a temp index dir.
// For comparison, the single-turn baseline: each turn's message sent to `ask` on its own.
//
// Dialogue file: [{"id", "turns": [{"message", "expect": E}]}], where E is one of
//   {"show": [titles], "minShown"?: n}  at least n (default 1) of the titles among citations ∪ papers
//   {"fact": [strings], "cite"?: title} the reply contains one string (case-insensitive); the title cited or shown
//   {"answered": false}                 the turn is marked answered: false
//   {"any": true}                       any reply that is not an error
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChat } from '../src/cli/chat.js';
import { loadCoreConfig } from '../src/config.js';
import { openEngine } from '../src/engine/open.js';
import type { Engine } from '../src/engine/types.js';
import { createLogger } from '../src/logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type Expectation =
  | { show: string[]; minShown?: number }
  | { fact: string[]; cite?: string }
  | { answered: false }
  | { any: true };

export interface Dialogue {
  id: string;
  turns: { message: string; expect: Expectation }[];
}

/** What a turn produced, in the `chat --json` shape (or an error line). */
export interface TurnOutput {
  reply?: string;
  answered?: boolean;
  kind?: string;
  error?: string;
  citations?: { n: number; id: string; title: string }[];
  papers?: { id: string; title: string }[];
}

export function expectationKind(e: Expectation): 'show' | 'fact' | 'answered:false' | 'any' {
  if ('show' in e) return 'show';
  if ('fact' in e) return 'fact';
  if ('answered' in e) return 'answered:false';
  return 'any';
}

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

/** Whether a turn's output meets its expectation (the scoring rules in the header). */
export function scoreTurn(e: Expectation, out: TurnOutput): boolean {
  if (out.error !== undefined) return false;
  const shown = new Set([...(out.citations ?? []), ...(out.papers ?? [])].map((p) => norm(p.title)));
  if ('show' in e) {
    const need = e.minShown ?? 1;
    return e.show.filter((t) => shown.has(norm(t))).length >= Math.min(need, e.show.length);
  }
  if ('fact' in e) {
    const reply = norm(out.reply ?? '');
    if (!e.fact.some((f) => reply.includes(norm(f)))) return false;
    return e.cite === undefined || shown.has(norm(e.cite));
  }
  if ('answered' in e) return out.answered === false;
  return out.kind !== 'error';
}

/** A running `chat --json`: send one line, read its answer before sending the next. */
export async function startChat(engine: Engine): Promise<{ send: (conversation: string, message: string) => Promise<TurnOutput>; close: () => Promise<void> }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines = createInterface({ input: stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const done = runChat(engine, { stdin, stdout }, { json: true });
  return {
    send: async (conversation, message) => {
      stdin.write(JSON.stringify({ conversation, message }) + '\n');
      const next = await lines.next();
      if (next.done) throw new Error('chat ended early');
      return JSON.parse(next.value) as TurnOutput;
    },
    close: async () => {
      stdin.end();
      await done;
    },
  };
}

interface Tally {
  right: number;
  total: number;
}

function add(map: Map<string, Tally>, key: string, ok: boolean): void {
  const t = map.get(key) ?? { right: 0, total: 0 };
  t.total++;
  if (ok) t.right++;
  map.set(key, t);
}

const pct = (t: Tally) => `${((100 * t.right) / Math.max(1, t.total)).toFixed(1)}% (${t.right}/${t.total})`;

export interface DialogueReport {
  chat: Map<string, Tally>;
  baseline: Map<string, Tally>;
  failures: string[];
  latencies: number[];
}

export async function evaluateDialogues(engine: Engine, dialogues: readonly Dialogue[]): Promise<DialogueReport> {
  const chat = new Map<string, Tally>();
  const baseline = new Map<string, Tally>();
  const failures: string[] = [];
  const latencies: number[] = [];
  const session = await startChat(engine);
  try {
    for (const d of dialogues) {
      for (const [i, turn] of d.turns.entries()) {
        const kind = expectationKind(turn.expect);
        const position = i === 0 ? 'first turn' : 'follow-up';
        const started = performance.now();
        const out = await session.send(`eval-${d.id}`, turn.message);
        latencies.push(performance.now() - started);
        const ok = scoreTurn(turn.expect, out);
        for (const key of ['all', kind, position]) add(chat, key, ok);

        let single: TurnOutput;
        try {
          const r = await engine.ask(turn.message);
          single = { reply: r.answer, answered: r.answered, kind: 'ask', citations: r.citations.map((c) => ({ n: c.n, id: c.paper.id, title: c.paper.title })), papers: [] };
        } catch (err) {
          single = { error: (err as Error).message };
        }
        const singleOk = scoreTurn(turn.expect, single);
        for (const key of ['all', kind, position]) add(baseline, key, singleOk);

        if (!ok) {
          const shown = [...(out.citations ?? []), ...(out.papers ?? [])].map((p) => p.title.slice(0, 70));
          failures.push(
            [
              `✗ ${d.id} #${i + 1} [${kind}] ${JSON.stringify(turn.message).slice(0, 200)}`,
              `    expect: ${JSON.stringify(turn.expect).slice(0, 400)}`,
              `    got: kind=${out.kind} answered=${out.answered}${out.error ? ` error=${out.error}` : ''}`,
              `    reply: ${(out.reply ?? '').replace(/\s+/g, ' ').slice(0, 400)}`,
              `    shown: ${[...new Set(shown)].join(' | ').slice(0, 500)}`,
            ].join('\n'),
          );
        }
      }
    }
  } finally {
    await session.close();
  }
  return { chat, baseline, failures, latencies };
}

export function formatDialogueReport(report: DialogueReport): string {
  const keys = ['all', 'first turn', 'follow-up', 'show', 'fact', 'answered:false', 'any'].filter((k) => report.chat.has(k));
  const lines = ['turn accuracy            chat (conversation)        single-turn ask baseline'];
  for (const k of keys) lines.push(`  ${k.padEnd(22)} ${pct(report.chat.get(k)!).padEnd(26)} ${pct(report.baseline.get(k)!)}`);
  const sorted = [...report.latencies].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  lines.push(`per-turn time through chat --json (this machine, now): p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms`);
  return lines.join('\n');
}

/**
 * The tuning sets, reported together by default: the dev set, a second evaluator's set and our own over
 * data/papers.txt, and our own over two collections from other fields (skipped when ../shared is absent).
 */
const DEFAULT_SETS: { file: string; papers?: string }[] = [
  { file: 'test/eval/dialogues.json' },
  { file: 'test/eval/dialogues-2.json' },
  { file: 'test/eval/dialogues-own.json' },
  { file: 'test/eval/dialogues-own-2.json' },
  { file: 'test/eval/dialogues-own-3.json' },
  { file: 'test/eval/dialogues-med.json', papers: 'shared/data/ir/med/corpus.jsonl' },
  { file: 'test/eval/dialogues-cisi.json', papers: 'shared/data/ir/cisi/corpus.jsonl' },
];

/** A path relative to the repository, else to the first folder above it that has it (../shared, ../../shared). */
function located(relative: string): string {
  let dir = ROOT;
  for (let up = 0; up < 4; up++) {
    const candidate = path.resolve(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = path.resolve(dir, '..');
  }
  return path.resolve(ROOT, relative);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { file: { type: 'string', multiple: true }, papers: { type: 'string' }, verbose: { type: 'boolean' } } });
  const sets = values.file?.length ? values.file.map((file) => ({ file, papers: values.papers })) : DEFAULT_SETS;
  for (const { file } of sets) {
    if (/holdout/i.test(path.basename(file)) && !process.env.EVAL_HOLDOUT_ALLOWED) {
      throw new Error('refusing to read a holdout file (set EVAL_HOLDOUT_ALLOWED=1 for the final report only)');
    }
  }
  const engines = new Map<string, Engine>();
  const indexDirs: string[] = [];
  try {
    for (const set of sets) {
      const file = path.resolve(ROOT, set.file);
      const papersPath = located(set.papers ?? 'data/papers.txt');
      if (!existsSync(file) || !existsSync(papersPath)) {
        console.log(`${set.file}: ${existsSync(file) ? papersPath : file} not found, skipped\n`);
        continue;
      }
      let engine = engines.get(papersPath);
      if (!engine) {
        const indexDir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-dialogues-'));
        indexDirs.push(indexDir);
        const config = loadCoreConfig({ PAPERS_PATH: papersPath, INDEX_DIR: indexDir, EMBEDDING_MODEL: 'none', LOG_LEVEL: 'silent' }, ROOT);
        engine = (await openEngine({ config, logger: createLogger({ level: 'silent' }), embedder: null })).engine;
        engines.set(papersPath, engine);
      }
      const titles = new Set(engine.papers.map((p) => norm(p.title)));
      const dialogues = JSON.parse(await readFile(file, 'utf8')) as Dialogue[];
      for (const d of dialogues) {
        for (const t of d.turns) {
          const e = t.expect;
          const named = 'show' in e ? e.show : 'fact' in e && e.cite ? [e.cite] : [];
          for (const title of named) if (!titles.has(norm(title))) console.warn(`warning: ${d.id}: unknown title "${title}"`);
        }
      }
      const report = await evaluateDialogues(engine, dialogues);
      const over = set.papers ? ` over ${path.relative(ROOT, papersPath)}` : '';
      console.log(`${path.relative(ROOT, file)}${over}: ${dialogues.length} dialogues, ${report.chat.get('all')?.total ?? 0} turns (lexical)`);
      console.log(formatDialogueReport(report));
      if (values.verbose && report.failures.length) console.log(`\nFailing turns:\n${report.failures.join('\n')}`);
      console.log('');
    }
  } finally {
    for (const dir of indexDirs) await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
