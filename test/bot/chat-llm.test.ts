/**
 * Generated answers (LLM_*) in Discord, against a fake OpenAI-compatible server: the answer
 * streams into the message with throttled edits (about one a second, measured on the fake
 * Discord's edit times), falls back to the extractive answer when the model is too slow,
 * and carries the conversation to the model.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LlmAnswerer, type GenerativeOptions } from '../../src/llm/answerers.js';
import { OpenAiCompatibleLlm } from '../../src/llm/openai-compatible.js';
import type { MessageEdit } from '../fake-discord/index.js';
import { startFakeOpenAi, userPrompt, type FakeOpenAi } from '../fakes/openai.js';
import { botMessages, startChatBot, waitForBotMessage, waitForDone, type ChatBot } from './chat-harness.js';

const KEY = 'sk-chat-llm-test-0a1b2c3d4e5f';
const QUESTION = 'how does GutSeq resolve bacterial strains?';
const ANSWER = 'GutSeq sequences long reads straight from stool samples [1]. That resolves strains and assembles complete genomes [1].';
/** The model's timeout for the fallback test; the others stay relaxed for a loaded machine. */
const TIMEOUT_MS = 1000;
/** Edits are throttled to one a second; fake-Discord time stamps add request jitter on top. */
const MIN_GAP_MS = 750;

let openai: FakeOpenAi;
let c: ChatBot;
let generative: GenerativeOptions;
let slow: GenerativeOptions;

beforeAll(async () => {
  openai = await startFakeOpenAi({ apiKey: KEY, models: ['fake-model'] });
  const llm = (timeoutMs: number) => OpenAiCompatibleLlm.create({ baseUrl: openai.baseUrl, model: 'fake-model', apiKey: KEY, timeoutMs });
  generative = { llm: llm(10_000), timeoutMs: 10_000 };
  slow = { llm: llm(TIMEOUT_MS), timeoutMs: TIMEOUT_MS };
  c = await startChatBot({ answerer: new LlmAnswerer(generative), llm: generative });
});

afterAll(async () => {
  await c?.stop();
  await openai?.close();
});

afterEach(() => openai.reset());

let userSeq = 0n;
const newUser = () => ({ id: String(600000000000000000n + ++userSeq), username: `llm${userSeq}` });

/** Edits that showed partial text (the streaming mark), then the final one. */
function splitEdits(edits: MessageEdit[]): { partial: MessageEdit[]; final: MessageEdit } {
  return { partial: edits.slice(0, -1), final: edits.at(-1)! };
}

function expectThrottled(partial: MessageEdit[], streamedForMs: number): void {
  for (let i = 1; i < partial.length; i++) expect(partial[i]!.at - partial[i - 1]!.at).toBeGreaterThanOrEqual(MIN_GAP_MS);
  expect(partial.length).toBeLessThanOrEqual(Math.ceil(streamedForMs / 1000) + 1);
}

describe('a mention answered by the model', () => {
  it('streams into one message, at most about one edit a second, then the final answer with its sources', async () => {
    // About 2.5 s of streaming: 30 pieces, 85 ms apart.
    openai.script({ kind: 'reply', text: ANSWER, chunkSize: 4, delayMs: 85 });
    const question = c.fake.userMessage({ author: newUser(), mentionsBot: true, content: QUESTION });
    const started = Date.now();
    const log = await waitForDone(c.logLines, question.id, 15_000);
    const streamedFor = Date.now() - started;
    expect(log.answeredBy).toMatchObject({ path: 'llm', model: 'fake-model' });
    expect(log.partialEdits).toBeGreaterThanOrEqual(2);

    const [reply, ...others] = botMessages(c.fake, question.id).filter((m) => m.type === 0);
    expect(others).toEqual([]); // one message, edited
    expect(reply!.content).toContain('GutSeq sequences long reads straight from stool samples \\[1\\]');
    expect(reply!.content).toMatch(/\nSources?:\n\\\[1\\\] GutSeq/);
    expect(reply!.embeds[0].title).toMatch(/^1\. GutSeq/);
    const { partial, final } = splitEdits(c.fake.messageEdits(reply!.id));
    expect(partial.length).toBeGreaterThanOrEqual(1);
    for (const e of partial) expect(e.body.content).toMatch(/ …$/);
    expect(final.body.content).not.toMatch(/ …$/);
    expectThrottled(partial, streamedFor);
    expect(final.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('a follow-up carries the conversation to the model', async () => {
    const author = newUser();
    openai.script({ kind: 'reply', text: ANSWER }, { kind: 'reply', text: 'It assembles complete genomes for most abundant species [1].' });
    const question = c.fake.userMessage({ author, mentionsBot: true, content: QUESTION });
    await waitForBotMessage(c.fake, question.id);
    await waitForDone(c.logLines, question.id, 15_000);
    const follow = c.fake.userMessage({ channelId: question.id, author, mentionsBot: true, content: 'how complete are its genome assemblies?' });
    const log = await waitForDone(c.logLines, follow.id, 15_000);
    expect(log.answeredBy).toMatchObject({ path: 'llm' });
    const prompt = userPrompt(openai.chatRequests().at(-1)!);
    expect(prompt).toContain(QUESTION);
    expect(prompt).toContain('GutSeq sequences long reads');
  });
});

describe('when the model is too slow', () => {
  it('answers extractively within LLM_TIMEOUT_MS, and logs why', async () => {
    const fallback = await startChatBot({ answerer: new LlmAnswerer(slow), llm: slow });
    try {
      openai.script({ kind: 'black-hole' });
      const question = fallback.fake.userMessage({ mentionsBot: true, content: QUESTION });
      const started = Date.now();
      const reply = await waitForBotMessage(fallback.fake, question.id, { timeoutMs: 10_000 });
      const tookMs = Date.now() - started;
      expect(tookMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(tookMs).toBeLessThan(TIMEOUT_MS + 2500);
      expect(reply.content).toContain('\\[1\\]');
      const log = await waitForDone(fallback.logLines, question.id);
      expect(log.answeredBy).toMatchObject({ path: 'extractive', reason: 'timeout', model: 'fake-model' });
    } finally {
      await fallback.stop();
    }
  });
});

describe('/ask with the model', () => {
  it('streams into the "thinking…" message with throttled edits, then the answer embed naming the model', async () => {
    openai.script({ kind: 'reply', text: ANSWER, chunkSize: 4, delayMs: 85 });
    const started = Date.now();
    const ex = c.fake.slashCommand('ask', { question: QUESTION }, { userId: newUser().id });
    const final = await ex.waitForFinal((m) => (m.embeds?.length ?? 0) > 0);
    const streamedFor = Date.now() - started;
    expect(final.embeds[0]!.title).toBe('Answer');
    expect(final.embeds[0]!.description).toContain('GutSeq sequences long reads');
    expect(final.embeds[0]!.footer!.text).toContain('fake-model');
    const { partial } = splitEdits(c.fake.messageEdits(final.id));
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expectThrottled(partial, streamedFor);
    const log = c.logLines.find((l) => l.msg === 'ask answered');
    expect(log).toMatchObject({ path: 'llm', model: 'fake-model' });
  });
});
