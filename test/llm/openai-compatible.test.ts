import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiCompatibleLlm } from '../../src/llm/openai-compatible.js';
import { LlmError, type ChatMessage } from '../../src/llm/types.js';
import { deadPort, timed, waitUntil } from './net-helpers.js';
import { messagesOf, startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';

const KEY = 'sk-test-9f8e7d6c5b4a39281706';
/** For the timing tests; everything else gets RELAXED so a loaded machine cannot fail it. */
const TIMEOUT = 300;
const RELAXED = 5000;
/** Generous for a loaded 2-core machine, small next to "hangs forever". */
const SLACK = 700;
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'What is in the box?' },
];

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY, models: ['fake-model'], echoKeyInErrors: true });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.reset();
});

function llm(overrides: Partial<Parameters<typeof OpenAiCompatibleLlm.create>[0]> = {}): OpenAiCompatibleLlm {
  return OpenAiCompatibleLlm.create({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: KEY, timeoutMs: RELAXED, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(LlmError);
    return err as LlmError;
  }
  throw new Error('expected the call to fail');
}



const TEXT = 'Über-efficient models: 漢字 and emoji 🎉 are kept whole [1].';

describe('OpenAiCompatibleLlm — streaming', () => {
  it('joins deltas split anywhere (1-char events, CRLF, keep-alives, 1-byte wire pieces inside UTF-8)', async () => {
    fake.script({ kind: 'reply', text: TEXT, chunkSize: 1, crlf: true, keepAlives: true, splitBytes: 1 });
    const seen: string[] = [];
    // Thousands of one-byte writes: a protocol test, not a timing one.
    const text = await llm().complete({ messages: MESSAGES, maxTokens: 200, temperature: 0.1 }, (soFar) => seen.push(soFar));
    expect(text).toBe(TEXT);
    expect(seen.at(-1)).toBe(TEXT);
    expect(seen.length).toBeGreaterThan(10);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.startsWith(seen[i - 1] ?? '')).toBe(true);
  });

  it('sends the protocol request: POST /v1/chat/completions, Bearer key, model, messages, stream, max_tokens, temperature', async () => {
    fake.script({ kind: 'reply', text: 'ok [1].' });
    await llm().complete({ messages: MESSAGES, maxTokens: 50, temperature: 0.3 });
    const [req] = fake.chatRequests();
    expect(req?.method).toBe('POST');
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.headers['content-type']).toContain('application/json');
    expect(req?.body).toMatchObject({ model: 'fake-model', stream: true, max_tokens: 50, temperature: 0.3 });
    expect(messagesOf(req!)).toEqual(MESSAGES);
  });

  it('sends no Authorization header without a key', async () => {
    const open = await startFakeOpenAi();
    try {
      const client = OpenAiCompatibleLlm.create({ baseUrl: `${open.baseUrl}/`, model: 'fake-model', timeoutMs: TIMEOUT });
      await client.complete({ messages: MESSAGES });
      expect(open.chatRequests()[0]?.headers.authorization).toBeUndefined();
    } finally {
      await open.close();
    }
  });

  it('accepts a finish_reason without [DONE], and a trailing usage chunk with no choices', async () => {
    fake.script({ kind: 'reply', text: 'first [1].', omitDone: true }, { kind: 'reply', text: 'second [1].', usageChunk: true });
    expect(await llm().complete({ messages: MESSAGES })).toBe('first [1].');
    expect(await llm().complete({ messages: MESSAGES })).toBe('second [1].');
  });

  it('returns the text cut by max_tokens (finish_reason "length")', async () => {
    fake.script({ kind: 'reply', text: 'one two three four five six' });
    expect(await llm().complete({ messages: MESSAGES, maxTokens: 3 })).toBe('one two three');
  });

  it('understands a server that answers a stream request with plain JSON', async () => {
    const body = { id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'plain [2].' }, finish_reason: 'stop' }] };
    fake.script({ kind: 'status', status: 200, rawBody: JSON.stringify(body), contentType: 'application/json' });
    expect(await llm().complete({ messages: MESSAGES })).toBe('plain [2].');
  });

  it('a slow first byte within the timeout is fine', async () => {
    fake.script({ kind: 'reply', text: 'late but fine [1].', firstByteDelayMs: TIMEOUT / 3 });
    expect(await llm({ timeoutMs: TIMEOUT * 3 }).complete({ messages: MESSAGES })).toBe('late but fine [1].');
  });
});

describe('OpenAiCompatibleLlm — non-streaming', () => {
  it('reads choices[0].message.content', async () => {
    fake.script({ kind: 'reply', text: TEXT });
    const client = llm({ stream: false });
    expect(await client.complete({ messages: MESSAGES })).toBe(TEXT);
    expect(fake.chatRequests()[0]?.body).toMatchObject({ stream: false });
  });

  it.each([
    ['malformed', { kind: 'malformed', text: TEXT, afterChars: 5 }],
    ['cut-off', { kind: 'cut-off', text: TEXT, afterChars: 5 }],
    ['timeout', { kind: 'stall', text: TEXT, afterChars: 5 }],
    ['empty', { kind: 'reply', text: '   ' }],
    ['refused', { kind: 'refusal-field', refusal: 'I will not help with that.' }],
    ['http', { kind: 'stream-error', text: TEXT, afterChars: 0, message: 'model crashed' }],
  ] as const)('maps a broken reply to %s', async (kind, script) => {
    fake.script(script);
    expect((await failure(llm({ stream: false, timeoutMs: TIMEOUT }).complete({ messages: MESSAGES }))).kind).toBe(kind);
  });
});

describe('OpenAiCompatibleLlm — failures', () => {
  it('429 → http with status and Retry-After', async () => {
    fake.script({ kind: 'status', status: 429, retryAfter: '2', message: 'Rate limit reached for requests' });
    const err = await failure(llm().complete({ messages: MESSAGES }));
    expect(err).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 2000 });
    expect(err.message).toContain('Rate limit reached');
  });

  it('500 and 503 (an HTML proxy page) → http with status', async () => {
    fake.script({ kind: 'status', status: 500 }, { kind: 'status', status: 503, rawBody: '<html><body><h1>Service Unavailable</h1></body></html>' });
    expect(await failure(llm().complete({ messages: MESSAGES }))).toMatchObject({ kind: 'http', status: 500 });
    const err = await failure(llm().complete({ messages: MESSAGES }));
    expect(err).toMatchObject({ kind: 'http', status: 503 });
    expect(err.message).toContain('Service Unavailable');
    expect(err.message).not.toContain('<h1>');
  });

  it('unknown model → http 404', async () => {
    expect(await failure(llm({ model: 'nope' }).complete({ messages: MESSAGES }))).toMatchObject({ kind: 'http', status: 404 });
  });

  it('malformed JSON in a chunk → malformed', async () => {
    fake.script({ kind: 'malformed', text: TEXT, afterChars: 10 });
    expect((await failure(llm().complete({ messages: MESSAGES }))).kind).toBe('malformed');
  });

  it('a 200 that is neither JSON nor an event stream → malformed', async () => {
    fake.script({ kind: 'status', status: 200, rawBody: '<html>login</html>' });
    expect((await failure(llm().complete({ messages: MESSAGES }))).kind).toBe('malformed');
  });

  it('socket closed before [DONE] → cut-off; a stream that ends cleanly without finish or [DONE] → cut-off', async () => {
    fake.script({ kind: 'cut-off', text: TEXT, afterChars: 12 }, { kind: 'reply', text: TEXT, omitDone: true, omitFinish: true });
    const seen: string[] = [];
    expect((await failure(llm().complete({ messages: MESSAGES }, (t) => seen.push(t)))).kind).toBe('cut-off');
    expect(seen.at(-1)).toBe(TEXT.slice(0, 12));
    expect((await failure(llm().complete({ messages: MESSAGES }))).kind).toBe('cut-off');
  });

  it('empty answer → empty (streamed nothing, or only white space)', async () => {
    fake.script({ kind: 'reply', text: '' }, { kind: 'reply', text: ' \n ' });
    expect((await failure(llm().complete({ messages: MESSAGES }))).kind).toBe('empty');
    expect((await failure(llm().complete({ messages: MESSAGES }))).kind).toBe('empty');
  });

  it("the API's refusal field or a content filter → refused", async () => {
    fake.script({ kind: 'refusal-field', refusal: 'I cannot help with that.' }, { kind: 'reply', text: 'partial', finishReason: 'content_filter' });
    expect((await failure(llm().complete({ messages: MESSAGES }))).kind).toBe('refused');
    expect((await failure(llm().complete({ messages: MESSAGES }))).kind).toBe('refused');
  });

  it('an error object inside the stream → http', async () => {
    fake.script({ kind: 'stream-error', text: TEXT, afterChars: 4, message: 'CUDA out of memory' });
    const err = await failure(llm().complete({ messages: MESSAGES }));
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(err.message).toContain('CUDA out of memory');
  });

  it("vLLM's top-level error object in a stream → http with its code", async () => {
    const wire = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: {"object":"error","message":"context too long","type":"BadRequestError","code":400}\n\n';
    const fetchStub: typeof fetch = async () => new Response(wire, { headers: { 'content-type': 'text/event-stream' } });
    const err = await failure(llm({ fetch: fetchStub }).complete({ messages: MESSAGES }));
    expect(err).toMatchObject({ kind: 'http', status: 400 });
    expect(err.message).toContain('context too long');
  });

  it('a slow first byte past the timeout → timeout', async () => {
    fake.script({ kind: 'reply', text: TEXT, firstByteDelayMs: TIMEOUT * 4 });
    const { value: err, ms } = await timed(() => failure(llm({ timeoutMs: TIMEOUT }).complete({ messages: MESSAGES })));
    expect(err.kind).toBe('timeout');
    expect(ms).toBeLessThan(TIMEOUT + SLACK);
  });

  it('a stream that stalls mid-way → timeout after the whole-call budget, and the connection is closed', async () => {
    fake.script({ kind: 'stall', text: TEXT, afterChars: 10, chunkSize: 2 });
    const seen: string[] = [];
    const { value: err, ms } = await timed(() => failure(llm({ timeoutMs: TIMEOUT }).complete({ messages: MESSAGES }, (t) => seen.push(t))));
    expect(err.kind).toBe('timeout');
    expect(seen.at(-1)).toBe(TEXT.slice(0, 10));
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT - 20);
    expect(ms).toBeLessThan(TIMEOUT + SLACK);
    await waitUntil(() => fake.chatRequests()[0]?.abandoned === true);
  });

  it('a black hole (accepts, never answers) → timeout', async () => {
    fake.script({ kind: 'black-hole' });
    const { value: err, ms } = await timed(() => failure(llm({ timeoutMs: TIMEOUT }).complete({ messages: MESSAGES })));
    expect(err.kind).toBe('timeout');
    expect(ms).toBeLessThan(TIMEOUT + SLACK);
    await waitUntil(() => fake.chatRequests()[0]?.abandoned === true);
  });

  it('connection refused → network, at once', async () => {
    const port = await deadPort();
    const client = OpenAiCompatibleLlm.create({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', apiKey: KEY, timeoutMs: 5000 });
    const { value: err, ms } = await timed(() => failure(client.complete({ messages: MESSAGES })));
    expect(err.kind).toBe('network');
    expect(err.message).toContain('ECONNREFUSED');
    expect(ms).toBeLessThan(2000);
  });

  it("the caller's signal → aborted", async () => {
    fake.script({ kind: 'stall', text: TEXT, afterChars: 3 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await failure(llm().complete({ messages: MESSAGES, signal: controller.signal }));
    expect(err.kind).toBe('aborted');
  });

  it('a reply larger than maxResponseBytes → malformed', async () => {
    fake.script({ kind: 'reply', text: 'x'.repeat(5000), chunkSize: 100 });
    expect((await failure(llm({ maxResponseBytes: 2000 }).complete({ messages: MESSAGES }))).kind).toBe('malformed');
  });

  it('never puts the API key into an error, even when the server echoes it', async () => {
    const wrong = 'sk-wrong-0123456789abcdef';
    const errors: LlmError[] = [];
    errors.push(await failure(llm({ apiKey: wrong }).complete({ messages: MESSAGES })));
    fake.script(
      { kind: 'status', status: 429, message: `Too many requests for key ${KEY}` },
      { kind: 'stream-error', text: TEXT, afterChars: 2, message: `bad key ${KEY}` },
      { kind: 'stall', text: TEXT, afterChars: 2 },
      { kind: 'malformed', text: TEXT, afterChars: 2 },
    );
    for (let i = 0; i < 4; i++) errors.push(await failure(llm({ timeoutMs: TIMEOUT }).complete({ messages: MESSAGES })));
    errors.push(await failure(OpenAiCompatibleLlm.create({ baseUrl: `http://127.0.0.1:${await deadPort()}/v1`, model: 'm', apiKey: KEY, timeoutMs: TIMEOUT }).complete({ messages: MESSAGES })));
    expect(errors.map((e) => e.kind)).toEqual(['http', 'http', 'http', 'timeout', 'malformed', 'network']);
    expect(errors[0]?.status).toBe(401);
    for (const err of errors) {
      for (const text of [err.message, String(err), err.stack ?? '', JSON.stringify(err)]) {
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(wrong);
      }
    }
    expect(errors[1]?.message).toContain('[REDACTED]');
  });
});

describe('OpenAiCompatibleLlm — setup', () => {
  it('lists the models', async () => {
    expect(await llm().models()).toEqual(['fake-model']);
  });

  it("keeps the base URL's query on every request but out of error messages", async () => {
    fake.script({ kind: 'reply', text: 'ok [1].' }, { kind: 'status', status: 500 });
    const client = llm({ baseUrl: `${fake.baseUrl}/?api-version=2024-06-01&sig=secret123` });
    await client.complete({ messages: MESSAGES });
    const err = await failure(client.complete({ messages: MESSAGES }));
    expect(fake.chatRequests()[0]?.query).toBe('?api-version=2024-06-01&sig=secret123');
    expect(err.message).not.toContain('secret123');
  });

  it('refuses a base URL with credentials or a non-http scheme', () => {
    expect(() => OpenAiCompatibleLlm.create({ baseUrl: 'http://u:p@127.0.0.1/v1', model: 'm', timeoutMs: 100 })).toThrow(/credentials/);
    expect(() => OpenAiCompatibleLlm.create({ baseUrl: 'file:///tmp', model: 'm', timeoutMs: 100 })).toThrow(/LLM_BASE_URL must be an http\(s\) URL/);
  });
});
