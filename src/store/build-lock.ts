/**
 * The build lock: one index build at a time per INDEX_DIR, across processes (the bot, `paperbot
 * add`, `paperbot ingest`). Whoever holds it reads the collection, builds and commits a
 * generation, so the last commit always reflects every change committed to the state database
 * before its build started. (Held for a whole build; the short index lock around the flip of
 * CURRENT, if any, is taken inside it, never the other way round.)
 *
 *   <indexDir>/.build-lock/owner   {"pid", "host", "token", "since"}; its mtime is the holder's heartbeat
 *
 * Taking it is one rename of a prepared folder onto `.build-lock` (atomic: it fails while it
 * exists). A holder killed with -9 leaves the folder behind; it is broken (renamed aside, then
 * deleted) once its pid is gone on this host or its heartbeat is older than `staleMs`.
 * Within one process, callers queue on a promise chain before touching the file system.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

const LOCK_DIR = '.build-lock';
const OWNER_FILE = 'owner';

export interface BuildLockOptions {
  /** A lock whose heartbeat is older than this is abandoned. Default 60 s. */
  staleMs?: number;
  /** How often the holder refreshes its heartbeat. Default 5 s. */
  heartbeatMs?: number;
  /** How often a waiter looks again. Default 100 ms. */
  pollMs?: number;
  /** Give up waiting after this long. Default 15 min (a first build of a large collection with a model). */
  timeoutMs?: number;
  /** Told once when the lock is busy and we wait (for a log line). */
  onWait?: (holder: LockOwner | undefined) => void;
}

export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: string;
}

/** The build lock is held by someone else for longer than the caller wanted to wait. */
export class BuildLockTimeoutError extends Error {
  override readonly name = 'BuildLockTimeoutError';
}

const queues = new Map<string, Promise<unknown>>();
/** Tokens of the locks this process holds now (our pid on a lock we do not hold = a previous process's). */
const heldHere = new Set<string>();

/** Runs `fn` holding the build lock of `indexDir` (in this process and across processes). */
export async function withBuildLock<T>(indexDir: string, fn: () => Promise<T>, opts: BuildLockOptions = {}): Promise<T> {
  const key = path.resolve(indexDir);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    const release = await acquire(key, opts);
    try {
      return await fn();
    } finally {
      await release();
    }
  });
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** Who holds the lock now, if anyone alive does (a holder killed with -9 does not count). */
export async function buildLockHolder(indexDir: string, staleMs = 60_000): Promise<LockOwner | undefined> {
  const lockDir = path.join(path.resolve(indexDir), LOCK_DIR);
  const holder = await readOwner(lockDir);
  if (!holder || (await isAbandoned(lockDir, holder, staleMs))) return undefined;
  return holder;
}

async function acquire(indexDir: string, opts: BuildLockOptions): Promise<() => Promise<void>> {
  const staleMs = opts.staleMs ?? 60_000;
  const heartbeatMs = opts.heartbeatMs ?? 5000;
  const pollMs = opts.pollMs ?? 100;
  const deadline = Date.now() + (opts.timeoutMs ?? 15 * 60_000);
  const lockDir = path.join(indexDir, LOCK_DIR);
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  await fs.mkdir(indexDir, { recursive: true });
  let told = false;
  for (;;) {
    if (await tryTake(indexDir, lockDir, owner)) break;
    const holder = await readOwner(lockDir);
    if (await isAbandoned(lockDir, holder, staleMs)) {
      await breakLock(indexDir, lockDir, holder);
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process';
      throw new BuildLockTimeoutError(`the index in ${indexDir} is being built by ${who}; try again when it is done`);
    }
    if (!told) {
      told = true;
      opts.onWait?.(holder);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  heldHere.add(owner.token);
  const ownerFile = path.join(lockDir, OWNER_FILE);
  const heartbeat = setInterval(() => {
    const now = new Date();
    void fs.utimes(ownerFile, now, now).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    heldHere.delete(owner.token);
    // Only our own lock: a waiter may have broken it (we looked dead) and taken it since.
    const current = await readOwner(lockDir);
    if (current?.token === owner.token) await breakLock(indexDir, lockDir, current);
  };
}

/** Prepare `.build-lock-<token>/owner`, then rename it onto `.build-lock`: fails (false) while the lock exists. */
async function tryTake(indexDir: string, lockDir: string, owner: LockOwner): Promise<boolean> {
  const staging = path.join(indexDir, `${LOCK_DIR}-${owner.token}-${randomBytes(3).toString('hex')}`);
  await fs.mkdir(staging);
  try {
    await fs.writeFile(path.join(staging, OWNER_FILE), JSON.stringify(owner));
    await fs.rename(staging, lockDir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM' || code === 'EISDIR') return false;
    throw err;
  } finally {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function readOwner(lockDir: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await fs.readFile(path.join(lockDir, OWNER_FILE), 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.token === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

async function isAbandoned(lockDir: string, holder: LockOwner | undefined, staleMs: number): Promise<boolean> {
  let mtimeMs: number;
  try {
    mtimeMs = (await fs.stat(holder ? path.join(lockDir, OWNER_FILE) : lockDir)).mtimeMs;
  } catch {
    return false; // gone already: the next try takes it
  }
  if (Date.now() - mtimeMs > staleMs) return true;
  if (!holder || holder.host !== hostname()) return false;
  // Our own pid but not our lock: left by an earlier process with the same pid (pid 1 in a container).
  if (holder.pid === process.pid) return !heldHere.has(holder.token);
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Rename aside (atomic: of two breakers one wins), then delete. */
async function breakLock(indexDir: string, lockDir: string, expected: LockOwner | undefined): Promise<void> {
  const current = await readOwner(lockDir);
  if (expected && current && current.token !== expected.token) return; // someone else took it meanwhile
  const aside = path.join(indexDir, `${LOCK_DIR}-broken-${randomBytes(4).toString('hex')}`);
  try {
    await fs.rename(lockDir, aside);
  } catch {
    return;
  }
  await fs.rm(aside, { recursive: true, force: true }).catch(() => undefined);
}
