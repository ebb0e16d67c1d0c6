/**
 * Shared pieces of the fault suite: spawning real paperbot processes and watching
 * their output, the summary lines (`FAULTS ...`), and the secret-leak check that
 * every test file runs over everything it captured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PAPERS_TXT = path.join(repoRoot, 'data/papers.txt');

/** A made-up bot token: distinctive, so a leak into any log line is found by a plain substring search. */
export const FAKE_BOT_TOKEN = 'faults-SECRET-token.Zq7xW2mK9pL4vR8n.do-not-log-me-3141592653';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `pb-faults-${prefix}-`));
}

/** One summary line per test; they end up in the closing note. */
export function report(line: string): void {
  console.log(`FAULTS ${line}`);
}

/** Small deterministic PRNG so a failing schedule can be replayed with the printed seed. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A spawned process with all its output kept (for the leak check) and line waiters. */
export class Proc {
  output = '';
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private waiters: Array<() => void> = [];

  constructor(readonly child: ChildProcess) {
    const take = (d: Buffer) => {
      this.output += d.toString();
      for (const w of [...this.waiters]) w();
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        for (const w of [...this.waiters]) w();
        resolve(this.exitInfo);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Parsed JSON log lines (non-JSON lines skipped). */
  logs(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const line of this.output.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        /* a line cut by kill -9 */
      }
    }
    return out;
  }

  /** Resolves with the first log line matching; rejects on exit or timeout. */
  waitForLog(pred: (l: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.logs().find(pred);
        if (hit) return done(() => resolve(hit));
        if (this.exitInfo) return done(() => reject(new Error(`process exited (${JSON.stringify(this.exitInfo)}) before the log line; output:\n${this.output.slice(-3000)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no such log line within ${timeoutMs} ms; output:\n${this.output.slice(-3000)}`))), timeoutMs);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        fn();
      };
      this.waiters.push(check);
      check();
    });
  }

  kill9(): void {
    if (!this.exitInfo) this.child.kill('SIGKILL');
  }

  /** Peak resident set size of the process so far (Linux VmHWM), in MB. */
  peakRssMb(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
      return kb / 1024;
    } catch {
      return NaN;
    }
  }
}

export function spawnTs(script: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Proc(child);
}

/** Environment for the real bot (`src/index.ts`) against a fake Discord. */
export function botEnv(fake: { apiBase: string; appId: string; channelId: string }, dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_TOKEN: FAKE_BOT_TOKEN,
    DISCORD_APP_ID: fake.appId,
    DAILY_CHANNEL_ID: fake.channelId,
    STATE_PATH: path.join(dir, 'state.sqlite'),
    INDEX_DIR: path.join(dir, 'index'),
    PAPERS_PATH: PAPERS_TXT,
    EMBEDDING_MODEL: 'none',
    HEALTH_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export function spawnBot(env: NodeJS.ProcessEnv): Proc {
  return spawnTs(path.join(repoRoot, 'src/index.ts'), [], env);
}

/**
 * Everything a test file captured (process output, in-process log lines) must be free
 * of the bot token and of every interaction token the fake handed out.
 */
export function expectNoSecrets(label: string, captured: string, secrets: Iterable<string>): void {
  const list = [...new Set(secrets)].filter((s) => s.length >= 8);
  const leaks = list.filter((s) => captured.includes(s));
  const lines = captured.split('\n').filter((l) => l.trim() !== '').length;
  report(`token-leak ${label} lines=${lines} secrets-checked=${list.length} leaks=${leaks.length}`);
  expect(list.length, 'the leak check must have secrets to look for').toBeGreaterThan(0);
  expect(lines, 'the leak check must have log output to look at').toBeGreaterThan(0);
  expect(leaks.map((s) => s.slice(0, 12) + '…')).toEqual([]);
}

/** The real bot, started and ready; with the port its health endpoint listens on. */
export async function spawnReadyBot(env: NodeJS.ProcessEnv): Promise<{ bot: Proc; healthPort: number }> {
  const bot = spawnBot(env);
  const listening = await bot.waitForLog((l) => l.msg === 'health endpoint listening', 60_000);
  await bot.waitForLog((l) => l.msg === 'paperbot is ready', 60_000);
  return { bot, healthPort: Number(listening.port) };
}

/** SIGTERM (a clean shutdown), then SIGKILL if it has not exited within 10 s. */
export async function stopBot(bot: Proc | undefined): Promise<void> {
  if (!bot) return;
  bot.child.kill('SIGTERM');
  await Promise.race([bot.exited, sleep(10_000)]);
  bot.kill9();
}
