/**
 * The index lock (src/store/index-lock.ts) and the two interleavings it closes: another process
 * making its generation live while our sweep runs (the sweep deleted it), and our sweep deleting
 * another process's CURRENT.tmp-* between its write and its rename (its commit failed).
 * "Another process" is a real child (test/helpers/index-commit-child.ts), driven step by step.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commitGeneration, inspectCurrentGeneration } from '../../src/store/index-dir.js';
import { IndexLockedError, LOCK_FILE, withIndexLock } from '../../src/store/index-lock.js';
import { buildSyntheticGeneration } from './synthetic.js';

const CHILD = path.join(process.cwd(), 'test/helpers/index-commit-child.ts');
let indexDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  indexDir = await mkdtemp(path.join(tmpdir(), 'pb-lock-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await rm(indexDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const buildGeneration = (count: number) => buildSyntheticGeneration(indexDir, count);

/** The child, with a way to wait for its lines and to send it cues. */
function otherProcess(mode?: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, indexDir, ...(mode ? [mode] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const l of [...listeners]) l();
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    exited,
    output: () => out,
    send: (line: string) => child.stdin!.write(`${line}\n`),
    /** Resolves with the first output line matching, or null after `timeoutMs`. */
    line: (re: RegExp, timeoutMs = 15_000) =>
      new Promise<RegExpExecArray | null>((resolve) => {
        const check = () => {
          const m = out.split('\n').map((l) => re.exec(l)).find(Boolean);
          if (m) done(m);
        };
        const timer = setTimeout(() => done(null), timeoutMs);
        const done = (v: RegExpExecArray | null) => {
          clearTimeout(timer);
          listeners.delete(check);
          resolve(v);
        };
        listeners.add(check);
        check();
      }),
  };
}

describe('interleavings with another process', () => {
  it('our sweep reads CURRENT, then the other process makes its generation live: the sweep must not delete it', async () => {
    const other = otherProcess();
    const otherGen = (await other.line(/^built (.+)$/))![1]!;
    await commitGeneration(indexDir, await buildGeneration(2));
    const ours = await buildGeneration(3);

    // Right after our sweep has read CURRENT, the other process commits (and we give it 1.5 s to finish).
    const readFile = fsp.readFile.bind(fsp);
    let armed = true;
    vi.spyOn(fsp, 'readFile').mockImplementation((async (file: Parameters<typeof readFile>[0], options?: Parameters<typeof readFile>[1]) => {
      const result = await readFile(file, options);
      if (armed && String(file) === path.join(indexDir, 'CURRENT')) {
        armed = false;
        other.send('commit');
        await other.line(/^(committed|failed)/, 1500);
      }
      return result;
    }) as typeof fsp.readFile);
    await commitGeneration(indexDir, ours);
    vi.restoreAllMocks();

    expect(await other.exited, other.output()).toBe(0);
    const live = await inspectCurrentGeneration(indexDir);
    expect(live.problem).toBeUndefined();
    expect(live.generation?.dir).toBe(otherGen); // committed last, and still there
    expect(await readdir(indexDir)).not.toContain(LOCK_FILE);
  });

  it("our sweep runs while the other process is between writing CURRENT.tmp and renaming it: its commit must not fail", async () => {
    const other = otherProcess('pause-rename');
    await other.line(/^built /);
    other.send('commit');
    expect(await other.line(/^tmp-written$/)).not.toBeNull();
    const ours = await buildGeneration(3);
    const committing = commitGeneration(indexDir, ours);
    await sleep(300);
    other.send('go');
    await committing;
    expect(await other.exited, other.output()).toBe(0);
    const live = await inspectCurrentGeneration(indexDir);
    expect(live.generation?.dir).toBe(ours);
    expect((await readdir(indexDir)).filter((f) => f.startsWith('CURRENT.tmp-'))).toEqual([]);
  });
});

describe('the lock file', () => {
  const lockFile = () => path.join(indexDir, LOCK_FILE);
  const holder = (over: Record<string, unknown>) => JSON.stringify({ pid: process.pid, host: hostname(), token: 'x', since: '2026-01-01T00:00:00Z', ...over });

  it('is taken, released, and serialises commits in one process', async () => {
    const a = await buildGeneration(1);
    const b = await buildGeneration(2);
    await Promise.all([commitGeneration(indexDir, a), commitGeneration(indexDir, b)]);
    const live = await inspectCurrentGeneration(indexDir);
    expect([a, b]).toContain(live.generation?.dir);
    expect((await readdir(indexDir)).sort()).toEqual(['CURRENT', path.basename(live.generation!.dir)]);
  });

  it('a lock left by a dead process (kill -9) is broken at once', async () => {
    await writeFile(lockFile(), holder({ pid: 999_999_999 }));
    const started = Date.now();
    expect(await withIndexLock(indexDir, async () => 'ran')).toBe('ran');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await readdir(indexDir)).toEqual([]);
  });

  it('a lock with our pid that this process does not hold (pid reuse after a restart) is broken', async () => {
    await writeFile(lockFile(), holder({ token: 'from-an-earlier-life' }));
    expect(await withIndexLock(indexDir, async () => 'ran')).toBe('ran');
  });

  it('a live holder is waited for; after the timeout, IndexLockedError names it and the file to delete', async () => {
    await writeFile(lockFile(), holder({ pid: process.ppid, token: 'parent' }));
    const waits: unknown[] = [];
    const err = await withIndexLock(indexDir, async () => 'ran', { timeoutMs: 300, onWait: (h) => waits.push(h) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IndexLockedError);
    expect((err as Error).message).toContain(`pid ${process.ppid} on ${hostname()}`);
    expect((err as Error).message).toContain(lockFile());
    expect(waits).toHaveLength(1);
    // Released by its holder meanwhile → taken.
    setTimeout(() => void rm(lockFile()), 100);
    expect(await withIndexLock(indexDir, async () => 'ran', { timeoutMs: 5000 })).toBe('ran');
  });

  it("another host's lock is waited for while young and broken once abandoned (10 min); so is an unreadable one", async () => {
    await writeFile(lockFile(), holder({ host: 'other-host', pid: 1 }));
    await expect(withIndexLock(indexDir, async () => 'ran', { timeoutMs: 200 })).rejects.toThrow(/on other-host/);
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(lockFile(), old, old);
    expect(await withIndexLock(indexDir, async () => 'ran', { timeoutMs: 200 })).toBe('ran');

    await writeFile(lockFile(), ''); // killed between create and write
    await expect(withIndexLock(indexDir, async () => 'ran', { timeoutMs: 200 })).rejects.toThrow(IndexLockedError);
    const aged = new Date(Date.now() - 10_000);
    await utimes(lockFile(), aged, aged);
    expect(await withIndexLock(indexDir, async () => 'ran', { timeoutMs: 200 })).toBe('ran');
  });

  it('is released when the work throws', async () => {
    await expect(withIndexLock(indexDir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await readdir(indexDir)).toEqual([]);
  });
});
