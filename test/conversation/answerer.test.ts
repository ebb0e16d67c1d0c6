/** The conversation layer's seams for other front ends: an optional Answerer for ask-type turns, and record() for exchanges answered elsewhere. */
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/collection/types.js';
import { fixedClock } from '../../src/clock.js';
import { Conversations } from '../../src/conversation/conversations.js';
import { MemoryConversationStore } from '../../src/conversation/memory-store.js';
import type { Answerer, AnswererInput, ConversationTurnResult } from '../../src/conversation/types.js';
import { PaperEngine } from '../../src/engine/engine.js';
import { OTHER_FIELDS } from './helpers.js';

const engine = new PaperEngine({ papers: OTHER_FIELDS });
const [gutseq, strains, coral] = OTHER_FIELDS as [Paper, Paper, Paper];
const QUESTION = 'how does GutSeq resolve bacterial strains?';

function setup(answerer?: Answerer) {
  const errors: { stage: string }[] = [];
  const conversations = new Conversations({
    engine,
    store: new MemoryConversationStore(),
    clock: fixedClock('2026-01-15T10:00:00Z'),
    onError: (_err, context) => errors.push(context),
    ...(answerer ? { answerer } : {}),
  });
  return { conversations, errors };
}

/** Answers "from" `cite` (as a model would), recording what it was given. */
function fakeAnswerer(cite: () => Paper): Answerer & { calls: AnswererInput[] } {
  const calls: AnswererInput[] = [];
  return {
    calls,
    async answer(input) {
      calls.push(input);
      input.onPartial?.('Strains are resolved');
      const paper = cite();
      return { reply: `Written by a model [1].`, answered: true, citations: [{ n: 1, paper }], papers: [paper], kind: 'ask', answeredBy: { path: 'llm', model: 'm', tookMs: 1 } };
    },
  };
}

describe('an Answerer for ask-type turns', () => {
  it('is asked for questions only, with the cleaned question, the turns so far and the extractive papers as sources; partial text reaches the caller', async () => {
    const extractive = await setup().conversations.reply('c', QUESTION);
    expect(extractive.kind).toBe('ask');
    const answerer = fakeAnswerer(() => gutseq);
    const { conversations } = setup(answerer);
    await conversations.reply('c', 'anything on coral reefs?'); // a search: not the answerer's
    expect(answerer.calls).toHaveLength(0);
    const partials: string[] = [];
    const reply = await conversations.reply('c', `<@123456789012345678> **${QUESTION}**`, { onPartial: (t) => partials.push(t) });
    expect(reply.reply).toBe('Written by a model [1].');
    expect(reply.answeredBy).toEqual({ path: 'llm', model: 'm', tookMs: 1 });
    expect(partials).toEqual(['Strains are resolved']);
    const [call] = answerer.calls;
    expect(call!.question).toBe(QUESTION);
    expect(call!.turns.map((t) => t.role)).toEqual(['user', 'bot']);
    expect(call!.sources.length).toBeGreaterThan(0);
    expect(call!.sources.length).toBeLessThanOrEqual(5);
    expect(call!.sources[0]!.id).toBe(extractive.citations[0]?.paper.id ?? extractive.papers[0]!.id);
    expect(call!.extractive.kind).toBe('ask');
  });

  it('the papers the model cited come first in focus, and its text is what the conversation remembers', async () => {
    const answerer = fakeAnswerer(() => strains);
    const { conversations } = setup(answerer);
    await conversations.reply('c', QUESTION);
    const who = await conversations.reply('c', 'who wrote it?');
    expect(who.citations[0]!.paper.id).toBe(strains.id);
    expect(who.reply).toContain('C. Okafor');
    await conversations.reply('c', QUESTION);
    expect(answerer.calls[1]!.turns.some((t) => t.role === 'bot' && t.text === 'Written by a model [1].')).toBe(true);
  });

  it('an Answerer that throws costs nothing but the generated text: the extractive reply, and onError', async () => {
    const { conversations, errors } = setup({ answer: async () => Promise.reject(new Error('boom')) });
    const reply = await conversations.reply('c', QUESTION);
    expect(reply.kind).toBe('ask');
    expect(reply.reply).toContain('[1]');
    expect(errors).toEqual([expect.objectContaining({ stage: 'answerer' })]);
  });
});

describe('record(): an exchange answered elsewhere (/ask)', () => {
  it('becomes the conversation’s latest turn, so follow-ups point at its papers', async () => {
    const { conversations } = setup();
    const asked: ConversationTurnResult = { reply: 'Reefs bleach above a threshold [1].', answered: true, citations: [{ n: 1, paper: coral }], papers: [coral], kind: 'ask' };
    await conversations.record('ask-1', 'when do reefs bleach?', asked);
    const code = await conversations.reply('ask-1', 'does it have code?');
    expect(code.citations[0]!.paper.id).toBe(coral.id);
    await conversations.record('', 'ignored', asked); // an invalid id records nothing and does not throw
  });
});
