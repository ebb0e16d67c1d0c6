/**
 * Holds the index lock of a folder in a separate process: prints "locked" once it has it, holds it
 * for HOLD_MS (default: for ever, until killed), prints "released".
 *   node --import tsx test/helpers/build-lock-child.ts <indexDir> [holdMs]
 */
import { withBuildLock } from '../../src/store/build-lock.js';

const [dir, hold] = process.argv.slice(2);
await withBuildLock(dir!, async () => {
  process.stdout.write('locked\n');
  await new Promise((resolve) => setTimeout(resolve, hold ? Number(hold) : 2 ** 31 - 1));
});
process.stdout.write('released\n');
