import { describe, expect, it } from 'vitest';
import { evaluateDialogues, scoreTurn, type Dialogue } from '../../scripts/eval-dialogues.js';
import { PaperEngine } from '../../src/engine/engine.js';
import { OTHER_FIELDS } from '../conversation/helpers.js';

const out = (o: object) => ({ reply: '', answered: true, kind: 'ask', citations: [], papers: [], ...o });
const paper = (title: string) => ({ id: title, title });

describe('scoreTurn', () => {
  it('show: at least minShown (default 1) of the titles among citations and papers', () => {
    const shown = out({ citations: [{ n: 1, ...paper('A') }], papers: [paper('B')] });
    expect(scoreTurn({ show: ['A', 'C'] }, shown)).toBe(true);
    expect(scoreTurn({ show: ['A', 'B', 'C'], minShown: 2 }, shown)).toBe(true);
    expect(scoreTurn({ show: ['A', 'C'], minShown: 2 }, shown)).toBe(false);
    expect(scoreTurn({ show: ['C'] }, shown)).toBe(false);
  });

  it('fact: one of the strings in the reply (any case), and the cited paper cited or shown', () => {
    const r = out({ reply: 'It reaches 12X faster encoding [1]', citations: [{ n: 1, ...paper('A') }] });
    expect(scoreTurn({ fact: ['12x'] }, r)).toBe(true);
    expect(scoreTurn({ fact: ['nope', '12X'], cite: 'A' }, r)).toBe(true);
    expect(scoreTurn({ fact: ['12X'], cite: 'B' }, r)).toBe(false);
    expect(scoreTurn({ fact: ['13X'] }, r)).toBe(false);
  });

  it('answered:false and any', () => {
    expect(scoreTurn({ answered: false }, out({ answered: false }))).toBe(true);
    expect(scoreTurn({ answered: false }, out({ answered: true }))).toBe(false);
    expect(scoreTurn({ any: true }, out({ kind: 'clarify' }))).toBe(true);
    expect(scoreTurn({ any: true }, out({ kind: 'error' }))).toBe(false);
    expect(scoreTurn({ any: true }, { error: 'bad line' })).toBe(false);
  });
});

describe('evaluateDialogues', () => {
  it('runs dialogues through chat --json and counts turns by kind, with the single-turn baseline', async () => {
    const engine = new PaperEngine({ papers: OTHER_FIELDS });
    const [gutseq] = OTHER_FIELDS;
    const dialogues: Dialogue[] = [
      {
        id: 'd1',
        turns: [
          { message: 'anything on gut bacteria strains?', expect: { show: [gutseq!.title] } },
          { message: 'does the second one have code?', expect: { fact: ['github.com/example/gutseq'] } },
          { message: 'who funded it?', expect: { answered: false } },
        ],
      },
    ];
    const report = await evaluateDialogues(engine, dialogues);
    expect(report.chat.get('all')).toEqual({ right: 3, total: 3 });
    expect(report.chat.get('follow-up')!.total).toBe(2);
    // Alone, "does the second one have code?" means nothing: the baseline cannot get it.
    expect(report.baseline.get('fact')).toEqual({ right: 0, total: 1 });
    expect(report.latencies).toHaveLength(3);
  });
});
