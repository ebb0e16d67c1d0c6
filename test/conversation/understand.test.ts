import { describe, expect, it } from 'vitest';
import { cleanMessage, expandShorthand, MAX_MESSAGE_CHARS } from '../../src/conversation/input.js';
import { MARK, naming, pickPositions, readReference } from '../../src/conversation/references.js';
import { route, topicOf, withoutHedges } from '../../src/conversation/route.js';

const routeOf = (text: string) => {
  const read = readReference(text);
  return route(text, read.rest, { refers: read.reference.kind !== 'none', names: 0 });
};

describe('cleanMessage', () => {
  it('drops mentions, @everyone and markdown, keeps the words', () => {
    const c = cleanMessage('<@123456> **hey** @everyone is there _anything_ on `coral reefs`?');
    expect(c.text).toBe('hey is there anything on coral reefs?');
    expect(c.hasWords).toBe(true);
  });

  it('keeps underscores inside words and link text', () => {
    expect(cleanMessage('what about L_2 norms, see [this page](https://example.org/x)').text).toBe('what about L_2 norms, see this page');
  });

  it('reports empty, emoji-only and over-long messages', () => {
    expect(cleanMessage('<@1>')).toEqual({ text: '', truncated: false, hasWords: false });
    expect(cleanMessage('🙂🙂🎉').hasWords).toBe(false);
    expect(cleanMessage(undefined)).toEqual({ text: '', truncated: false, hasWords: false });
    const long = cleanMessage('word '.repeat(1000));
    expect(long.truncated).toBe(true);
    expect(long.text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(long.text.endsWith('word')).toBe(true);
  });

  it('removes invisible characters and folds odd unicode', () => {
    expect(cleanMessage('ｃｏｒａｌ\u200b reefs\u202e').text).toBe('coral reefs');
  });
});

describe('expandShorthand', () => {
  it('reads everyday chat shorthand as the word an abstract uses, and leaves the rest as typed', () => {
    expect(expandShorthand('which archs, what seq len?')).toBe('which architectures, what sequence length?');
    expect(expandShorthand('how do they deal with high-res imgs')).toBe('how do they deal with high-resolution images');
    expect(expandShorthand('models w attention, w/o labels')).toBe('models with attention, without labels');
    expect(expandShorthand('is the repo out? GutSeq vs FoldNet, max depth')).toBe('is the repo out? GutSeq vs FoldNet, max depth');
    expect(expandShorthand('a w')).toBe('a w');
  });
});

describe('readReference', () => {
  it.each([
    ['does it have code?', 'single'],
    ['what does this paper propose?', 'single'],
    ['is that one any good?', 'single'],
    ['more like this', 'single'],
    ['compare them', 'plural'],
    ['do these use graphs?', 'plural'],
    ['which of these have code?', 'which'],
    ['which one uses satellites?', 'which'],
    ['papers on coral reefs', 'none'],
    ['papers that use assembly graphs', 'none'],
    ['what is a coral reef?', 'none'],
    ['which is cheaper?', 'which'],
  ])('%s → %s', (text, kind) => {
    expect(readReference(text).reference.kind).toBe(kind);
  });

  it('reads ordinals, numbers and ranges as positions in the last list', () => {
    expect(readReference('tell me about the second one').reference).toEqual({ kind: 'ordinal', positions: [1] });
    expect(readReference('what about #3?').reference).toEqual({ kind: 'ordinal', positions: [2] });
    expect(readReference('compare the first two').reference).toEqual({ kind: 'ordinal', positions: [0, 1] });
    expect(readReference('the first and third papers').reference).toEqual({ kind: 'ordinal', positions: [0, 2] });
    expect(readReference('and the last one?').reference).toEqual({ kind: 'ordinal', positions: ['last'] });
    expect(readReference('compare the two').reference).toEqual({ kind: 'plural', count: 2 });
    expect(readReference('is that one better than the third?').reference).toEqual({ kind: 'ordinal', positions: [2], withFocus: true });
    expect(readReference('do they work?').reference).toEqual({ kind: 'plural', weak: true });
    expect(readReference('how many hours did that take?').reference.kind).toBe('single');
    expect(readReference('what about the other one?').reference).toEqual({ kind: 'other' });
    expect(readReference('list all papers on reefs').reference).toEqual({ kind: 'none' });
    // Parts of one paper are not positions in a list.
    expect(readReference("what's the third chapter about?").reference.kind).not.toBe('ordinal');
    expect(readReference('what was the first experiment?').reference.kind).not.toBe('ordinal');
    expect(pickPositions(['last'], 4)).toEqual([3]);
    expect(pickPositions([-2, -1], 5)).toEqual([3, 4]);
    expect(pickPositions([7], 3)).toEqual([]);
  });

  it('takes the reference out of the question and can put a name in its place', () => {
    const read = readReference('how much faster is it than the baseline?');
    expect(read.rest).toBe('how much faster is than the baseline?');
    expect(read.marked).toContain(MARK);
    expect(naming(read, 'FoldNet')).toBe('how much faster is FoldNet than the baseline?');
  });
});

describe('route', () => {
  it.each([
    ['is there anything on coral bleaching?', 'find'],
    ['which papers use long-read sequencing?', 'find'],
    ['any papers about minimum wages', 'find'],
    ['remote work and rents', 'find'],
    ['tell me about the gut microbiome', 'find'],
    ['tell me about it', 'paper'],
    ['what is this paper about?', 'paper'],
    ['anything similar to it?', 'similar'],
    ['related work?', 'similar'],
    ['more like this', 'similar'],
    ['does it have code?', 'code'],
    ['is the code available?', 'code'],
    ['compare them', 'compare'],
    ['who wrote it?', 'authors'],
    ['when was it published?', 'date'],
    ["what are today's picks?", 'today'],
    ['help', 'help'],
    ['what can you do?', 'help'],
    ['thanks!', 'greeting'],
    ['how much did teen earnings rise?', 'ask'],
    ['why do corals bleach?', 'ask'],
    ['what is a coral reef?', 'ask'],
    ['more', 'more'],
    ['code?', 'code'],
    ['github?', 'code'],
    ['code search papers', 'find'],
    ['show me more', 'more'],
    ['tell me more', 'paper'],
    ['link?', 'paper'],
    ['where was it published?', 'date'],
    ['which one is faster?', 'compare'],
    ['what do we have on coral reefs?', 'find'],
    ['what about rents in cities?', 'find'],
    // Questions about the paper in focus, whatever words they happen to use.
    ['how much does protein search improve', 'ask'],
    ['by how much does the error drop?', 'ask'],
    ['to what extent did the wages rise?', 'ask'],
    ['what else do they use to cut costs', 'ask'],
    ['which surveys do they compare with?', 'ask'],
    ['what else?', 'similar'],
    ['search for coral reefs', 'find'],
    ['coral bleaching papers?', 'find'],
    ['list all papers on coral reefs pls', 'find'],
    ['which of those report employment effects', 'find'],
    ['what sampling works best?', 'ask'],
    ['which one is cheaper to run on a phone?', 'ask'],
    ['first three - one line each?', 'paper'],
    ['is it in the collection?', 'paper'],
    ['the other one introduces a survey, right? what is it called', 'ask'],
    ["what's the GutSeq paper about", 'paper'],
    ['ways to track strains across samples?', 'find'],
  ])('%s → %s', (text, intent) => {
    expect(routeOf(text).intent).toBe(intent);
  });

  it('a few words with a question mark are a search when nothing is being discussed, a question when something is', () => {
    const read = readReference('strain tracking in soil?');
    expect(route('strain tracking in soil?', read.rest, { refers: false, names: 0 }).intent).toBe('find');
    expect(route('strain tracking in soil?', read.rest, { refers: false, names: 0, hasFocus: true }).intent).toBe('ask');
    expect(route('does tracking help?', 'does tracking help?', { refers: false, names: 0 }).intent).toBe('ask');
  });

  it('drops a trailing hedge before reading the message', () => {
    expect(withoutHedges("tell me about 'coral thresholds' or something like that")).toBe("tell me about 'coral thresholds'");
    expect(withoutHedges('papers on wages and rents, i think?')).toBe('papers on wages and rents?');
    expect(withoutHedges('anything like that')).toBe('anything like that');
  });

  it('extracts the search words without cue phrases', () => {
    expect(topicOf('is there anything on coral bleaching?')).toBe('coral bleaching');
    expect(topicOf('which papers use long-read sequencing?')).toBe('long-read sequencing');
    expect(topicOf('any papers on models that use long-read sequencing?')).toBe('models that use long-read sequencing');
    expect(routeOf('papers with code on protein stability').hasCode).toBe(true);
    expect(routeOf('papers with code on protein stability').topic).toBe('protein stability');
  });
});

