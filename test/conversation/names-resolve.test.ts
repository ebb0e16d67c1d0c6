import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/collection/types.js';
import { NameIndex, nameShaped, ownNames } from '../../src/conversation/names.js';
import { readReference } from '../../src/conversation/references.js';
import { resolveTargets, type ResolveInput } from '../../src/conversation/resolve.js';
import { makePaper, OTHER_FIELDS } from './helpers.js';

const [gutseq, strains, coral, wage, rents, foldnet] = OTHER_FIELDS as [Paper, Paper, Paper, Paper, Paper, Paper];

describe('NameIndex', () => {
  const index = NameIndex.for(OTHER_FIELDS);
  const titles = (text: string) => index.match(text).map((m) => m.paper.title);

  it('finds a paper by the name in its title, in any case when the name is long enough', () => {
    expect(titles('how does GutSeq resolve strains?')).toEqual([gutseq.title]);
    expect(titles('tell me about gutseq')).toEqual([gutseq.title]);
    expect(titles('compare FoldNet and GutSeq')).toEqual([foldnet.title, gutseq.title]);
  });

  it('finds a paper by its whole title or a distinctive run of its words', () => {
    expect(titles(`what is "${coral.title}" about?`)).toEqual([coral.title]);
    const weak = index.match('the one on teen employment evidence');
    expect(weak.map((m) => m.paper.title)).toEqual([wage.title]);
    expect(weak[0]!.strength).toBe('weak');
  });

  it('does not take ordinary topic words for strong names', () => {
    expect(index.match('papers on the gut microbiome').filter((m) => m.strength === 'strong')).toEqual([]);
    expect(index.match('remote work').filter((m) => m.strength === 'strong')).toEqual([]);
    expect(titles('infant health')).toEqual([]); // "infant" is in two papers
    // A title word no other paper uses names its paper, weakly.
    expect(index.match('the microbiome one').map((m) => [m.paper.title, m.strength])).toEqual([[gutseq.title, 'weak']]);
  });

  it('knows a paper by a pasted id', () => {
    expect(titles(`what about ${rents.id}?`)).toEqual([rents.title]);
  });

  it('learns acronyms a paper defines for itself and short names only as written', () => {
    const papers = [
      makePaper('Deep Ocean Current Estimation from Float Trajectories', 'We propose Deep Ocean Current Estimation (DOCE), which learns currents from float trajectories.'),
      makePaper('MAP: Mangrove Area Prediction', 'MAP predicts mangrove loss from satellite images.'),
      makePaper('Rainfall Records', 'A map of rainfall records across the region. The MAP of a region matters.'),
    ];
    expect(ownNames(papers[0]!)).toContain('DOCE');
    const idx = NameIndex.for(papers);
    expect(idx.match('how accurate is DOCE?').map((m) => m.paper.id)).toEqual([papers[0]!.id]);
    expect(idx.match('show me a map of rainfall').map((m) => m.paper.id)).not.toContain(papers[1]!.id);
    expect(idx.shortName(papers[1]!)).toBe('MAP');
    expect(idx.shortName(papers[0]!)).toBe('DOCE');
  });

  it('learns names given with "called", spelled from parts of words, introduced in LaTeX, or of the linked repository', () => {
    const called = makePaper('Tide Forecasting at Small Harbours', 'We build a light model, called TideCast, that forecasts tides from two gauges.');
    const parts = makePaper('Mapping Reefs from Drone Images', 'We present Deep Coral Mapping (DeepCoMap), which segments reef images.');
    const latex = makePaper('Irrigation Scheduling for Smallholders', 'We address water waste by introducing \\textbf{Soil Moisture Index} (SMI), a sensor-free estimate.');
    const repo = makePaper('Counting Seabirds in Aerial Surveys', 'A detector counts birds in colonies. Code: https://github.com/example/birdcount', {
      codeLinks: [{ url: 'https://github.com/example/birdcount', kind: 'github' }],
    });
    expect(ownNames(called)).toContain('TideCast');
    expect(ownNames(parts)).toContain('DeepCoMap');
    expect(ownNames(latex)).toContain('SMI');
    const idx = NameIndex.for([called, parts, latex, repo, ...OTHER_FIELDS]);
    expect(idx.match('how accurate is tidecast?').map((m) => m.paper.id)).toEqual([called.id]);
    expect(idx.match('what does DeepCoMap segment?').map((m) => m.paper.id)).toEqual([parts.id]);
    expect(idx.match('is SMI sensor-free?').map((m) => m.paper.id)).toEqual([latex.id]);
    expect(idx.match('how many birds does birdcount find').map((m) => m.paper.id)).toEqual([repo.id]);
  });

  it('tells name-shaped words', () => {
    for (const w of ['GutSeq', 'BLT', 'GPT4', 'HNeRV']) expect(nameShaped(w)).toBe(true);
    for (const w of ['Coral', 'reef', '2023', 'A']) expect(nameShaped(w)).toBe(false);
  });
});

describe('resolveTargets', () => {
  const base = (text: string, extra: Partial<ResolveInput> = {}): ResolveInput => ({
    reference: readReference(text).reference,
    named: [],
    intent: 'ask',
    focus: [],
    shown: [],
    lastWasList: false,
    hasTopic: false,
    contentWords: 1,
    ...extra,
  });

  it('points "it" at the paper in focus and "the second one" into the last list', () => {
    expect(resolveTargets(base('does it scale?', { focus: [coral, wage] })).targets).toEqual([coral]);
    expect(resolveTargets(base('tell me about the second one', { focus: [coral], shown: [wage, rents, coral] })).targets).toEqual([rents]);
    expect(resolveTargets(base('compare the first two', { intent: 'compare', shown: [wage, rents, coral] })).targets).toEqual([wage, rents]);
  });

  it('points "they" at the last list right after a list, else at the focus', () => {
    expect(resolveTargets(base('do they use surveys?', { focus: [coral, wage], shown: [rents, wage], lastWasList: true })).targets).toEqual([rents, wage]);
    // After a reply about one paper, a bare "they" means its authors: that paper.
    expect(resolveTargets(base('do they use surveys?', { focus: [coral, wage], shown: [rents, wage] })).targets).toEqual([coral]);
    expect(resolveTargets(base('do these use surveys?', { focus: [coral, wage], shown: [rents, wage] })).targets).toEqual([coral, wage]);
  });

  it('lets a named paper move the focus, and joins it to "it" for comparisons', () => {
    const named = [{ paper: foldnet, strength: 'strong' as const, span: 'FoldNet' }];
    expect(resolveTargets(base('how fast is FoldNet?', { named, focus: [coral] })).targets).toEqual([foldnet]);
    expect(resolveTargets(base('how does it compare to FoldNet?', { named, intent: 'compare', focus: [gutseq] })).targets).toEqual([gutseq, foldnet]);
  });

  it('reads a bare pronoun with nothing to point at as part of the question, not a reference', () => {
    const text = 'models that fail when they see sequences longer than in training';
    expect(resolveTargets(base(text, { intent: 'find', contentWords: 5 }))).toEqual({ targets: [], source: 'none' });
    expect(resolveTargets(base('how does it work?', { contentWords: 0 })).problem).toBe('no-context');
    expect(resolveTargets(base('what did this paper find about sequences?', { contentWords: 2 })).problem).toBe('no-context');
  });

  it('reports nothing to point at, and positions past the list', () => {
    expect(resolveTargets(base('does it have code?', { intent: 'code' })).problem).toBe('no-context');
    expect(resolveTargets(base('the fourth one', { shown: [coral, wage] })).problem).toBe('out-of-range');
    expect(resolveTargets(base('any code?', { intent: 'code', focus: [strains] })).targets).toEqual([strains]);
    expect(resolveTargets(base('papers on reefs', { intent: 'find', focus: [strains] })).targets).toEqual([]);
  });
});
