import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../src/errors.js';
import { LexicalIndex } from '../../../src/engine/lexical/index.js';
import { learnAbbreviations } from '../../../src/engine/text/abbreviations.js';
import { analyze } from '../../../src/engine/text/analyze.js';
import { stem } from '../../../src/engine/text/stem.js';
import { parseVocabulary, vocabularyFiles } from '../../../src/engine/vocab/files.js';
import { chooseVocabulary, parseVocabularySetting } from '../../../src/engine/vocab/select.js';
import { Vocabulary } from '../../../src/engine/vocab/vocabulary.js';

const ML_ABSTRACTS = [
  'We quantize a large language model and its key value cache; the vision transformer keeps accuracy.',
  'Low rank adaptation of a large language model with reinforcement learning from feedback.',
  'A graph neural network and a convolutional neural network for question answering.',
  'Masked image modeling with a vision transformer; a masked autoencoder learns from patches.',
  'Retrieval augmented generation with a large language model and chain of thought prompts.',
  'A mixture of experts and a state space model compared with a recurrent neural network.',
  'Self supervised learning for natural language processing and neural machine translation.',
  'A variational autoencoder and a generative adversarial network for text to image synthesis.',
  'Super resolution with implicit neural representation and a neural radiance field.',
  'Byte pair encoding for a multimodal large language model and a vision language model.',
];
const MEDICAL_ABSTRACTS = [
  'Memory T cells persist after infection and protect against reinfection in mice.',
  'Binary classification of tumours from biopsy samples by two pathologists.',
  'Missing data imputation in a cohort of patients with heart failure.',
  'Precision medicine for breast cancer: genomic markers guide the choice of therapy.',
  'A randomised trial of aspirin after stroke in adults over sixty.',
  'Blood glucose and insulin in pregnant women with diabetes.',
  'Memory loss in elderly patients with dementia and the role of sleep.',
  'Tumour size and lymph node involvement predict survival after surgery.',
];

describe('vocabulary files', () => {
  it('data/vocab holds a general file and a machine-learning file, and every entry parses', () => {
    const names = vocabularyFiles().map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['general', 'ml']));
    for (const f of vocabularyFiles()) expect(f.synonyms.length + f.abbreviations.length).toBeGreaterThan(0);
  });

  it('keeps every synonym phrase a phrase after stop words are dropped, and every entry adds something', () => {
    for (const file of vocabularyFiles()) {
      const v = new Vocabulary([file.name], [file]);
      // "over time" would shrink to "time" and expand every query that mentions time.
      expect(file.synonyms.filter(([key]) => key.includes(' ') && analyze(key).length < 2), file.name).toEqual([]);
      // "embedded" → "embedding" stems to the key itself and would only add noise.
      expect(file.synonyms.filter(([key]) => v.expansions(analyze(key, new Map())).length === 0), file.name).toEqual([]);
    }
  });

  it('says which line of which file is malformed', () => {
    expect(() => parseVocabulary('x', '# comment\nsynonym\tphoto\timage\nsynonym photo image\n')).toThrow(/x\.tsv line 3/);
    expect(() => parseVocabulary('x', 'typo\tphoto\timage\n')).toThrow(/line 1/);
  });
});

describe('choosing vocabularies', () => {
  it('parses VOCABULARY', () => {
    expect(parseVocabularySetting(undefined)).toBe('auto');
    expect(parseVocabularySetting(' None ')).toBe('none');
    expect(parseVocabularySetting('general, ml')).toEqual(['general', 'ml']);
  });

  it('auto: the machine-learning file is on for an ML collection and off for a medical one', () => {
    expect(chooseVocabulary('auto', [...ML_ABSTRACTS, ...ML_ABSTRACTS]).vocabulary.names).toEqual(['general', 'ml']);
    expect(chooseVocabulary('auto', ML_ABSTRACTS.slice(0, 2)).vocabulary.names).toEqual(['general']);
    expect(chooseVocabulary('auto', MEDICAL_ABSTRACTS).vocabulary.names).toEqual(['general']);
    expect(chooseVocabulary('none', ML_ABSTRACTS).vocabulary.names).toEqual([]);
    expect(chooseVocabulary(['ml'], MEDICAL_ABSTRACTS).vocabulary.names).toEqual(['ml']);
    expect(() => chooseVocabulary(['ml', 'chemistry'], ML_ABSTRACTS)).toThrow(UserFacingError);
  });

  it('a word the collection writes as a name (CLIP the model) is not expanded as a synonym (a video clip)', () => {
    const texts = [
      'We fine-tune CLIP on remote sensing images.',
      'CLIP features transfer to retrieval; we probe CLIP layers.',
      'Contrastive pretraining as in CLIP aligns images and text.',
    ];
    expect(chooseVocabulary('auto', texts).names).toContain(stem('clip'));
    expect(chooseVocabulary('auto', ['A short clip of a video.', 'Each clip lasts ten seconds.']).names).toEqual([]);
  });
});

describe('on a collection from another field', () => {
  const docs = MEDICAL_ABSTRACTS.map((abstract, i) => ({ id: `m${i}`, title: abstract.split(' ').slice(0, 4).join(' '), abstract }));
  const index = LexicalIndex.build(docs);
  const docsWith = (word: string) => docs.filter((d) => d.abstract.toLowerCase().includes(word)).map((d) => d.id).sort();

  it('machine-learning expansions do not fire ("memory", "binary", "missing", "precision")', () => {
    expect(index.vocabulary.files).toEqual(['general']);
    for (const [query, word] of [['memory T cell', 'memory'], ['precision medicine', 'precision'], ['missing data imputation', 'imputation']] as const) {
      const hits = index.search(query, { k: 10 }).map((h) => h.id);
      expect(hits.slice(0, docsWith(word).length).sort(), query).toEqual(docsWith(word));
    }
  });
});

describe('learned acronyms', () => {
  it('a short form defined with several phrases is ambiguous and skipped unless one meaning dominates', () => {
    const pairs = learnAbbreviations([
      'The confidence interval (CI) was wide.',
      'Cardiac index (CI) fell after surgery.',
      'Magnetic resonance imaging (MRI) of the knee.',
      'We used magnetic resonance imaging (MRI) again.',
      'Mean arterial pressure (MAP) and maximum a posteriori (MAP) and mean arterial pressure (MAP).',
      'Mean arterial pressure (MAP) was recorded.',
    ]);
    const shorts = pairs.map(([, a]) => a);
    expect(shorts).not.toContain('ci');
    expect(pairs).toContainEqual(['magnetic resonance imaging', 'mri']);
    expect(pairs.filter(([, a]) => a === 'map')).toEqual([['mean arterial pressure', 'map']]);
  });

  it('a query that spells out a learned phrase gets its acronym at reduced weight, not as an extra full word', () => {
    const docs = [
      { id: 'a', title: 'Selective dissemination of information (SDI) services', abstract: 'SDI services send new documents to users.' },
      { id: 'b', title: 'Profiles for SDI', abstract: 'User profiles in SDI systems are matched weekly.' },
      { id: 'c', title: 'Information for users', abstract: 'Selective reading of information by users of a library.' },
    ];
    const full = LexicalIndex.build(docs, { abbreviationWeight: 1, feedbackWeight: 0 });
    const reduced = LexicalIndex.build(docs, { abbreviationWeight: 0.3, feedbackWeight: 0 });
    // "b" only has the acronym; "c" has two of the typed words.
    const ratio = (index: LexicalIndex) => {
      const hits = index.search('selective dissemination of information users', { k: 3 });
      return hits.find((h) => h.id === 'b')!.score / hits.find((h) => h.id === 'c')!.score;
    };
    expect(ratio(reduced)).toBeLessThan(ratio(full) * 0.7);
  });
});

describe('the collection\'s own words', () => {
  it('a synonym key used by a fifth of the papers is their own word and is not expanded', () => {
    const withSearch = Array.from({ length: 20 }, (_, i) => (i < 6 ? `A literature search of trial registries ${i}.` : `Blood pressure study number ${i}.`));
    expect(chooseVocabulary(['general', 'ml'], withSearch).names).toContain(stem('search'));
    expect(chooseVocabulary(['general', 'ml'], withSearch.slice(5)).names).not.toContain(stem('search'));
  });
});
