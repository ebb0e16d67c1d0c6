import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCollection } from '../../../src/collection/load.js';
import { paperId } from '../../../src/collection/ids.js';
import type { Paper } from '../../../src/collection/types.js';
import { answerQuestion, NO_ANSWER_MESSAGE, type Retrieve } from '../../../src/engine/ask/answer.js';
import { isUserFacingError } from '../../../src/errors.js';
import { evaluateAsk, miniSearchRetriever, type AskQuestion } from '../../../scripts/lib/eval-ask.js';

function paper(title: string, abstract: string): Paper {
  return {
    id: paperId(title),
    title,
    abstract,
    searchUrl: 'https://arxiv.org/a/x',
    authors: [],
    tags: [],
    codeLinks: [],
    hash: title,
    source: { file: 'test', line: 1 },
  };
}

const fixed = (papers: Paper[]): Retrieve => async (_q, k) => papers.slice(0, k).map((p, i) => ({ paper: p, score: 10 - i }));

describe('answerQuestion on a small fixture', () => {
  const zip = paper(
    'ZipNet: Fast Compression of Video',
    'Video compression is costly. We propose ZipNet, a network that compresses video with learned codes. ' +
      'ZipNet encodes video 12X faster than prior codecs while keeping the same quality. Code: https://github.com/z/zip',
  );
  const graph = paper(
    'GraphMix for Node Classification',
    'Graph neural networks classify nodes. GraphMix mixes node features across neighbours to improve node classification accuracy by 3 points.',
  );

  it('answers with a cited sentence holding the number asked for', async () => {
    const r = await answerQuestion('How much faster does ZipNet encode video?', fixed([zip, graph]));
    expect(r.answered).toBe(true);
    expect(r.answer).toMatch(/^ZipNet encodes video 12X faster[^[]*\[1\]/);
    expect(r.citations.map((c) => [c.n, c.paper.id])).toEqual([[1, zip.id]]);
  });

  it('numbers citations by first appearance and lists only cited papers', async () => {
    const r = await answerQuestion('How does GraphMix improve node classification of graph neural networks?', fixed([zip, graph]));
    expect(r.answered).toBe(true);
    expect(r.citations[0]!.paper.id).toBe(graph.id);
    expect(r.citations.every((c, i) => c.n === i + 1)).toBe(true);
    const markers = [...r.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(new Set(markers)).toEqual(new Set(r.citations.map((c) => c.n)));
    expect(r.citations.some((c) => c.paper.id === zip.id)).toBe(false);
  });

  it('respects maxSentences', async () => {
    const r = await answerQuestion('What does ZipNet do to video compression codecs?', fixed([zip, graph]), { maxSentences: 1 });
    expect(r.answered).toBe(true);
    expect(r.answer.match(/\[\d+\]/g)).toHaveLength(1);
  });

  it('declines when nothing is retrieved', async () => {
    const r = await answerQuestion('How much faster is ZipNet?', fixed([]));
    expect(r).toEqual({ answered: false, answer: NO_ANSWER_MESSAGE, citations: [] });
  });

  it('declines a question made only of question words', async () => {
    const r = await answerQuestion('What is it?', fixed([zip]));
    expect(r.answered).toBe(false);
  });

  it('rejects an empty question as the user’s mistake', async () => {
    await expect(answerQuestion('   ', fixed([zip]))).rejects.toSatisfy(isUserFacingError);
  });
});

describe('answerQuestion picks the sentence holding the fact', () => {
  const quant = paper(
    'RSQ: Learning from Important Tokens',
    'Layer-wise quantization compresses large models. We propose RSQ (Rotate, Scale, then Quantize), which rotates weights before quantizing them. ' +
      'Existing sparse training recipes fail to keep model quality at high sparsity. ' +
      'We show that the main factor contributing to this gap is induced noise in the gradient magnitudes. ' +
      'Across all benchmarks, RSQ-7B beats OtherNet-13B pretrained on 2T tokens. ' +
      'RSQ-7B is a compact model pretrained on 555B tokens of curated text.',
  );
  const other = paper(
    'Tokenizers for Speech Recognition',
    'We compare tokenizers for multilingual speech recognition. Byte-level tokenizers work best for multilingual speech recognition across 40 languages.',
  );

  it('answers an acronym question with the sentence that expands it', async () => {
    const r = await answerQuestion('What does RSQ stand for?', fixed([quant, other]));
    expect(r.answered).toBe(true);
    expect(r.answer).toMatch(/^We propose RSQ \(Rotate, Scale, then Quantize\)/);
  });

  it('declines an acronym question when nothing spells the acronym out', async () => {
    const bert = paper('Selfie: Pretraining for Images', 'Selfie generalizes masked language modeling of BERT (Devlin et al., 2019) to continuous data such as images.');
    const r = await answerQuestion('What does BERT stand for?', fixed([bert]));
    expect(r.answered).toBe(false);
  });

  it('answers "why" with the cause that points back at the problem', async () => {
    const r = await answerQuestion('Why do existing sparse training recipes fail at high sparsity?', fixed([quant, other]));
    expect(r.answered).toBe(true);
    expect(r.answer).toMatch(/^We show that the main factor contributing to this gap is induced noise/);
  });

  it('answers "how many" with the paper’s own number, not a rival’s', async () => {
    const r = await answerQuestion('How many tokens was RSQ-7B pretrained on?', fixed([quant, other]));
    expect(r.answered).toBe(true);
    expect(r.answer).toMatch(/^RSQ-7B is a compact model pretrained on 555B tokens/);
  });

  it('declines a question about a named paper that its sentences do not address', async () => {
    const r = await answerQuestion('How much gradient memory does RSQ-7B need?', fixed([quant, other]));
    expect(r.answered).toBe(false);
  });

  it('declines when the system the question names is in no paper', async () => {
    const r = await answerQuestion('Which tokenizer does Whisper use for multilingual speech recognition?', fixed([other, quant]));
    expect(r.answered).toBe(false);
  });
});

describe('answerQuestion on the collection', () => {
  let papers: Paper[];
  let retrieve: Retrieve;
  beforeAll(async () => {
    ({ papers } = await loadCollection(['data/papers.txt']));
    retrieve = miniSearchRetriever(papers);
  });

  it.each(['What is the capital of France?', 'best pizza in Naples', 'How many moons does Jupiter have?'])(
    'declines the off-topic question %j',
    async (q) => {
      const r = await answerQuestion(q, retrieve, { papers });
      expect(r.answered).toBe(false);
      expect(r.answer).toBe(NO_ANSWER_MESSAGE);
      expect(r.citations).toEqual([]);
    },
  );

  it('answers at least 80% of the tuning questions with the fact and the right paper', async () => {
    const questions = JSON.parse(readFileSync('test/eval/questions.json', 'utf8')) as AskQuestion[];
    const ids = new Set(papers.map((p) => p.id));
    const report = await evaluateAsk(
      (q) => answerQuestion(q, retrieve, { papers }),
      questions.filter((q) => q.split === 'tune'),
      (t) => (ids.has(paperId(t)) ? paperId(t) : undefined),
    );
    expect(report.answerable).toBeGreaterThanOrEqual(10);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(report.correctRefusals).toBe(report.unanswerable);
  });
});
