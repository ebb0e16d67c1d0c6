import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildLockTimeoutError, buildLockHolder, withBuildLock } from '../../src/store/build-lock.js';

const CHILD = path.resolve(__dirname, '../helpers/build-lock-child.ts');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'paperbot-build-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function holder(holdMs?: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, ...(holdMs ? [String(holdMs)] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('locked')) resolve();
    });
    child.on('exit', () => reject(new Error(`lock child exited: ${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, locked, exited, output: () => out };
}

describe('build lock', () => {
  it('in one process: callers take turns, in order', async () => {
    const events: string[] = [];
    const work = (name: string, ms: number) =>
      withBuildLock(dir, async () => {
        events.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`${name}-`);
        return name;
      });
    expect(await Promise.all([work('a', 30), work('b', 5), work('c', 1)])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });

  it('a failing holder releases the lock', async () => {
    await expect(withBuildLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withBuildLock(dir, async () => 'next')).toBe('next');
    expect(await buildLockHolder(dir)).toBeUndefined();
  });

  it('across processes: waits for the other holder, then takes it', async () => {
    const other = holder(600);
    await other.locked;
    expect((await buildLockHolder(dir))?.pid).toBe(other.child.pid);
    let waited = false;
    const started = Date.now();
    await withBuildLock(dir, async () => undefined, { onWait: () => (waited = true), pollMs: 20 });
    expect(waited).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(300);
    await other.exited;
    expect(other.output()).toContain('released');
  });

  it('a holder killed with -9 does not block anyone: its lock is broken at once', async () => {
    const other = holder();
    await other.locked;
    other.child.kill('SIGKILL');
    await other.exited;
    expect(await buildLockHolder(dir), 'a dead holder is no holder').toBeUndefined();
    const started = Date.now();
    expect(await withBuildLock(dir, async () => 'mine', { pollMs: 20, timeoutMs: 5000 })).toBe('mine');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a holder on another host whose heartbeat stopped is broken after staleMs; a live one times out with its name', async () => {
    const lockDir = path.join(dir, '.build-lock');
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(path.join(lockDir, 'owner'), JSON.stringify({ pid: 1, host: 'elsewhere', token: 'abc', since: '2026-01-01T00:00:00Z' }));
    await expect(withBuildLock(dir, async () => 'x', { staleMs: 60_000, pollMs: 20, timeoutMs: 200 })).rejects.toThrow(BuildLockTimeoutError);
    await expect(withBuildLock(dir, async () => 'x', { staleMs: 60_000, pollMs: 20, timeoutMs: 200 })).rejects.toThrow(/process 1 on elsewhere/);
    const old = new Date(Date.now() - 120_000);
    utimesSync(path.join(lockDir, 'owner'), old, old);
    expect(await withBuildLock(dir, async () => 'taken', { staleMs: 60_000, pollMs: 20, timeoutMs: 2000 })).toBe('taken');
  });
});
