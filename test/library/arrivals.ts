/**
 * Made-up new papers for feed tests: three close to the repository's sample collection (data/papers.txt:
 * ML papers) and three from other fields. Written for these tests; no evaluation query is in them.
 */
import type { FakeArxivPaper } from '../fakes/arxiv.js';

export const FEED_CATEGORY = 'test.NEW';

const paper = (id: string, title: string, abstract: string, authors: string[]): FakeArxivPaper => ({
  id,
  title,
  abstract,
  authors,
  published: '2025-02-10',
  categories: [FEED_CATEGORY],
});

export const ON_TOPIC: FakeArxivPaper[] = [
  paper(
    '2502.00011',
    'Lossless Token Merging for Key-Value Cache Compression in Long-Context Serving',
    'Serving large language models with long prompts is bottlenecked by the memory of the key-value cache. We merge similar cached tokens per attention head and quantize the remainder, shrinking the KV cache five-fold while keeping accuracy on long-context benchmarks and doubling decoding throughput.',
    ['Ines Varga', 'Tom Oduya'],
  ),
  paper(
    '2502.00012',
    'Structure-Guided Diffusion for High-Resolution Image Inpainting',
    'Filling large missing regions of an image remains hard for generative models. We condition a latent diffusion model on predicted edges and semantic layout to inpaint masked regions at high resolution, producing coherent textures and outperforming prior inpainting methods.',
    ['Mei Tanaka'],
  ),
  paper(
    '2502.00013',
    'Repository-Level Code Generation with Execution-Feedback Fine-Tuning',
    'Large language models for code struggle with repository-level tasks. We fine-tune a code LLM with feedback from executing unit tests, teaching it to use cross-file context, and improve pass@1 on program synthesis and code completion benchmarks.',
    ['Raj Patel', 'Ana Sousa'],
  ),
];

export const OFF_TOPIC: FakeArxivPaper[] = [
  paper(
    '2502.00021',
    'Gut Microbiome Composition Predicts Antibiotic Resistance in Dairy Cattle',
    'We sequenced fecal samples from 400 dairy cows across twelve farms and found that microbial community composition, particularly the abundance of Enterobacteriaceae, predicts carriage of antibiotic resistance genes. Herd management practices modulate this association.',
    ['Lena Brandt'],
  ),
  paper(
    '2502.00022',
    'Minimum Wage Increases and Small Business Employment: Evidence from County Borders',
    'Using contiguous county pairs straddling state borders, we estimate the effect of minimum wage increases on employment in small businesses. We find modest reductions in hours but no significant change in headcount, with heterogeneity by industry and local labour market tightness.',
    ['Carlos Ruiz'],
  ),
  paper(
    '2502.00023',
    'A Search for Exomoons in Kepler Light Curves Using Transit Timing Variations',
    'We analyse transit timing and duration variations of 280 Kepler planets to search for the signatures of massive exomoons. No candidate survives our vetting, and we place upper limits on satellite masses for planets in the habitable zone of their host stars.',
    ['Priya Nair'],
  ),
];

/** Interleaved, so the source's order says nothing about relevance. */
export const ARRIVALS: FakeArxivPaper[] = [OFF_TOPIC[0]!, ON_TOPIC[0]!, OFF_TOPIC[1]!, ON_TOPIC[1]!, OFF_TOPIC[2]!, ON_TOPIC[2]!];
