/**
 * A small hand-written Engine for bot tests: six papers (five from
 * data/papers.txt plus deliberately nasty ones), naive word-overlap search.
 * Options: `delayMs` makes every async call slow (for defer paths),
 * `failOn` makes calls whose query contains the string throw a plain Error.
 */
import type { Paper } from '../../src/collection/types.js';
import type { AskResult, Engine, EngineInfo, FindOptions, SearchHit, SearchResult, Suggestion } from '../../src/engine/types.js';
import { UserFacingError } from '../../src/errors.js';

function paper(id: string, title: string, abstract: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    title,
    abstract,
    searchUrl: `https://arxiv.org/a/search?query=${encodeURIComponent(title.slice(0, 200))}`,
    authors: [],
    tags: [],
    codeLinks: [],
    hash: `h-${id}`,
    source: { file: 'data/papers.txt', line: 1 },
    ...extra,
  };
}

const LONG_ABSTRACT = Array.from({ length: 60 }, (_, i) => `Sentence ${i} about **bold claims**, _patches_ and @everyone in byte latent models.`).join(' ');

export const FAKE_PAPERS: Paper[] = [
  paper(
    'nirvana-neural-implicit-representations-a1b2c3',
    'NIRVANA: Neural Implicit Representations of Videos with Adaptive Networks and Autoregressive Patch-wise Modeling',
    'Implicit Neural Representations (INR) have recently shown to be powerful tool for high-quality video compression. However, existing works are limiting as they do not explicitly exploit the temporal redundancy in videos, leading to a long encoding time.',
    { url: 'https://arxiv.org/abs/2212.14593', codeLinks: [{ url: 'https://github.com/example/nirvana', kind: 'github' }] },
  ),
  paper(
    'scaling-laws-in-patchification-d4e5f6',
    'Scaling Laws in Patchification: An Image Is Worth 50,176 Tokens And More',
    'Since the introduction of Vision Transformer (ViT), patchification has long been regarded as a de facto image tokenization approach for plain visual architectures. By compressing the spatial size of images, this approach can effectively shorten the token sequence.',
  ),
  paper(
    'patch-level-training-for-large-language-models-0a0b0c',
    'Patch-Level Training for Large Language Models',
    'As Large Language Models (LLMs) achieve remarkable progress in language understanding and generation, their training efficiency has become a critical concern. Traditionally, LLMs are trained to predict the next token in a sequence.',
    { codeLinks: [{ url: 'https://github.com/shaochenze/PatchTrain', kind: 'github' }] },
  ),
  paper(
    'byte-latent-transformer-patches-scale-better-1d2e3f',
    'Byte Latent Transformer: Patches Scale Better Than Tokens',
    LONG_ABSTRACT.slice(0, 3000),
  ),
  paper(
    'discrete-infomax-codes-9f8e7d',
    '**Discrete** Infomax Codes for @everyone <@123456789012345678> Supervised [Representation](https://evil.example) Learning',
    'Learning compact discrete representations of data is a key task on its own. ||spoiler|| `code` > quote # heading @here.',
  ),
  paper(
    'very-long-title-paper-aaaaaa',
    `A ${'Remarkably '.repeat(26)}Long Title About Patches`.slice(0, 300),
    `${'Patch tokens everywhere. '.repeat(400)}`.slice(0, 10_000),
  ),
];

export interface FakeEngineOptions {
  delayMs?: number;
  failOn?: string;
  papers?: Paper[];
}

const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

export function createFakeEngine(opts: FakeEngineOptions = {}): Engine & { calls: string[] } {
  const papers = opts.papers ?? FAKE_PAPERS;
  const calls: string[] = [];
  const wait = () => (opts.delayMs ? new Promise((r) => setTimeout(r, opts.delayMs)) : Promise.resolve());
  const check = (q: string) => {
    if (opts.failOn && q.includes(opts.failOn)) throw new Error(`fake engine failure for ${opts.failOn}`);
  };
  const byId = (idOrTitle: string) =>
    papers.find((p) => p.id === idOrTitle) ?? papers.find((p) => p.title.toLowerCase() === idOrTitle.toLowerCase());

  function rank(text: string, exclude?: string): SearchHit[] {
    const q = new Set(words(text));
    return papers
      .filter((p) => p.id !== exclude)
      .map((p) => {
        const w = words(`${p.title} ${p.abstract}`);
        const unique = new Set(w);
        const score = [...unique].filter((x) => q.has(x)).length / Math.sqrt(unique.size + 1);
        const first = w.findIndex((x) => q.has(x));
        const snippet = p.abstract.slice(Math.max(0, first * 6 - 60), Math.max(0, first * 6 - 60) + 2000);
        return { paper: p, score, snippet };
      })
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score || a.paper.id.localeCompare(b.paper.id));
  }

  function page(hits: SearchHit[], o: FindOptions = {}, t0: number): SearchResult {
    const filtered = o.filters?.hasCode ? hits.filter((h) => h.paper.codeLinks.length > 0) : hits;
    const offset = o.offset ?? 0;
    const k = o.k ?? 5;
    return { mode: 'lexical', hits: filtered.slice(offset, offset + k), total: filtered.length, tookMs: performance.now() - t0 };
  }

  return {
    calls,
    mode: 'lexical',
    papers,
    async find(query, o) {
      calls.push(`find:${query}:${o?.offset ?? 0}`);
      const t0 = performance.now();
      await wait();
      check(query);
      return page(rank(query), o, t0);
    },
    async similar(paperOrText, o) {
      calls.push(`similar:${paperOrText}`);
      const t0 = performance.now();
      await wait();
      check(paperOrText);
      const p = byId(paperOrText);
      if (!p && paperOrText.trim().length < 3) throw new UserFacingError('Give a paper or a longer piece of text.');
      return page(p ? rank(`${p.title} ${p.abstract}`, p.id) : rank(paperOrText), o, t0);
    },
    suggest(prefix, limit = 25): Suggestion[] {
      calls.push(`suggest:${prefix}`);
      const q = prefix.toLowerCase();
      return papers
        .filter((p) => p.title.toLowerCase().includes(q))
        .slice(0, Math.min(limit, 25))
        .map((p) => ({ name: p.title.slice(0, 100), value: p.id }));
    },
    async ask(question): Promise<AskResult> {
      calls.push(`ask:${question}`);
      const t0 = performance.now();
      await wait();
      check(question);
      const hits = rank(question).slice(0, 3);
      if (hits.length === 0) {
        return { answered: false, answer: 'The collection does not answer this question.', citations: [], mode: 'lexical', tookMs: 1 };
      }
      return {
        answered: true,
        answer: hits.map((h, i) => `${h.paper.abstract.split('. ')[0]} [${i + 1}].`).join(' '),
        citations: hits.map((h, i) => ({ n: i + 1, paper: h.paper })),
        mode: 'lexical',
        tookMs: performance.now() - t0,
      };
    },
    picks(_date, n) {
      return papers.slice(0, n);
    },
    paper(idOrTitle) {
      return byId(idOrTitle);
    },
    resolvePaper(text) {
      const exact = byId(text);
      if (exact) return { kind: 'found', paper: exact };
      const needle = text.trim().toLowerCase();
      const matches = needle.length >= 3 ? papers.filter((p) => p.title.toLowerCase().includes(needle)) : [];
      if (matches.length === 1) return { kind: 'found', paper: matches[0]! };
      return matches.length > 1 ? { kind: 'ambiguous', candidates: matches.slice(0, 25) } : { kind: 'none' };
    },
    info(): EngineInfo {
      return {
        papers: papers.length,
        mode: 'lexical',
        model: null,
        modelNote: 'no local model folder configured',
        indexBuiltAt: '2026-01-01T00:00:00.000Z',
        collectionHash: 'abcdef0123456789',
      };
    },
  };
}
