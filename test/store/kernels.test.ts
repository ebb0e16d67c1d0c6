/**
 * The SIMD kernel ships as WebAssembly text (src/store/kernels/*.wat, the source) and its assembled
 * binary (*.wasm, what runs). The binary must be what the text assembles to; checking that needs
 * wabt (a devDependency; `npm run build:wasm` rebuilds the binaries).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, loadWabt, watFiles } from '../../scripts/build-wasm.mjs';
import { allocateRows, DOTS_WASM_URL } from '../../src/store/row-matrix.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const wabt = await loadWabt();

describe('WebAssembly kernels', () => {
  it('ships dots.wat with its assembled dots.wasm, a valid module exporting dots(q, m, n, vec4PerRow, out)', () => {
    expect(watFiles()).toContain('src/store/kernels/dots.wat');
    const module = new WebAssembly.Module(readFileSync(DOTS_WASM_URL));
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: 'dots', kind: 'function' }]);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  });

  it('every committed .wasm is what its .wat assembles to (wabt is a devDependency)', () => {
    expect(wabt, 'wabt is not installed: run npm ci').not.toBeNull();
    for (const file of watFiles()) {
      const built = assemble(wabt!, file, readFileSync(path.join(ROOT, file), 'utf8'));
      const committed = readFileSync(path.join(ROOT, file.replace(/\.wat$/, '.wasm')));
      expect(built.equals(committed), `${file} changed: run npm run build:wasm and commit the .wasm`).toBe(true);
    }
  });


  it('computes the dot products of the plain JS loop', () => {
    const dims = 10;
    const wasm = allocateRows(50, dims, 'simd');
    const js = allocateRows(50, dims, 'js');
    for (let r = 0; r < 50; r++) {
      const v = Array.from({ length: dims }, (_, d) => Math.cos(r + d * 3));
      wasm.setRow(r, v, 0.5);
      js.setRow(r, v, 0.5);
    }
    const q = Float32Array.from({ length: dims }, (_, d) => d - 4);
    const a = Array.from(wasm.scores(q));
    const b = Array.from(js.scores(q));
    a.forEach((x, i) => expect(x).toBeCloseTo(b[i]!, 4));
    expect(a.some((x) => Math.abs(x) > 0.1)).toBe(true);
  });
});
