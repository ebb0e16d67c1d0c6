#!/usr/bin/env node
// The paperbot CLI. Runs the compiled JavaScript in dist/ (built by `npm ci` through `prepare`, or by
// `npm run build`). In a checkout where dist/ is missing, or older than a file under src/ or commands/
// (you edited the code), it runs the TypeScript sources through tsx instead: always current, slower to start.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/src/cli/main.js`;

/** The newest modification time under `dir` (0 when it does not exist). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

function distIsCurrent() {
  const stamp = `${root}dist/BUILD_STAMP`;
  if (!existsSync(compiled) || !existsSync(stamp)) return false;
  return Math.max(newest(`${root}src`), newest(`${root}commands`)) <= statSync(stamp).mtimeMs;
}

if (distIsCurrent()) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
