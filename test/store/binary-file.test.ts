import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter } from '../../src/store/binary-file.js';

describe('binary index files', () => {
  const strings = ['plain', '', 'café', 'emoji 🧪 and 中文', 'lone \ud800 surrogate'];

  it('round-trips arrays, string lists (any Unicode, lone surrogates too) and JSON', () => {
    const bytes = new BinaryWriter()
      .array('u32', Uint32Array.from([1, 2, 4000000000]))
      .array('f32', Float32Array.from([0.5, -1.25]))
      .strings('ascii', ['a', 'bc'])
      .strings('unicode', strings)
      .strings('wellFormed', strings.slice(0, 4))
      .json('meta', { n: 3, list: ['x'] })
      .toBuffer();
    const file = BinaryReader.from(bytes);
    expect([...file.u32('u32')]).toEqual([1, 2, 4000000000]);
    expect([...file.f32('f32')]).toEqual([0.5, -1.25]);
    expect(file.strings('ascii')).toEqual(['a', 'bc']);
    expect(file.strings('unicode')).toEqual(strings);
    expect(file.strings('wellFormed')).toEqual(strings.slice(0, 4));
    expect(file.json('meta')).toEqual({ n: 3, list: ['x'] });
    expect(() => file.u16('u32')).toThrow(/holds u32/);
  });

  it('refuses a truncated, garbage or foreign file instead of reading nonsense', () => {
    const bytes = new BinaryWriter().strings('s', ['hello', 'world']).array('a', Uint32Array.from([1, 2, 3])).toBuffer();
    expect(() => BinaryReader.from(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated or damaged/);
    expect(() => BinaryReader.from(bytes.subarray(0, 20))).toThrow(/truncated/);
    expect(() => BinaryReader.from(Buffer.from('{"papers":[]}'))).toThrow(/not a paperbot index file/);
    const garbage = Buffer.from(bytes);
    garbage.write('{"sections":{"a":{"type":"u32","offset":999999,"length":3}}}', 12);
    expect(() => BinaryReader.from(garbage)).toThrow();
  });
});
