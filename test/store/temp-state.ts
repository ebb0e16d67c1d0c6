import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { StateStore } from '../../src/store/state.js';

/** A fresh folder per test; `open()` state stores in it, all closed and removed after the test. */
export function tempStateStores(prefix: string): { dir(): string; open(path?: string): StateStore } {
  let dir = '';
  let stores: StateStore[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    stores = [];
  });
  afterEach(() => {
    for (const s of stores) s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    open(path = join(dir, 'state.db')) {
      const s = StateStore.open(path);
      stores.push(s);
      return s;
    },
  };
}

/** What `fn` threw (undefined when it did not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
