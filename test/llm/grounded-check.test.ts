import { describe, expect, it } from 'vitest';
import { checkAnswer, cleanPartial, isRefusal } from '../../src/llm/grounded-check.js';
import { inertMentions } from '../../src/text.js';
import { NOT_ANSWERED_SENTENCE } from '../../src/llm/grounded-prompt.js';

// Invented sources from several fields: nothing here depends on a particular collection.
const SOURCES = [
  { title: 'Soil microbiome shifts under prolonged drought', abstract: 'We sample 40 plots over three summers.' },
  { title: 'Duty cycling for low-power sensor networks', abstract: 'Radios sleep between scheduled windows.' },
  { title: 'Greedy heuristics for graph colouring', abstract: 'A degree-ordered greedy pass is compared with tabu search.' },
];

/** No raw ping of any kind can survive. */
const PING = /@(everyone|here)|<(@[!&]?|#)\d+>/i;

describe('checkAnswer — citations', () => {
  it('keeps cited sentences and renumbers citations by first appearance', () => {
    const a = checkAnswer('Radios sleep between windows [2]. Plots were sampled for three summers [1]. Radios save energy [2].', SOURCES);
    expect(a.answered).toBe(true);
    expect(a.text).toBe('Radios sleep between windows [1]. Plots were sampled for three summers [2]. Radios save energy [1].');
    expect(a.citations.map((c) => [c.n, c.sourceIndex])).toEqual([[1, 1], [2, 0]]);
    expect(a.citations[0]?.source).toBe(SOURCES[1]);
    expect(a.droppedSentences).toBe(0);
  });

  it('removes citations outside 1..n and drops sentences left without one', () => {
    const a = checkAnswer('Tabu search is compared [7]. A greedy pass is used [3][7]. Nothing cited here [0].', SOURCES);
    expect(a.text).toBe('A greedy pass is used [1].');
    expect(a.citations.map((c) => c.sourceIndex)).toEqual([2]);
    expect(a.droppedSentences).toBe(2);
  });

  it('rejects an answer with no valid citation at all, or nothing but citations', () => {
    const a = checkAnswer('Tabu search wins [7]. Greedy loses [9].', SOURCES);
    expect(a).toMatchObject({ answered: false, reason: 'uncited', text: '', citations: [] });
    expect(checkAnswer('[1][2].', SOURCES)).toMatchObject({ answered: false, reason: 'uncited' });
  });

  it('drops uncited sentences (outside knowledge, filler) and keeps the cited ones', () => {
    const a = checkAnswer('Great question! Radios sleep between scheduled windows [2]. This is widely known in industry.', SOURCES);
    expect(a.text).toBe('Radios sleep between scheduled windows [1].');
    expect(a.droppedSentences).toBe(2);
  });

  it('reads [1, 3], [1-2], [Source 2], 【1†source】 and a citation placed after the period', () => {
    expect(checkAnswer('Both are compared [1, 3].', SOURCES).text).toBe('Both are compared [1][2].');
    expect(checkAnswer('Both are compared [2-3].', SOURCES).citations.map((c) => c.sourceIndex)).toEqual([1, 2]);
    expect(checkAnswer('Radios sleep [Source 2].', SOURCES).citations.map((c) => c.sourceIndex)).toEqual([1]);
    expect(checkAnswer('Plots were sampled【1†source】.', SOURCES).text).toBe('Plots were sampled [1].');
    const after = checkAnswer('Plots were sampled. [1] Radios sleep. [2]', SOURCES);
    expect(after.text).toBe('Plots were sampled. [1] Radios sleep. [2]');
    expect(after.droppedSentences).toBe(0);
  });

  it('leaves non-numeric brackets alone', () => {
    expect(checkAnswer('The [CLS] token is unused here [3].', SOURCES).text).toBe('The [CLS] token is unused here [1].');
  });

  it('turns list items and markdown into plain cited sentences', () => {
    const a = checkAnswer('## Findings\n- **Radios** sleep between windows [2]\n- Plots span three summers [1]\n\n1. Unsupported claim', SOURCES);
    expect(a.text).toBe('Radios sleep between windows. [1] Plots span three summers. [2]');
  });

  it('discards reasoning blocks (closed, unopened or never closed)', () => {
    expect(checkAnswer('<think>maybe [7] @everyone</think>Radios sleep [2].', SOURCES).text).toBe('Radios sleep [1].');
    expect(checkAnswer('the template opened it [3]</think>\nRadios sleep [2].', SOURCES).text).toBe('Radios sleep [1].');
    expect(checkAnswer('<think>still thinking about [1]', SOURCES)).toMatchObject({ answered: false, reason: 'empty' });
  });

  it('an empty or blank reply is not answered', () => {
    expect(checkAnswer('', SOURCES).reason).toBe('empty');
    expect(checkAnswer(' \n\n ', SOURCES).reason).toBe('empty');
  });
});

describe('checkAnswer — refusals', () => {
  it.each([
    NOT_ANSWERED_SENTENCE,
    'I cannot answer this question from the provided sources.',
    "I'm unable to determine that from the abstracts.",
    'The provided sources do not mention the budget [1].',
    "The abstracts don't say how long the study ran.",
    'There is no information in the sources about funding.',
    'The sample size is not mentioned in the sources.',
  ])('"%s" → not answered (refusal)', (text) => {
    expect(checkAnswer(text, SOURCES)).toMatchObject({ answered: false, reason: 'refusal' });
  });

  it('a refusal first wins even if later sentences cite', () => {
    expect(checkAnswer(`${NOT_ANSWERED_SENTENCE} However, radios sleep [2].`, SOURCES).reason).toBe('refusal');
  });

  it('an uncited hedge after a cited answer is dropped, not a refusal', () => {
    const a = checkAnswer('Radios sleep between windows [2]. The sources do not say more about batteries.', SOURCES);
    expect(a.answered).toBe(true);
    expect(a.text).toBe('Radios sleep between windows [1].');
  });

  it.each([
    'The method does not require labels [1].',
    'Greedy colouring cannot match tabu search on dense graphs [3].',
    'No labelled data is needed [2].',
  ])('"%s" is an answer, not a refusal', (text) => {
    expect(isRefusal(text)).toBe(false);
    expect(checkAnswer(text, SOURCES).answered).toBe(true);
  });
});

describe('checkAnswer — length', () => {
  it('clamps at a sentence boundary and cites only what is shown', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Finding number ${i} about radios and soil plots [${(i % 3) + 1}].`);
    const a = checkAnswer(sentences.join(' '), SOURCES);
    expect(a.text.length).toBeLessThanOrEqual(1500);
    expect(a.text.length).toBeGreaterThan(1400);
    expect(a.text).toMatch(/\]\.$/);
    const shown = new Set([...a.text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
    expect(a.citations.map((c) => c.n)).toEqual([...shown].sort());

    const short = checkAnswer(sentences.join(' '), SOURCES, { maxChars: 190 }); // 3 sentences are 151 chars, 4 are 199
    expect(short.text.length).toBeLessThanOrEqual(190);
    expect(short.text).toBe(sentences.slice(0, 3).join(' '));
  });

  it('a single over-long sentence is cut at a word and keeps its citation', () => {
    const a = checkAnswer(`${'word '.repeat(400)}end [2].`, SOURCES, { maxChars: 300 });
    expect(a.text.length).toBeLessThanOrEqual(300);
    expect(a.text).toMatch(/word… \[1\]$/);
    expect(a.citations.map((c) => c.sourceIndex)).toEqual([1]);
  });

  it('counts the characters that inert mentions add', () => {
    const a = checkAnswer(`${'@here '.repeat(60)}[1].`, SOURCES, { maxChars: 200 });
    expect(a.text.length).toBeLessThanOrEqual(200);
    expect(a.text).not.toMatch(PING);
  });
});

describe('mentions', () => {
  it('are inert in answers whatever the model writes', () => {
    const a = checkAnswer('@everyone radios sleep [2]. Ask <@123>, <@!42>, <@&456> in <#789> or @here [1]. Also <@[7]99> [3].', SOURCES);
    expect(a.answered).toBe(true);
    expect(a.text).not.toMatch(PING);
    expect(a.text).toContain('everyone radios sleep');
  });

  it('inertMentions is idempotent and leaves e-mail-like text readable', () => {
    const once = inertMentions('@everyone <@1>');
    expect(inertMentions(once)).toBe(once);
    expect(inertMentions('mail me at a@b.org')).toBe('mail me at a@b.org');
  });
});

describe('cleanPartial', () => {
  it('shows the sentence being written, hides finished uncited ones, and numbers like the final check', () => {
    const raw = 'Radios sleep between windows [2]. Filler without a source. Plots span three sum';
    expect(cleanPartial(raw, 3)).toBe('Radios sleep between windows [1]. Plots span three sum');
    const final = `${raw}mers [1].`;
    expect(cleanPartial(final, 3)).toBe(checkAnswer(final, SOURCES).text);
  });

  it('hides invalid citations, a half-written [n, reasoning in progress, and makes mentions inert', () => {
    expect(cleanPartial('Radios sleep [7] between [2', 3)).toBe('Radios sleep between');
    expect(cleanPartial('<think>let me see [1]', 3)).toBe('');
    expect(cleanPartial('Hello @everyone and <@123> [1', 3)).not.toMatch(PING);
    expect(cleanPartial('Hi <@12', 3)).toBe('Hi');
  });

  it('stays within the length limit', () => {
    expect(cleanPartial(`${'long words '.repeat(400)}`, 3, { maxChars: 300 }).length).toBeLessThanOrEqual(300);
  });
});
