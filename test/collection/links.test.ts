import { describe, expect, it } from 'vitest';
import { arxivSearchUrl, extractCodeLinks } from '../../src/collection/links.js';
import { parseCollectionText } from '../../src/collection/load.js';
import { readPapersTxt } from './helpers.js';

const papers = parseCollectionText(readPapersTxt(), 'papers.txt').papers;
const linksOf = (titleStart: string) => {
  const paper = papers.find((p) => p.title.startsWith(titleStart));
  if (!paper) throw new Error(`no paper "${titleStart}"`);
  return paper.codeLinks;
};

describe('code links in the real abstracts', () => {
  it('strips the sentence-final period', () => {
    expect(linksOf('Scaling Laws in Patchification')).toEqual([
      { url: 'https://github.com/wangf3014/Patch_Scaling', kind: 'github' },
    ]);
  });

  it('separates a project page ending in a comma from the repository', () => {
    expect(linksOf('HNeRV: A Hybrid Neural Representation')).toEqual([
      { url: 'https://haochen-rye.github.io/HNeRV', kind: 'project' },
      { url: 'https://github.com/haochen-rye/HNeRV', kind: 'github' },
    ]);
  });

  it('drops ".git", "/." and ".git." endings of repositories', () => {
    expect(linksOf('Open-Vocabulary Semantic Segmentation with Decoupled')).toEqual([
      { url: 'https://github.com/CongHan0808/DeOP', kind: 'github' },
    ]);
    expect(linksOf('RECOMBINER:')).toEqual([{ url: 'https://github.com/cambridge-mlg/RECOMBINER', kind: 'github' }]);
    expect(linksOf('Progressive Fourier Neural Representation')).toEqual([
      { url: 'https://github.com/ihaeyong/PFNR', kind: 'github' },
    ]);
  });

  it('finds a repository written without https://', () => {
    expect(linksOf('Towards Total Recall in Industrial Anomaly Detection')).toEqual([
      { url: 'https://github.com/amazon-research/patchcore-inspection', kind: 'github' },
    ]);
  });

  it('treats github.io pages and short links as project pages', () => {
    expect(linksOf('Guiding Language Models of Code with Global Context')).toEqual([
      { url: 'https://aka.ms/monitors4codegen', kind: 'project' },
    ]);
    expect(linksOf('Hardwiring ViT Patch Selectivity')).toEqual([
      { url: 'https://arielnlee.github.io/PatchMixing/', kind: 'project' },
    ]);
  });

  it('keeps deep repository paths', () => {
    expect(linksOf('Adversarial Patch')).toEqual([
      { url: 'https://github.com/tensorflow/cleverhans/tree/master/examples/adversarial_patch', kind: 'github' },
    ]);
  });

  it('finds every URL the file contains, and none in abstracts without one', () => {
    const withUrl = papers.filter((p) => /https?:\/\/|github\.com\//.test(p.abstract));
    const withLinks = papers.filter((p) => p.codeLinks.length > 0);
    expect(withLinks.map((p) => p.id)).toEqual(withUrl.map((p) => p.id));
    expect(withLinks.length).toBe(54); // grep -cE 'https?://|github\.com/' data/papers.txt
    for (const link of withLinks.flatMap((p) => p.codeLinks)) {
      expect(() => new URL(link.url)).not.toThrow();
      expect(link.url).not.toMatch(/[.,;:)]$/);
    }
  });
});

describe('extractCodeLinks', () => {
  it('handles brackets, Hugging Face, GitLab and duplicates', () => {
    const abstract =
      'Code (https://github.com/a/b) and models (see https://huggingface.co/org/model). ' +
      'Mirror: gitlab.com/group/proj; page [https://x.github.io/p/]. Again https://github.com/a/b/ and ' +
      'https://en.wikipedia.org/wiki/Foo_(bar).';
    expect(extractCodeLinks(abstract)).toEqual([
      { url: 'https://github.com/a/b', kind: 'github' },
      { url: 'https://huggingface.co/org/model', kind: 'huggingface' },
      { url: 'https://gitlab.com/group/proj', kind: 'gitlab' },
      { url: 'https://x.github.io/p/', kind: 'project' },
      { url: 'https://en.wikipedia.org/wiki/Foo_(bar)', kind: 'project' },
    ]);
  });

  it('skips links to papers and bare host names', () => {
    expect(
      extractCodeLinks('See https://arxiv.org/abs/2101.00001 and https://doi.org/10.1/x, or github.com. Also http://localhost/x.'),
    ).toEqual([]);
  });

  it('returns nothing for text without links', () => {
    expect(extractCodeLinks('We propose a method. It works well, e.g. on ImageNet.')).toEqual([]);
  });
});

describe('arxivSearchUrl', () => {
  it('builds an arXiv title search with the title URL-encoded', () => {
    expect(arxivSearchUrl('  ELITE: Encoding  Visual & Concepts? ')).toBe(
      'https://arxiv.org/search/?query=ELITE%3A%20Encoding%20Visual%20%26%20Concepts%3F&searchtype=title',
    );
  });
});
