#!/usr/bin/env node
// npm run build — and `npm ci`, through the `prepare` script: TypeScript → dist/ (tsc -p tsconfig.build.json),
// then what tsc does not carry over: the WebAssembly kernels (src/**/*.wasm) beside their modules, the engine's
// source fingerprint (so an index built by `tsx src/…` and one built by dist/ are recognised as the same code),
// and dist/BUILD_STAMP, which bin/paperbot.js compares with src/ to tell whether dist/ is current.
//
//   node scripts/build.mjs               build (fails when TypeScript is missing)
//   node scripts/build.mjs --if-possible what `prepare` runs: skips, with one line, where there is nothing to build
//                                        with (`npm ci --omit=dev` has no TypeScript; a Docker stage may have no src/)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const ifPossible = process.argv.includes('--if-possible');

function skip(why) {
  console.log(`paperbot: not building dist/ (${why}); bin/paperbot.js runs src/ through tsx until \`npm run build\``);
  process.exit(0);
}

let tsc;
try {
  tsc = createRequire(path.join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  if (ifPossible) skip('TypeScript is not installed, as with npm ci --omit=dev');
  console.error('paperbot: the build needs TypeScript (a devDependency): run npm ci');
  process.exit(1);
}
if (!existsSync(path.join(ROOT, 'src')) || !existsSync(path.join(ROOT, 'tsconfig.build.json'))) {
  if (ifPossible) skip('no src/ or tsconfig.build.json here');
  console.error('paperbot: nothing to build: src/ or tsconfig.build.json is missing');
  process.exit(1);
}

// From scratch: tsc never deletes the output of a source that is gone.
rmSync(DIST, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(full);
    else if (entry.name.endsWith('.wasm')) {
      const target = path.join(DIST, path.relative(ROOT, full));
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(full, target);
    }
  }
}
copyAssets(path.join(ROOT, 'src'));

// The fingerprint of the TypeScript sources that were compiled (src/engine/lexical/fingerprint.ts, its one home).
const fingerprint = await import(pathToFileURL(path.join(DIST, 'src/engine/lexical/fingerprint.js')).href);
fingerprint.writeBuildFingerprint(path.join(ROOT, 'src/engine'));
writeFileSync(path.join(DIST, 'BUILD_STAMP'), `${new Date().toISOString()}\n`);
console.log('paperbot: built dist/');
