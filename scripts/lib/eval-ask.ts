/**
 * Scores /ask against test/eval/questions.json: an answerable question counts as correct
 * when one of its answer strings appears in the answer AND its paper is cited; an
 * unanswerable one when the bot declines.
 *
 * Run directly for a quick self-measurement with a plain MiniSearch retriever:
 *   npx tsx scripts/lib/eval-ask.ts [data/papers.txt]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import MiniSearch from 'minisearch';
import type { Paper } from '../../src/collection/types.js';

export interface AskQuestion {
  question: string;
  /** Any one of these must appear (case-insensitively) in the answer. */
  answer?: string[];
  /** Exact title of the paper that must be cited. */
  title?: string;
  /** Defaults to true. */
  answerable?: boolean;
  split?: 'tune' | 'holdout';
}

export interface AskLike {
  answered: boolean;
  answer: string;
  citations: { n: number; paper: { id: string; title: string } }[];
}

export interface AskOutcome {
  question: AskQuestion;
  result: AskLike;
  correct: boolean;
  /** For a wrong answerable question: what went wrong. */
  failure?: 'not answered' | 'fact missing' | 'wrong paper' | 'fact missing, wrong paper' | 'answered unanswerable' | 'unknown title';
}

export interface AskReport {
  /** Correct answerable questions / answerable questions. */
  accuracy: number;
  answerable: number;
  correctAnswers: number;
  unanswerable: number;
  correctRefusals: number;
  outcomes: AskOutcome[];
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ');
}

export async function evaluateAsk(
  ask: (q: string) => Promise<AskLike>,
  questions: readonly AskQuestion[],
  idOfTitle: (title: string) => string | undefined,
): Promise<AskReport> {
  const outcomes: AskOutcome[] = [];
  for (const question of questions) {
    const result = await ask(question.question);
    if (question.answerable === false) {
      const correct = !result.answered;
      outcomes.push({ question, result, correct, ...(correct ? {} : { failure: 'answered unanswerable' as const }) });
      continue;
    }
    const wantedId = question.title ? idOfTitle(question.title) : undefined;
    if (!wantedId) {
      outcomes.push({ question, result, correct: false, failure: 'unknown title' });
      continue;
    }
    if (!result.answered) {
      outcomes.push({ question, result, correct: false, failure: 'not answered' });
      continue;
    }
    const text = normalise(result.answer);
    const hasFact = (question.answer ?? []).some((a) => text.includes(normalise(a)));
    const cited = result.citations.some((c) => c.paper.id === wantedId);
    const correct = hasFact && cited;
    const failure = correct
      ? undefined
      : !hasFact && !cited
        ? ('fact missing, wrong paper' as const)
        : !hasFact
          ? ('fact missing' as const)
          : ('wrong paper' as const);
    outcomes.push({ question, result, correct, ...(failure ? { failure } : {}) });
  }
  const answerableOutcomes = outcomes.filter((o) => o.question.answerable !== false);
  const refusals = outcomes.filter((o) => o.question.answerable === false);
  const correctAnswers = answerableOutcomes.filter((o) => o.correct).length;
  return {
    accuracy: answerableOutcomes.length ? correctAnswers / answerableOutcomes.length : 0,
    answerable: answerableOutcomes.length,
    correctAnswers,
    unanswerable: refusals.length,
    correctRefusals: refusals.filter((o) => o.correct).length,
    outcomes,
  };
}

export function formatAskReport(report: AskReport, label = 'ask', verbose = false): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `${label}: accuracy ${pct(report.accuracy)} (${report.correctAnswers}/${report.answerable} answerable), ` +
      `correct refusals ${report.correctRefusals}/${report.unanswerable}`,
  ];
  for (const o of report.outcomes) {
    if (o.correct && !verbose) continue;
    lines.push(`  ${o.correct ? 'ok  ' : 'FAIL'} ${o.question.question}${o.failure ? `  [${o.failure}]` : ''}`);
    if (!o.correct || verbose) {
      lines.push(`       → ${o.result.answer.slice(0, 300)}`);
      for (const c of o.result.citations) lines.push(`         [${c.n}] ${c.paper.title}`);
    }
  }
  return lines.join('\n');
}

/** A plain retriever for measuring ask on its own: MiniSearch over title (boosted) + abstract. */
export function miniSearchRetriever(papers: readonly Paper[]): (q: string, k: number) => Promise<{ paper: Paper; score: number }[]> {
  const byId = new Map(papers.map((p) => [p.id, p]));
  const index = new MiniSearch<Paper>({ fields: ['title', 'abstract'], idField: 'id' });
  index.addAll([...papers]);
  return async (q, k) =>
    index
      .search(q, { boost: { title: 2 }, prefix: true, fuzzy: 0.1, combineWith: 'OR' })
      .slice(0, k)
      .map((r) => ({ paper: byId.get(r.id as string)!, score: r.score }));
}

async function main(): Promise<void> {
  const { loadCollection } = await import('../../src/collection/load.js');
  const { paperId } = await import('../../src/collection/ids.js');
  const { answerQuestion } = await import('../../src/engine/ask/answer.js');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.join(root, 'data/papers.txt');
  const { papers } = await loadCollection([file]);
  const questions = JSON.parse(await readFile(path.join(root, 'test/eval/questions.json'), 'utf8')) as AskQuestion[];
  const ids = new Set(papers.map((p) => p.id));
  const idOfTitle = (t: string) => (ids.has(paperId(t)) ? paperId(t) : undefined);
  const retrieve = miniSearchRetriever(papers);
  const ask = (q: string) => answerQuestion(q, retrieve, { papers });
  const verbose = process.argv.includes("--verbose");
  const onlyFresh = process.argv.includes("--fresh");
  for (const split of ['tune', 'holdout'] as const) {
    const started = performance.now();
    const report = await evaluateAsk(ask, questions.filter((q) => q.split === split && (!onlyFresh || (q as { fresh?: boolean }).fresh)), idOfTitle);
    const ms = (performance.now() - started) / Math.max(1, report.outcomes.length);
    console.log(formatAskReport(report, `${split} (${ms.toFixed(2)} ms/question)`, verbose));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
