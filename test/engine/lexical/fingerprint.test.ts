import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lexicalFingerprint, sourceFingerprint } from '../../../src/engine/lexical/fingerprint.js';
import { vocabularyFilesHash } from '../../../src/engine/vocab/files.js';

describe('sourceFingerprint', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperbot-fingerprint-'));
    mkdirSync(path.join(dir, 'lexical', 'deeper'), { recursive: true });
    writeFileSync(path.join(dir, 'engine.ts'), 'export const a = 1;\n');
    writeFileSync(path.join(dir, 'lexical', 'scoring.ts'), 'export const k1 = 2;\n');
    writeFileSync(path.join(dir, 'lexical', 'deeper', 'idf.ts'), 'export const idf = 0;\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('changes when a module in a subfolder changes', () => {
    const before = sourceFingerprint(dir, '.ts');
    writeFileSync(path.join(dir, 'lexical', 'scoring.ts'), 'export const k1 = 1.2;\n');
    const afterSub = sourceFingerprint(dir, '.ts');
    expect(afterSub).not.toBe(before);
    writeFileSync(path.join(dir, 'lexical', 'deeper', 'idf.ts'), 'export const idf = 1;\n');
    expect(sourceFingerprint(dir, '.ts')).not.toBe(afterSub);
  });

  it('changes when a module is added to or moved between subfolders', () => {
    const before = sourceFingerprint(dir, '.ts');
    writeFileSync(path.join(dir, 'lexical', 'feedback.ts'), 'export const terms = 8;\n');
    const added = sourceFingerprint(dir, '.ts');
    expect(added).not.toBe(before);
    rmSync(path.join(dir, 'lexical', 'feedback.ts'));
    writeFileSync(path.join(dir, 'feedback.ts'), 'export const terms = 8;\n');
    expect(sourceFingerprint(dir, '.ts')).not.toBe(added);
  });

  it('reads only modules of the given extension and is stable', () => {
    const before = sourceFingerprint(dir, '.ts');
    writeFileSync(path.join(dir, 'lexical', 'scoring.js.map'), '{}');
    writeFileSync(path.join(dir, 'lexical', 'notes.md'), 'notes');
    expect(sourceFingerprint(dir, '.ts')).toBe(before);
    const js = sourceFingerprint(dir, '.js');
    writeFileSync(path.join(dir, 'lexical', 'scoring.js'), 'export const k1 = 2;\n');
    expect(sourceFingerprint(dir, '.js')).not.toBe(js);
    expect(sourceFingerprint(dir, '.ts')).toBe(before);
  });
});

describe('lexicalFingerprint', () => {
  it('covers the whole engine folder, subfolders included, and the vocabulary files', () => {
    const engineDir = fileURLToPath(new URL('../../../src/engine', import.meta.url));
    expect(lexicalFingerprint()).toBe(`${sourceFingerprint(engineDir, '.ts')}-${vocabularyFilesHash()}`);
  });
});
