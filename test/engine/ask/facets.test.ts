import { describe, expect, it } from 'vitest';
import { facetStrength, leansBack, questionFacets } from '../../../src/engine/ask/facets.js';

// Sentences from other fields: the parts of an abstract read the same in any discipline.
const PROBLEM = 'However, short-read surveys miss strain-level variation and are costly to repeat.';
const METHOD = 'To address this, we introduce a long-read protocol that resolves bacterial strains directly from stool samples.';
const EVALUATION = 'We validate the protocol in experiments on 310 infants and two public cohorts.';
const RESULT = 'The protocol outperforms short-read assembly, recovering 85% of abundant species.';
const FINDING = 'We find that strain turnover peaks at weaning.';

describe('facets', () => {
  it.each([
    ["what's wrong with the usual surveys?", 'problem'],
    ['why bother with long reads?', 'problem'],
    ['how do they fix it', 'method'],
    ["what's the trick?", 'method'],
    ['what do they do instead?', 'method'],
    ['how did they check it works?', 'evaluation'],
    ['what cohorts did they run it on?', 'evaluation'],
    ['which patients were included?', 'evaluation'],
    ['what does it beat?', 'result'],
    ['did it come out on top?', 'result'],
    ['what did they find?', 'finding'],
    ['what is it useful for?', 'use'],
    ['did the steroids help?', 'effect'],
    ['which factors made no difference?', 'effect'],
    ['what did they conclude?', 'finding'],
    ['why does that work?', 'cause'],
    ["what's the method called?", 'name'],
    ['which factors made no difference?', 'null'],
    ['when was the pressure difference biggest?', 'extreme'],
    ['where was the survey done?', 'place'],
    ['how is it different from other surveys?', 'novelty'],
  ])('"%s" asks for the %s', (question, facet) => {
    expect(questionFacets(question)).toContain(facet);
  });

  it('"how much" and "how many" ask for a number, not a method', () => {
    expect(questionFacets('how much does it cost to run?')).not.toContain('method');
    expect(questionFacets('how many infants were sampled')).not.toContain('method');
  });

  it('finds the sentence stating the part asked about, without shared words', () => {
    const sentences = [PROBLEM, METHOD, EVALUATION, RESULT, FINDING];
    const best = (question: string) => {
      const facets = questionFacets(question);
      return sentences.map((s) => ({ s, w: facetStrength(facets, s) })).sort((a, b) => b.w - a.w)[0]!.s;
    };
    expect(best("what's wrong with the usual surveys?")).toBe(PROBLEM);
    expect(best('how do they get around that?')).toBe(METHOD);
    expect(best('how did they check it works?')).toBe(EVALUATION);
    expect(best('what does it beat?')).toBe(RESULT);
    expect(best('what did they find?')).toBe(FINDING);
  });

  it('a sentence with several cue phrases states the part more plainly than one with a hint', () => {
    const facets = questionFacets('which data did they test on?');
    expect(facetStrength(facets, EVALUATION)).toBeGreaterThan(facetStrength(facets, 'The method was applied to stool.'));
    expect(facetStrength(facets, FINDING)).toBe(0);
  });

  it('reads effects and conclusions as abstracts of any field state them', () => {
    const effect = questionFacets('did the steroids help?');
    expect(facetStrength(effect, 'Corticosteroids were neither beneficial nor detrimental.')).toBeGreaterThan(0);
    expect(facetStrength(effect, 'Twenty-six adults were treated.')).toBe(0);
    const finding = questionFacets('what did they conclude?');
    expect(facetStrength(finding, 'It was concluded that hospital stays upset children.')).toBeGreaterThan(0);
    expect(facetStrength(finding, 'Scores indicated that anxiety increased.')).toBeGreaterThan(0);
  });

  it('knows a sentence that leans on the one before it', () => {
    expect(leansBack('This limits how often reefs can be surveyed.')).toBe(true);
    expect(leansBack('To address these issues, we propose a satellite index.')).toBe(true);
    expect(leansBack('Drones are a potential solution to this problem.')).toBe(true);
    expect(leansBack('Coral reefs bleach when water stays warm.')).toBe(false);
  });
});
