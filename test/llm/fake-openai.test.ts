import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';

// The fake must refuse what the real service refuses, or client bugs would pass unseen.
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: 'sk-fake-self-test' });
});
afterAll(async () => {
  await fake.close();
});

const auth = { authorization: 'Bearer sk-fake-self-test', 'content-type': 'application/json' };

async function post(body: string, headers: Record<string, string> = auth): Promise<{ status: number; json: any }> {
  const res = await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', headers, body });
  return { status: res.status, json: await res.json() };
}

describe('fake OpenAI server', () => {
  it('answers like the real API: a chat.completion with choices[0].message', async () => {
    const { status, json } = await post(JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }));
    expect(status).toBe(200);
    expect(json).toMatchObject({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }] });
  });

  it('refuses a missing key, bad JSON, no messages, a bad role, an unknown model and unknown routes', async () => {
    const ok = { model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] };
    expect((await post(JSON.stringify(ok), { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ model: 'fake-model', messages: [] }))).status).toBe(400);
    expect((await post(JSON.stringify({ model: 'fake-model', messages: [{ role: 'wizard', content: 'x' }] }))).status).toBe(400);
    const unknown = await post(JSON.stringify({ ...ok, model: 'gpt-9' }));
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('model_not_found');
    expect((await fetch(`${fake.baseUrl}/embeddings`, { method: 'POST', headers: auth, body: '{}' })).status).toBe(404);
  });

  it('streams role-first deltas, a finish_reason and [DONE]', async () => {
    fake.script({ kind: 'reply', text: 'abcdef', chunkSize: 4 });
    const res = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.slice(1, -1).map((c) => c.choices[0].delta.content)).toEqual(['abcd', 'ef']);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });
});
