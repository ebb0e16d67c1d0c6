/**
 * Measures /ask with the real engine (lexical mode) on the dev questions and TUNING set B
 * (test/eval/questions-tuning-b.json):  npx tsx scripts/lib/tune-ask.ts [--verbose] [--set path]
 * Never point it at a hold-out set: those are for `npm run eval:holdout` only.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../../src/collection/load.js';
import { paperId } from '../../src/collection/ids.js';
import { PaperEngine } from '../../src/engine/engine.js';
import { evaluateAsk, formatAskReport, type AskQuestion } from './eval-ask.js';

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  const setArg = process.argv.indexOf('--set');
  const blindPath = setArg > 0 ? process.argv[setArg + 1]! : fileURLToPath(new URL('../../test/eval/questions-tuning-b.json', import.meta.url));
  if (/holdout/i.test(blindPath)) throw new Error('hold-out sets are for `npm run eval:holdout` only, never for tuning');
  const { papers } = await loadCollection([fileURLToPath(new URL('../../data/papers.txt', import.meta.url))]);
  const engine = new PaperEngine({ papers });
  const ids = new Set(papers.map((p) => p.id));
  const idOfTitle = (t: string) => (ids.has(paperId(t)) ? paperId(t) : undefined);
  const sets: [string, AskQuestion[]][] = [['dev', JSON.parse(await readFile(new URL('../../test/eval/questions.json', import.meta.url), 'utf8'))]];
  if (existsSync(blindPath)) sets.push(['tuning-b', JSON.parse(await readFile(blindPath, 'utf8'))]);
  const times: number[] = [];
  const ask = async (q: string) => {
    const t = performance.now();
    const r = await engine.ask(q);
    times.push(performance.now() - t);
    return r;
  };
  await ask('warm up the caches');
  times.length = 0;
  for (const [label, questions] of sets) {
    const report = await evaluateAsk(ask, questions, idOfTitle);
    console.log(formatAskReport(report, label, verbose));
    const styles = new Map<string, [number, number]>();
    for (const o of report.outcomes) {
      const style = (o.question as { style?: string }).style;
      if (!style || o.question.answerable === false) continue;
      const s = styles.get(style) ?? [0, 0];
      s[0] += o.correct ? 1 : 0;
      s[1] += 1;
      styles.set(style, s);
    }
    if (styles.size) console.log('  per style: ' + [...styles].map(([k, [c, n]]) => `${k} ${c}/${n}`).join(', '));
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`ask timing over ${times.length} questions: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
