import { describe, expect, it } from 'vitest';
import { profileForModel } from '../../src/embedding/profiles.js';

describe('profileForModel', () => {
  it('uses CLS pooling and the retrieval instruction for bge models', () => {
    expect(profileForModel('Xenova/bge-small-en-v1.5')).toEqual({
      pooling: 'cls',
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
      docPrefix: '',
    });
    expect(profileForModel('/models/bge-base-en-v1.5/').pooling).toBe('cls');
  });

  it('uses mean pooling with query:/passage: prefixes for e5 models', () => {
    expect(profileForModel('Xenova/e5-small-v2')).toEqual({ pooling: 'mean', queryPrefix: 'query: ', docPrefix: 'passage: ' });
    expect(profileForModel('Xenova/multilingual-e5-small').queryPrefix).toBe('query: ');
  });

  it('uses plain mean pooling for gte, MiniLM and unknown models', () => {
    const plain = { pooling: 'mean', queryPrefix: '', docPrefix: '' };
    expect(profileForModel('Xenova/gte-small')).toEqual(plain);
    expect(profileForModel('Xenova/all-MiniLM-L6-v2')).toEqual(plain);
    expect(profileForModel('./my-model')).toEqual(plain);
  });
});
