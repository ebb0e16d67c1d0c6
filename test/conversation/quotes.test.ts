import { describe, expect, it } from 'vitest';
import { quoteFor, topSentences } from '../../src/conversation/quotes.js';
import { makePaper, OTHER_FIELDS } from './helpers.js';

// A clinical abstract: the parts of an abstract read the same outside machine learning.
const trial = makePaper(
  'Early Mobilisation After Hip Fracture Surgery',
  'Patients often stay in bed for days after hip fracture surgery. ' +
    'This delays recovery and raises the risk of pneumonia. ' +
    'To address this, we introduce a protocol that gets patients walking within 24 hours, guided by a physiotherapist. ' +
    'We evaluated the protocol in a randomised trial of 412 patients at three hospitals. ' +
    'Mobilised patients were discharged 2.1 days earlier and had 40% fewer infections. ' +
    'We find that benefits were largest in patients over 80.',
);
const collection = [trial, ...OTHER_FIELDS];
const quote = (question: string) => topSentences(question, trial, collection).join(' ');

describe('topSentences on one paper', () => {
  it('answers questions sharing no word with the abstract by the part they ask about', () => {
    expect(quote('how do they fix that?')).toMatch(/we introduce a protocol/);
    expect(quote('how did they test it?')).toMatch(/randomised trial of 412 patients/);
    expect(quote('what did they find?')).toMatch(/largest in patients over 80/);
    expect(quote("what's wrong with the usual care?")).toMatch(/stay in bed for days/);
  });

  it('answers "how does it decide …" with the sentence stating the rule the choice follows', () => {
    // Economics, not machine learning: the criterion is stated without any of the question's verbs.
    const auction = makePaper(
      'Adaptive Reserve Prices for Online Ad Auctions',
      'We introduce ARP, a reserve-price mechanism for online ad auctions. ' +
        'ARP sets a separate reserve price for each auction. ' +
        'Reserve prices are raised or lowered according to the bid variance of the last hour. ' +
        'In a field test on 3 million auctions ARP raised revenue by 4%.',
    );
    const pool = [auction, ...collection];
    expect(topSentences('how does it decide when a reserve price changes?', auction, pool).join(' ')).toMatch(/according to the bid variance/);
    expect(topSentences('what determines the reserve price?', auction, pool).join(' ')).toMatch(/according to the bid variance/);
  });

  it('brings along the sentence a quoted one leans on', () => {
    // "This delays recovery …" says nothing without the sentence before it.
    const problem = topSentences('why is pneumonia a concern?', trial, collection);
    expect(problem).toContain('This delays recovery and raises the risk of pneumonia.');
    expect(problem).toContain('Patients often stay in bed for days after hip fracture surgery.');
  });

  it('prefers a number for "how much" and counts a word of the same root', () => {
    expect(quote('how much earlier were they discharged?')).toMatch(/2\.1 days/);
    const bridge = makePaper('Bridge Monitoring with Few Sensors', 'Sensors are placed along a bridge deck. The layout reaches a high sparsity with little loss. Costs fall as fewer sensors are used.');
    expect(topSentences('how sparse is it?', bridge, [bridge, ...collection])[0]).toMatch(/high sparsity/);
  });

  it('lets the words of the title say which paper, not which sentence', () => {
    // "hip fracture surgery" is the title: the question is about what happens after it.
    expect(topSentences('after hip fracture surgery, how many patients were enrolled?', trial, collection, 1)).toEqual([
      'We evaluated the protocol in a randomised trial of 412 patients at three hospitals.',
    ]);
  });

  it('quotes the answerer’s own pick too, in the abstract’s order', () => {
    const picked = 'We find that benefits were largest in patients over 80.';
    const out = quoteFor('how do they fix that?', trial, collection, picked);
    expect(out.at(-1)).toBe(picked);
    expect(out.join(' ')).toMatch(/we introduce a protocol/);
  });
});
