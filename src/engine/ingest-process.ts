/**
 * `paperbot ingest` in a child process, for the running bot's rebuilds of large collections
 * (LiveEngineOptions.externalBuild): the child reads the same configuration (it inherits the
 * environment and working directory), takes the build lock, builds and commits a generation; the
 * bot then serves it. The bot's event loop stays free for acknowledgements meanwhile.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

export interface IngestProcessOptions {
  logger: Logger;
  /** Environment of the child; default: this process's (inherited, as for any child). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Give up (and kill the child) after this long; the generation it was building is never committed. */
  timeoutMs?: number;
}

/** The CLI beside this module: dist/src/cli/main.js when built; src/cli/main.ts through tsx when run from source. */
function cliCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const entry = path.join(path.dirname(here), '..', 'cli', `main${ext}`);
  return ext === '.ts' ? ['--import', 'tsx', entry] : [entry];
}

const KEEP_OUTPUT = 4000;

export function ingestInChildProcess(options: IngestProcessOptions): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliCommand(), 'ingest'], {
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-KEEP_OUTPUT));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const tookMs = Math.round(performance.now() - started);
      if (code === 0) {
        options.logger.info({ tookMs, pid: child.pid }, 'index: built in a child process');
        resolve();
      } else {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        reject(new Error(`paperbot ingest (child process) failed, ${why}: ${output.trim().split('\n').slice(-3).join(' | ')}`));
      }
    });
  });
}
