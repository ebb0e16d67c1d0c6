import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/collection/types.js';
import { describedPaper, splitSubject } from '../../src/conversation/subject.js';
import { makePaper, OTHER_FIELDS } from './helpers.js';

const [gutseq, strains, coral, wage, rents, foldnet] = OTHER_FIELDS as [Paper, Paper, Paper, Paper, Paper, Paper];

describe('splitSubject', () => {
  it.each([
    ['GutSeq - how many infants?', 'GutSeq', 'how many infants?'],
    ['the coral one, what thresholds did they find?', 'the coral one', 'what thresholds did they find?'],
    ['minimum wage paper: which counties?', 'minimum wage paper', 'which counties?'],
    ['switching topics: remote work — how much did rents fall', 'remote work', 'how much did rents fall'],
    ['what about FoldNet, how fast is it?', 'FoldNet', 'how fast is it?'],
    ['the protein one... why does it beat physics scores??', 'the protein one', 'why does it beat physics scores??'],
    ["I'm comparing GutSeq, FoldNet and the wage study. the 2nd one, how does it work?", 'the 2nd one', 'how does it work?'],
    ['rents study - sample size?', 'rents study', 'sample size?'],
  ])('%s → subject %s', (text, subject, question) => {
    expect(splitSubject(text)).toEqual({ subject, question });
  });

  it.each([
    'how does GutSeq resolve strains?',
    'ok, what about it?',
    'hi! are there papers about coral reefs? I am new here',
    'hello, i search paper about wages. the teen one is good?',
    'ok different question - papers on coral bleaching?',
    'tell me about the gut microbiome',
    'thanks, that helps',
  ])('%s has no subject', (text) => {
    expect(splitSubject(text)).toBeUndefined();
  });
});

describe('describedPaper', () => {
  const beamish = makePaper('Lattice Decoding for Long Reads', 'We search over lattices of diverse beam candidates to assemble reads.');
  const diverse = makePaper('Diverse Beam Search for Read Assembly', 'A diverse beam search keeps several assemblies alive.');

  it('takes the paper of the list whose title has the describing words', () => {
    expect(describedPaper('the protein one', [gutseq, foldnet, coral])?.id).toBe(foldnet.id);
    expect(describedPaper('the coral bleaching paper', [gutseq, coral])?.id).toBe(coral.id);
  });

  it('takes a paper of the collection whose title fits when no listed title does', () => {
    // The list has a paper that only mentions the words; the collection has the one titled so.
    expect(describedPaper('the diverse beam search one', [beamish], [beamish, diverse], [beamish, diverse, ...OTHER_FIELDS])?.id).toBe(diverse.id);
  });

  it('"the one with …" means a paper just shown, found by its abstract before other titles', () => {
    const survey = makePaper('Surveys of Reef Fish Along Islands', 'Divers counted fish along 40 islands.');
    expect(describedPaper('reefs', [gutseq, coral], [survey, coral], [survey, coral], true)?.id).toBe(coral.id);
  });

  it('reads dotted initials as the word they spell', () => {
    const mit = makePaper('Use of the Science Library at M.I.T.', 'Library attendance was counted.');
    expect(describedPaper('the MIT one', [gutseq, mit])?.id).toBe(mit.id);
  });

  it('of several listed titles with the words, takes the paper most about them', () => {
    const once = makePaper('Strain Maps of Soils', 'Soil bacteria were mapped.');
    expect(describedPaper('the strain one', [once, strains])?.id).toBe(strains.id);
  });

  it('falls back to the listed paper that mentions the words, then the best match', () => {
    expect(describedPaper('the metagenomic one', [gutseq, strains])?.id).toBe(strains.id);
    expect(describedPaper('the rents one', [], [rents, wage])?.id).toBe(rents.id);
    expect(describedPaper('the volcano one', [gutseq, coral])).toBeUndefined();
  });
});
