/**
 * The index folder's writer lock: `<indexDir>/LOCK`, created with O_EXCL and holding
 * { pid, host, token, since }. Held around "make a generation live + sweep the others"
 * (index-dir.ts), so one process's sweep can never delete a generation another process has just
 * made live, nor its half-written CURRENT.tmp-*. Readers take no lock.
 *
 * A holder killed with -9 leaves the file behind; it is stale, and broken, when
 *   - its pid is gone (same host), or is ours but not held by us (pid reuse, e.g. pid 1 in a container);
 *   - it is older than ABANDONED_MS whoever holds it (another host, or a reused pid after a reboot):
 *     the critical section takes seconds;
 *   - it is unreadable (killed between create and write) and older than a few seconds.
 * Breaking is itself guarded by `LOCK.break` (O_EXCL, held for two syscalls) and only removes the
 * exact lock that was judged stale, so two processes breaking the same stale lock cannot remove the
 * lock a third has just taken.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'LOCK';
const BREAK_FILE = 'LOCK.break';
/** A lock this old is abandoned, whoever holds it. */
const ABANDONED_MS = 10 * 60_000;
/** An unreadable (empty) lock younger than this is still being written by its creator. */
const UNREADABLE_GRACE_MS = 5_000;
/** A break guard older than this was left by a process that died while breaking. */
const BREAK_GRACE_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 60_000;

export interface LockHolder {
  pid: number;
  host: string;
  token: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** Tokens of the locks this process holds right now (a pid alone cannot tell after pid reuse). */
const heldHere = new Set<string>();

/** Another process has held the index lock for longer than we were willing to wait. */
export class IndexLockedError extends Error {
  override readonly name = 'IndexLockedError';
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      `the index in ${path.dirname(lockFile)} is being updated by another process` +
        (holder ? ` (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : '') +
        `; try again when it is done. If no paperbot is running${holder ? ` on ${holder.host}` : ''}, delete ${lockFile}.`,
    );
  }
}

export interface LockOptions {
  /** Give up (IndexLockedError) after waiting this long. Default 60 s. */
  timeoutMs?: number;
  /** Called once if the lock is held by someone else and we start waiting. */
  onWait?: (holder: LockHolder | null) => void;
}

interface Seen {
  raw: string;
  holder: LockHolder | null;
  ageMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** O_EXCL create with content; false when the file exists. */
async function tryCreate(file: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (err) {
    if (errno(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

/** The lock as it is now, or null when there is none. */
async function readLock(file: string): Promise<Seen | null> {
  try {
    const [raw, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    let holder: LockHolder | null = null;
    try {
      const parsed = JSON.parse(raw) as Partial<LockHolder>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') holder = parsed as LockHolder;
    } catch {
      /* being written, or damaged */
    }
    return { raw, holder, ageMs: Date.now() - stat.mtimeMs };
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    throw err;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errno(err) === 'EPERM'; // exists, belongs to someone else
  }
}

/** Why this lock is stale, or null while its holder may still be working. */
export function staleReason(seen: Seen, here: { host: string; pid: number } = { host: hostname(), pid: process.pid }): string | null {
  if (seen.ageMs > ABANDONED_MS) return `taken ${Math.round(seen.ageMs / 60_000)} minutes ago`;
  const h = seen.holder;
  if (!h) return seen.ageMs > UNREADABLE_GRACE_MS ? 'unreadable' : null;
  if (h.host !== here.host) return null;
  if (h.pid === here.pid) return heldHere.has(h.token) ? null : 'left by an earlier process with this pid';
  return isAlive(h.pid) ? null : `process ${h.pid} is gone`;
}

/** Removes the lock if it is still exactly the one judged stale; guarded so breakers do not race. */
async function breakStale(indexDir: string, file: string, stale: Seen): Promise<void> {
  const guard = path.join(indexDir, BREAK_FILE);
  if (!(await tryCreate(guard, String(process.pid)))) {
    const age = await fs.stat(guard).then((s) => Date.now() - s.mtimeMs, () => null);
    if (age !== null && age > BREAK_GRACE_MS) await fs.rm(guard, { force: true });
    await sleep(5);
    return;
  }
  try {
    const now = await readLock(file);
    if (now && now.raw === stale.raw) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}

/** Runs `fn` holding the index folder's writer lock (creating the folder if needed). Not re-entrant. */
export async function withIndexLock<T>(indexDir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  await fs.mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  heldHere.add(me.token);
  try {
    let delay = 5;
    let told = false;
    while (!(await tryCreate(file, JSON.stringify(me)))) {
      const seen = await readLock(file);
      if (!seen) continue; // released in between
      if (staleReason(seen)) {
        await breakStale(indexDir, file, seen);
        continue;
      }
      if (Date.now() > deadline) throw new IndexLockedError(file, seen.holder);
      if (!told) opts.onWait?.(seen.holder);
      told = true;
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 200);
    }
  } catch (err) {
    heldHere.delete(me.token);
    throw err;
  }
  try {
    return await fn();
  } finally {
    // Only our own lock: a live holder's lock is never broken, so it is still ours.
    const seen = await readLock(file).catch(() => null);
    if (seen?.holder?.token === me.token) await fs.rm(file, { force: true });
    heldHere.delete(me.token);
  }
}
