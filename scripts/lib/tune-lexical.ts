/**
 * Lexical tuning aid: nDCG@10 of LexicalIndex on test/eval/queries.json (tune / holdout / all)
 * and on TUNING set B (test/eval/queries-tuning-b.json, per kind), for a parameter grid.
 * Never point it at a hold-out set: those are for `npm run eval:holdout` only.
 *
 *   npx tsx scripts/lib/tune-lexical.ts                         # current defaults + plain BM25
 *   npx tsx scripts/lib/tune-lexical.ts '{"synonymWeight":[0.2,0.4,0.6]}'   # grid (cartesian product)
 *   npx tsx scripts/lib/tune-lexical.ts --verbose               # per-query rows for the defaults
 *   npx tsx scripts/lib/tune-lexical.ts --set path.json         # another tuning file (same format)
 * Each row also gives lexical /ask accuracy on test/eval/questions.json (ask reads the top hits).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../../src/collection/load.js';
import { LexicalIndex, type LexicalParams } from '../../src/engine/lexical/index.js';
import { loadEvalQueries, PAPERS_FILE } from '../eval.js';
import { PlainBM25 } from './bm25.js';
import { ndcgAt, type Judgements } from './metrics.js';
import { PaperEngine } from '../../src/engine/engine.js';
import { evaluateAsk, type AskQuestion } from './eval-ask.js';

interface Labelled {
  query: string;
  group: string;
  relevant: Judgements;
}

const setArg = process.argv.indexOf('--set');
const BLIND = setArg > 0 ? process.argv[setArg + 1]! : fileURLToPath(new URL('../../test/eval/queries-tuning-b.json', import.meta.url));
if (/holdout/i.test(BLIND)) throw new Error('hold-out sets are for `npm run eval:holdout` only, never for tuning');

const { papers } = await loadCollection([PAPERS_FILE]);
const byTitle = new Map(papers.map((p) => [p.title, p.id]));
const dev: Labelled[] = (await loadEvalQueries(papers)).map((q) => ({ query: q.query, group: q.split, relevant: q.relevant }));
const blind: Labelled[] = existsSync(BLIND)
  ? (JSON.parse(readFileSync(BLIND, 'utf8')) as { query: string; kind?: string; relevant: Record<string, number> }[]).map((q) => ({
      query: q.query,
      group: q.kind ?? 'tuning-b',
      relevant: Object.fromEntries(
        Object.entries(q.relevant).map(([title, g]) => {
          const id = byTitle.get(title);
          if (!id) throw new Error(`${BLIND}: unknown title ${title}`);
          return [id, g];
        }),
      ),
    }))
  : [];

type Search = (q: string) => string[];

const questions = JSON.parse(readFileSync(new URL('../../test/eval/questions.json', import.meta.url), 'utf8')) as AskQuestion[];

/** /ask accuracy (answerable questions right, refusals right) with `index` as the retriever. */
async function askAccuracy(index: LexicalIndex): Promise<string> {
  const engine = new PaperEngine({ papers, lexical: index });
  const report = await evaluateAsk((q) => engine.ask(q), questions, (t) => byTitle.get(t));
  const wrong = report.outcomes.filter((o) => !o.correct).map((o) => o.question.question.slice(0, 50));
  return `ask ${report.correctAnswers}/${report.answerable} refusals ${report.correctRefusals}/${report.unanswerable}${wrong.length ? ` wrong: ${wrong.join(' | ')}` : ''}`;
}

function score(search: Search, set: Labelled[]): { all: number; groups: Map<string, number>; per: number[] } {
  const per = set.map((q) => ndcgAt(search(q.query), q.relevant));
  const groups = new Map<string, number[]>();
  set.forEach((q, i) => groups.set(q.group, [...(groups.get(q.group) ?? []), per[i]!]));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);
  return { all: mean(per), groups: new Map([...groups].map(([g, xs]) => [g, mean(xs)])), per };
}

function row(name: string, search: Search): { devScore: ReturnType<typeof score>; blindScore: ReturnType<typeof score> } {
  const devScore = score(search, dev);
  const blindScore = score(search, blind);
  const f = (x: number | undefined) => (x ?? 0).toFixed(3);
  const kinds = [...blindScore.groups].map(([g, x]) => `${g} ${f(x)}`).join('  ');
  console.log(
    `${name.padEnd(48)} dev tune ${f(devScore.groups.get('tune'))} hold ${f(devScore.groups.get('holdout'))} all ${f(devScore.all)} | tuning-b ${f(blindScore.all)} (${kinds})`,
  );
  return { devScore, blindScore };
}

const args = process.argv.slice(2).filter((a, i, all) => a !== '--set' && all[i - 1] !== '--set');
const verbose = args.includes('--verbose');
const gridArg = args.find((a) => a.startsWith('{'));

const bm25 = new PlainBM25(papers);
const base = row('plain BM25', (q) => bm25.search(q, 10));

if (!gridArg) {
  const index = LexicalIndex.build(papers);
  const ours = row('paperbot lexical (defaults)', (q) => index.search(q, { k: 10 }).map((h) => h.id));
  console.log(`  ${await askAccuracy(index)}`);
  if (verbose) {
    for (const [set, b, o] of [[dev, base.devScore, ours.devScore], [blind, base.blindScore, ours.blindScore]] as const) {
      set.forEach((q, i) => console.log(`${o.per[i]!.toFixed(2)} (bm25 ${b.per[i]!.toFixed(2)}) [${q.group}] ${q.query}`));
    }
  }
} else {
  const grid = JSON.parse(gridArg) as Record<string, number[]>;
  let combos: Partial<LexicalParams>[] = [{}];
  for (const [key, values] of Object.entries(grid)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  for (const params of combos) {
    const index = LexicalIndex.build(papers, params);
    row(JSON.stringify(params), (q) => index.search(q, { k: 10 }).map((h) => h.id));
    console.log(`  ${await askAccuracy(index)}`);
  }
}
