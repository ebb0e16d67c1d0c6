#!/usr/bin/env node
// npm run build:wasm — assembles every WebAssembly text file (src/**/*.wat) into the .wasm beside it,
// with wabt (the WebAssembly Binary Toolkit compiled to JavaScript; a devDependency). The .wasm files
// are committed, so nobody needs wabt to build or run paperbot; test/store/kernels.test.ts checks that
// each committed .wasm is what its .wat assembles to.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Relative paths of the .wat files under src/. */
export function watFiles(dir = path.join(ROOT, 'src')) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...watFiles(full));
    else if (entry.name.endsWith('.wat')) out.push(path.relative(ROOT, full));
  }
  return out.sort();
}

/** wabt's assembler, or null when the package is not installed. */
export async function loadWabt() {
  try {
    const init = (await import('wabt')).default;
    return await init();
  } catch {
    return null;
  }
}

/** The binary module a .wat text assembles to (SIMD on; no debug names, so the output is stable). */
export function assemble(wabt, name, text) {
  const module = wabt.parseWat(name, text, { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wabt = await loadWabt();
  if (!wabt) {
    console.error('build:wasm needs the wabt package: npm install --save-dev --save-exact wabt@1.0.39');
    process.exit(1);
  }
  for (const file of watFiles()) {
    const out = file.replace(/\.wat$/, '.wasm');
    const bytes = assemble(wabt, file, readFileSync(path.join(ROOT, file), 'utf8'));
    writeFileSync(path.join(ROOT, out), bytes);
    console.log(`${file} → ${out} (${bytes.length} bytes)`);
  }
}
