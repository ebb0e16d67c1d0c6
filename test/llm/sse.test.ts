import { describe, expect, it } from 'vitest';
import { SseReader } from '../../src/llm/sse.js';

function readAll(pieces: string[]): { events: string[]; pending: string | undefined } {
  const reader = new SseReader();
  const events = pieces.flatMap((p) => reader.push(p));
  return { events, pending: reader.end() };
}

const WIRE = [
  ': keep-alive',
  '',
  'data: {"a":1}',
  '',
  'event: message',
  'id: 7',
  'retry: 1000',
  'data:{"b":"é, 漢字 and 🎉"}',
  '',
  'data: line one',
  'data: line two',
  '',
  ':another comment',
  'data: [DONE]',
  '',
  '',
];
const EXPECTED = ['{"a":1}', '{"b":"é, 漢字 and 🎉"}', 'line one\nline two', '[DONE]'];

describe('SseReader', () => {
  for (const [name, nl] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
    it(`reads ${name} streams split at every position`, () => {
      const wire = WIRE.join(nl);
      expect(readAll([wire]).events).toEqual(EXPECTED);
      for (let i = 0; i <= wire.length; i++) {
        expect(readAll([wire.slice(0, i), wire.slice(i)]).events, `split at ${i}`).toEqual(EXPECTED);
      }
    });
  }

  it('reads a stream delivered one character at a time', () => {
    const wire = WIRE.join('\r\n');
    expect(readAll([...wire]).events).toEqual(EXPECTED);
  });

  it('does not dispatch an event whose blank line never came, but hands it to end()', () => {
    const { events, pending } = readAll(['data: {"a":1}\n\ndata: {"torn"']);
    expect(events).toEqual(['{"a":1}']);
    expect(pending).toBe('{"torn"');
  });

  it('treats a CR at the end of one chunk and LF at the start of the next as one line end', () => {
    const { events } = readAll(['data: x\r', '\n\r', '\ndata: y\r\n\r\n']);
    expect(events).toEqual(['x', 'y']);
  });

  it('keeps a value without the optional space and a field with no colon as empty data', () => {
    expect(readAll(['data:x\n\ndata\n\n']).events).toEqual(['x', '']);
  });
});
