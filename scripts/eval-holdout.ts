// `npm run eval:holdout`: the HOLD-OUT sets (test/eval/holdout-*.json), for the closing notes only.
// Nothing else reads these files: no tuning script, no test. Run by the lead, never while tuning.
// Each file is recognised by its shape: retrieval queries, /ask questions or /similar clusters.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadCollection } from '../src/collection/load.js';
import { PaperEngine } from '../src/engine/engine.js';
import { lexicalReports, PAPERS_FILE } from './eval.js';
import { evaluateAsk, formatAskReport, type AskQuestion } from './lib/eval-ask.js';
import { evaluateDialogues, formatDialogueReport, type Dialogue } from './eval-dialogues.js';
import { idResolver, loadQuerySet, setKind } from './lib/eval-sets.js';
import { similarSection } from './lib/eval-similar.js';
import { formatReports } from './lib/metrics.js';

const EVAL_DIR = fileURLToPath(new URL('../test/eval/', import.meta.url));

async function main(): Promise<void> {
  const files = readdirSync(EVAL_DIR).filter((f) => /^holdout-.*\.json$/.test(f)).sort();
  if (files.length === 0) {
    console.log(`No hold-out sets in ${EVAL_DIR} (expected test/eval/holdout-*.json).`);
    return;
  }
  const { papers } = await loadCollection([PAPERS_FILE]);
  const engine = new PaperEngine({ papers });
  console.log(`${papers.length} papers · HOLD-OUT sets (never used for tuning)`);
  for (const name of files) {
    const file = `${EVAL_DIR}${name}`;
    const json = JSON.parse(await readFile(file, 'utf8')) as unknown;
    const kind = setKind(json);
    console.log(`\n${name} (${kind})`);
    if (kind === 'queries') {
      const queries = await loadQuerySet(papers, file, 'holdout');
      console.log(formatReports(await lexicalReports(papers, queries)).split('\n').filter((l, n) => n < 2 || / all /.test(l)).join('\n'));
    } else if (kind === 'questions') {
      const resolve = idResolver(papers, file);
      // Hold-out questions mark the ones the abstracts cannot answer with `unanswerable: true`.
      const questions = (json as (AskQuestion & { unanswerable?: boolean })[]).map((q) => (q.unanswerable ? { ...q, answerable: false } : q));
      const report = await evaluateAsk((q) => engine.ask(q), questions, (t) => {
        try {
          return resolve(t, 'a question');
        } catch {
          return undefined;
        }
      });
      console.log(formatAskReport(report, 'lexical /ask', false).split('\n')[0]);
    } else if (kind === 'clusters') {
      console.log(await similarSection(papers, file));
    } else if (kind === 'dialogues') {
      // Through the same path as `paperbot chat --json` (lexical engine over the seed collection).
      console.log(formatDialogueReport(await evaluateDialogues(engine, json as Dialogue[])));
    } else {
      console.log('  (unrecognised shape: skipped)');
    }
  }
}

await main();
