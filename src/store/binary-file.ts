/**
 * One file of named sections (typed arrays, string lists, small JSON values) that loads without
 * decoding: the file is read once and every array is a view into it. The index generation keeps
 * its derived data in such files (papers.bin, lexical.bin), so a start-up reads them instead of
 * re-deriving anything.
 *
 *   "PBBIN001" | u32 header length | JSON header {sections: {name: {type, offset, length, …}}} | pad to 8
 *   | sections, each at an offset that is a multiple of 8, little-endian
 *
 * A string list is one text (latin1 when every character fits, else UTF-8, or UTF-16 when the text
 * has lone surrogates that UTF-8 cannot keep) plus the offsets of its strings, in UTF-16 code units:
 * reading decodes the text once and slices it. Every offset and length is checked against the file, so
 * a truncated or garbage file throws (the caller rebuilds) instead of serving nonsense.
 */
import { readFileSync } from 'node:fs';

const MAGIC = 'PBBIN001';
const HEADER_START = MAGIC.length + 4;

type ArrayType = 'u8' | 'u16' | 'u32' | 'i32' | 'f32' | 'f64';
type Typed = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
const ARRAY_TYPES: Record<ArrayType, { new (buffer: ArrayBuffer, offset: number, length: number): Typed; BYTES_PER_ELEMENT: number }> = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  f64: Float64Array,
};
type Encoding = 'latin1' | 'utf8' | 'utf16le';

type Section =
  | { type: ArrayType; offset: number; length: number }
  | { type: 'strings'; offset: number; length: number; encoding: Encoding; offsets: string }
  | { type: 'json'; value: unknown };

function typeOf(array: Typed): ArrayType {
  if (array instanceof Uint8Array) return 'u8';
  if (array instanceof Uint16Array) return 'u16';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Float32Array) return 'f32';
  return 'f64';
}

export class BinaryWriter {
  private readonly sections: Record<string, Section> = {};
  private readonly parts: Buffer[] = [];
  private size = 0;

  array(name: string, array: Typed): this {
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    this.sections[name] = { type: typeOf(array), offset: this.append(bytes), length: array.length };
    return this;
  }

  /** A list of strings, stored as one text and its offsets. */
  strings(name: string, list: readonly string[]): this {
    const offsets = new Uint32Array(list.length + 1);
    let at = 0;
    list.forEach((s, i) => (offsets[i + 1] = at += s.length));
    if (at > 0xffffffff) throw new Error(`${name}: text too long for one section`);
    const text = list.join('');
    // eslint-disable-next-line no-control-regex
    const encoding: Encoding = /^[\u0000-\u00ff]*$/.test(text) ? 'latin1' : (text as string & { isWellFormed(): boolean }).isWellFormed() ? 'utf8' : 'utf16le';
    const bytes = Buffer.from(text, encoding);
    this.array(`${name}#offsets`, offsets);
    this.sections[name] = { type: 'strings', offset: this.append(bytes), length: bytes.length, encoding, offsets: `${name}#offsets` };
    return this;
  }

  json(name: string, value: unknown): this {
    this.sections[name] = { type: 'json', value };
    return this;
  }

  toBuffer(): Buffer {
    const header = Buffer.from(JSON.stringify({ sections: this.sections }));
    const start = align8(HEADER_START + header.length);
    const prefix = Buffer.alloc(start);
    prefix.write(MAGIC, 0, 'latin1');
    prefix.writeUInt32LE(header.length, MAGIC.length);
    header.copy(prefix, HEADER_START);
    return Buffer.concat([prefix, ...this.parts]);
  }

  /** Appends bytes at the next multiple of 8 (relative to the data start); returns their offset. */
  private append(bytes: Buffer): number {
    const offset = this.size;
    this.parts.push(bytes);
    this.size += bytes.length;
    const pad = align8(this.size) - this.size;
    if (pad) {
      this.parts.push(Buffer.alloc(pad));
      this.size += pad;
    }
    return offset;
  }
}

export class BinaryReader {
  private constructor(
    private readonly buffer: ArrayBuffer,
    private readonly bytes: Buffer,
    private readonly dataStart: number,
    private readonly sections: Record<string, Section>,
  ) {}

  /** Reads and checks a file written by BinaryWriter; throws when it is not one or is damaged. */
  static read(file: string): BinaryReader {
    return BinaryReader.from(readFileSync(file), file);
  }

  static from(input: Buffer, name = 'binary file'): BinaryReader {
    // Views need an aligned, unshared buffer: a large readFileSync gives one; copy otherwise.
    const bytes = input.byteOffset % 8 === 0 && input.buffer.byteLength === input.byteLength ? input : Buffer.from(input);
    if (bytes.length < HEADER_START || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error(`${name} is not a paperbot index file`);
    const headerLength = bytes.readUInt32LE(MAGIC.length);
    if (HEADER_START + headerLength > bytes.length) throw new Error(`${name} is truncated (header)`);
    let header: { sections?: Record<string, Section> };
    try {
      header = JSON.parse(bytes.toString('utf8', HEADER_START, HEADER_START + headerLength)) as typeof header;
    } catch {
      throw new Error(`${name} has a damaged header`);
    }
    const dataStart = align8(HEADER_START + headerLength);
    const sections = header.sections ?? {};
    for (const [key, s] of Object.entries(sections)) {
      if (s.type === 'json') continue;
      const size = s.type === 'strings' ? s.length : s.length * (ARRAY_TYPES[s.type]?.BYTES_PER_ELEMENT ?? NaN);
      if (!(Number.isInteger(s.offset) && s.offset >= 0 && s.offset % 8 === 0 && Number.isInteger(size) && dataStart + s.offset + size <= bytes.length)) {
        throw new Error(`${name} is truncated or damaged (section ${key})`);
      }
    }
    return new BinaryReader(bytes.buffer as ArrayBuffer, bytes, bytes.byteOffset + dataStart, sections);
  }

  has(name: string): boolean {
    return name in this.sections;
  }

  private section(name: string): Section {
    const s = this.sections[name];
    if (!s) throw new Error(`index file has no section ${name}`);
    return s;
  }

  /** A view into the file (no copy). */
  array<T extends Typed>(name: string, type: ArrayType): T {
    const s = this.section(name);
    if (s.type !== type) throw new Error(`section ${name} holds ${s.type}, not ${type}`);
    return new ARRAY_TYPES[type](this.buffer, this.dataStart + s.offset, s.length) as T;
  }

  u8 = (name: string) => this.array<Uint8Array>(name, 'u8');
  u16 = (name: string) => this.array<Uint16Array>(name, 'u16');
  u32 = (name: string) => this.array<Uint32Array>(name, 'u32');
  i32 = (name: string) => this.array<Int32Array>(name, 'i32');
  f32 = (name: string) => this.array<Float32Array>(name, 'f32');
  f64 = (name: string) => this.array<Float64Array>(name, 'f64');

  /** The list of strings (each a slice of one decoded text). */
  strings(name: string): string[] {
    const { text, offsets } = this.stringTable(name);
    const out = new Array<string>(offsets.length - 1);
    for (let i = 0; i < out.length; i++) out[i] = text.slice(offsets[i]!, offsets[i + 1]!);
    return out;
  }

  /** The decoded text of a string list and its offsets, for callers that slice it themselves. */
  stringTable(name: string): { text: string; offsets: Uint32Array } {
    const s = this.section(name);
    if (s.type !== 'strings') throw new Error(`section ${name} is not a string list`);
    const start = this.dataStart - this.bytes.byteOffset + s.offset;
    const text = this.bytes.toString(s.encoding, start, start + s.length);
    const offsets = this.u32(s.offsets);
    if (offsets.length === 0 || offsets[offsets.length - 1] !== text.length) throw new Error(`section ${name} is damaged (string offsets)`);
    for (let i = 1; i < offsets.length; i++) if (offsets[i]! < offsets[i - 1]!) throw new Error(`section ${name} is damaged (string offsets)`);
    return { text, offsets };
  }

  json<T>(name: string): T {
    const s = this.section(name);
    if (s.type !== 'json') throw new Error(`section ${name} is not JSON`);
    return s.value as T;
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
