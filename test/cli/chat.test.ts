import { createInterface } from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseChatLine, runChat } from '../../src/cli/chat.js';
import { PaperEngine } from '../../src/engine/engine.js';
import { OTHER_FIELDS } from '../conversation/helpers.js';

const engine = new PaperEngine({ papers: OTHER_FIELDS });

function session() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines = createInterface({ input: stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const done = runChat(engine, { stdin, stdout }, { json: true });
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('no more output');
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  return { stdin, next, done };
}

describe('paperbot chat --json', () => {
  it('answers each line as soon as it is read, before the next line is written', async () => {
    const { stdin, next, done } = session();
    stdin.write(JSON.stringify({ conversation: 'c1', message: 'tell me about FoldNet' }) + '\n');
    const first = await next();
    expect(first).toMatchObject({ conversation: 'c1', answered: true, kind: 'paper' });
    expect(Object.keys(first)).toEqual(['conversation', 'reply', 'answered', 'kind', 'citations', 'papers']);
    expect((first.citations as { n: number; id: string; title: string }[])[0]).toEqual({ n: 1, id: OTHER_FIELDS[5]!.id, title: OTHER_FIELDS[5]!.title });

    // The follow-up is written only now, and depends on the first turn's context.
    stdin.write(JSON.stringify({ conversation: 'c1', message: 'does it have code?' }) + '\n');
    const second = await next();
    expect(second.reply).toContain('gitlab.com/example/foldnet');
    stdin.end();
    expect(await done).toBe(0);
  });

  it('keeps a context per conversation id and answers a malformed line with an error object, then goes on', async () => {
    const { stdin, next, done } = session();
    const send = (o: unknown) => stdin.write((typeof o === 'string' ? o : JSON.stringify(o)) + '\n');
    send({ conversation: 'a', message: 'tell me about GutSeq' });
    expect((await next()).kind).toBe('paper');
    send({ conversation: 'b', message: 'tell me about FoldNet' });
    await next();
    send('{not json');
    expect(await next()).toMatchObject({ conversation: null, error: expect.stringMatching(/not JSON/) });
    send({ conversation: 'a' });
    expect(await next()).toMatchObject({ conversation: 'a', error: expect.stringMatching(/message/) });
    send([1, 2]);
    expect((await next()).error).toBeDefined();
    send({ conversation: 'a', message: 'any code?' });
    expect((await next()).reply).toContain('github.com/example/gutseq');
    send({ conversation: 'b', message: 'any code?' });
    expect((await next()).reply).toContain('gitlab.com/example/foldnet');
    stdin.end();
    expect(await done).toBe(0);
  });

  it('reads the request shape strictly', () => {
    expect(parseChatLine('{"conversation": 7, "message": "hi"}')).toEqual({ conversation: '7', message: 'hi' });
    expect(parseChatLine('{"conversation": "", "message": "hi"}')).toMatchObject({ error: expect.any(String) });
    expect(parseChatLine('null')).toMatchObject({ error: expect.any(String) });
  });
});

describe('paperbot chat (interactive)', () => {
  it('holds one conversation and stops at quit', async () => {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (c) => (text += c.toString()));
    const code = await runChat(engine, { stdin: Readable.from(['tell me about FoldNet\n', 'does it have code?\n', 'quit\n', 'never read\n']), stdout });
    expect(code).toBe(0);
    expect(text).toContain('FoldNet: Predicting Protein Stability');
    expect(text).toContain('gitlab.com/example/foldnet');
    // A link longer than a line stands alone on its line, unbroken (so it can be clicked and copied).
    for (const line of text.split('\n')) if (!/^\s*https?:\/\/\S+$/.test(line)) expect([...line].length).toBeLessThanOrEqual(80);
  });
});
