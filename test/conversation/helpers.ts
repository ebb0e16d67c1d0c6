/**
 * A small collection from other fields (biology, economics) for conversation tests: the
 * rules must hold for any team's papers, not only the ML collection in data/papers.txt.
 * Some papers carry authors, dates and code links, as a richer collection might.
 */
import { paperId } from '../../src/collection/ids.js';
import type { Paper } from '../../src/collection/types.js';

export function makePaper(title: string, abstract: string, extra: Partial<Paper> = {}): Paper {
  return {
    id: paperId(title),
    title,
    abstract,
    searchUrl: `https://example.org/search?q=${encodeURIComponent(title)}`,
    authors: [],
    tags: [],
    codeLinks: [],
    hash: title,
    source: { file: 'test', line: 1 },
    ...extra,
  };
}

export const OTHER_FIELDS: Paper[] = [
  makePaper(
    'GutSeq: Profiling the Infant Gut Microbiome with Long-Read Sequencing',
    'The infant gut microbiome shapes immune development, yet short-read surveys miss strain-level variation. ' +
      'We introduce GutSeq, a long-read sequencing protocol that resolves bacterial strains directly from stool samples. ' +
      'GutSeq assembles complete genomes for 85% of abundant species and detects antibiotic resistance genes on mobile elements. ' +
      'Across 310 infants, strain turnover peaked at weaning. Code is available at https://github.com/example/gutseq.',
    { authors: ['A. Rivera', 'B. Chen'], published: '2023-05-02', codeLinks: [{ url: 'https://github.com/example/gutseq', kind: 'github' }] },
  ),
  makePaper(
    'Strain Tracking in Microbial Communities via Metagenomic Assembly Graphs',
    'Tracking bacterial strains across samples is hard when strains share most of their genome. ' +
      'We present a method that follows strains through metagenomic assembly graphs, separating variants by coverage. ' +
      'On mock communities the method recovers 92% of strains, and on gut samples it reveals transmission from mother to infant.',
    { authors: ['C. Okafor'], published: '2022-11-15' },
  ),
  makePaper(
    'Coral Bleaching Thresholds Under Marine Heatwaves',
    'Coral reefs bleach when water temperature stays above a threshold for weeks. ' +
      'Using twenty years of satellite temperature records and reef surveys, we estimate bleaching thresholds for 1,200 reefs. ' +
      'Thresholds rose by 0.3 degrees per decade, suggesting partial acclimatization, but not fast enough to keep pace with warming. ' +
      'Work done at the Example Marine Institute.',
  ),
  makePaper(
    'Minimum Wage Increases and Teen Employment: Evidence from County Borders',
    'We compare contiguous county pairs that straddle state borders to estimate the effect of minimum wage increases on teen employment. ' +
      'Earnings of teenagers rise by 7% while employment falls by less than 1%, an effect indistinguishable from zero. ' +
      'The results are robust to controls for local business cycles.',
    { published: '2021-03-01' },
  ),
  makePaper(
    'Remote Work and Urban Rents After the Pandemic',
    'Remote work reshaped where people live. We link job postings that allow remote work to rental listings in 60 cities. ' +
      'Rents in city centres fell by 9% relative to suburbs in cities with high remote-work shares, while suburban rents rose. ' +
      'The shift persisted two years after offices reopened.',
  ),
  makePaper(
    'FoldNet: Predicting Protein Stability Changes from Single Mutations',
    'Predicting how a single amino-acid mutation changes protein stability guides protein engineering. ' +
      'We propose FoldNet (short for Folding Network), a graph network over residue contacts trained on 40,000 measured stability changes. ' +
      'FoldNet reduces prediction error by 18% over physics-based scores and runs in milliseconds per mutation.',
    { codeLinks: [{ url: 'https://gitlab.com/example/foldnet', kind: 'gitlab' }] },
  ),
];
