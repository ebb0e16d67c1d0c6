/**
 * Loads the configured embedding model, or explains in one line why search runs lexical-only.
 * Never throws and never waits longer than the timeout without download progress: a bot must
 * start even when huggingface.co is unreachable.
 */
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ProgressInfo } from '@huggingface/transformers';
import type { Embedder } from './types.js';
import { ModelFolderMissingError, resolveLocalModelFolder } from './local-folder.js';
// transformers.js (and onnxruntime) are imported on demand below: they take seconds to load,
// which a lexical-only run (EMBEDDING_MODEL=none) should never pay.

export interface LoadEmbedderOptions {
  /** Hugging Face id, local folder, or 'none' for lexical-only search. */
  model: string | 'none';
  cacheDir: string;
  /** Give up after this long without load progress (default 10 s). A running download keeps it alive. */
  timeoutMs?: number;
  logger: Logger;
  /** May the model be fetched from huggingface.co when not cached? Default true. */
  allowRemote?: boolean;
  /**
   * The Hub's host name. When set, a Hub model that is neither a local folder nor cached is given up
   * at once if this name does not resolve (no network), without loading the model runtime: that
   * import alone is about 0.2 s of every offline CLI answer.
   */
  probeHost?: string;
  onProgress?: (info: ProgressInfo) => void;
}

export interface LoadedEmbedder {
  embedder: Embedder | null;
  /** Set when running lexical-only: one line for logs / the CLI / a status command. */
  note?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const FIX_HINT = 'Set EMBEDDING_MODEL to a local folder, or none to silence this.';

export const LEXICAL_ONLY_NOTE = 'lexical only (EMBEDDING_MODEL=none)';

class LoadTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no progress within ${ms} ms`);
  }
}

export async function loadEmbedder(opts: LoadEmbedderOptions): Promise<LoadedEmbedder> {
  if (opts.model === 'none') return { embedder: null, note: LEXICAL_ONLY_NOTE };
  const offline = opts.probeHost && (opts.allowRemote ?? true) && needsDownload(opts.model, opts.cacheDir) ? await unresolvable(opts.probeHost) : null;
  if (offline) {
    const note = networkNote(opts.model, opts.cacheDir);
    opts.logger.warn({ model: opts.model, err: errorText(offline) }, note);
    return { embedder: null, note };
  }

  const transformers = await import('./transformers.js');
  const { abortModelDownloads } = await import('./fetch-guard.js');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const watchdog = stallWatchdog(timeoutMs);
  const creating = transformers.TransformersEmbedder.create({
    model: opts.model,
    cacheDir: opts.cacheDir,
    allowRemote: opts.allowRemote ?? true,
    timeoutMs,
    logger: opts.logger,
    onProgress: (info) => {
      watchdog.poke(); // bytes are flowing: a slow first download is not a hang
      opts.onProgress?.(info);
    },
  });
  try {
    return { embedder: await Promise.race([creating, watchdog.expired]) };
  } catch (err) {
    if (err instanceof LoadTimeoutError) {
      abortModelDownloads(`gave up loading "${opts.model}" after ${timeoutMs} ms`);
      // If loading still completes later, release the session rather than leak it.
      creating.then((late) => late.dispose(), () => undefined);
    }
    const note = unavailableNote(opts.model, opts.cacheDir, err);
    opts.logger.warn({ model: opts.model, err: errorText(err) }, note);
    return { embedder: null, note };
  } finally {
    watchdog.stop();
  }
}

/** A timer that rejects after `ms` without a poke; unref'd so it never keeps the process alive. */
function stallWatchdog(ms: number): { expired: Promise<never>; poke(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let fail: (err: Error) => void = () => undefined;
  const expired = new Promise<never>((_, reject) => {
    fail = reject;
  });
  expired.catch(() => undefined); // rejection is observed through the race; never unhandled
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new LoadTimeoutError(ms)), ms);
    timer.unref();
  };
  arm();
  return { expired, poke: arm, stop: () => clearTimeout(timer) };
}

function unavailableNote(model: string, cacheDir: string, err: unknown): string {
  const shownCache = shown(cacheDir);
  if (err instanceof ModelFolderMissingError) {
    return `embedding model folder "${err.folder}" not found: running lexical-only. ${FIX_HINT}`;
  }
  if (err instanceof LoadTimeoutError) {
    return `embedding model "${model}" did not load within ${err.ms / 1000}s (network stalled?): running lexical-only. ${FIX_HINT}`;
  }
  const text = errorText(err);
  if (isLocalFolder(model)) {
    return `embedding model folder "${model}" could not be loaded (${firstLine(text)}): running lexical-only. ${FIX_HINT}`;
  }
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|AbortError|operation was aborted|no response from/i.test(text)) {
    return networkNote(model, cacheDir);
  }
  if (/local_files_only|allowRemoteModels/.test(text)) {
    return `embedding model "${model}" is not in ${shownCache} and downloads are off: running lexical-only. ${FIX_HINT}`;
  }
  if (/Unauthorized|Forbidden|Could not locate|ModelFileNotFound|401|403|404/.test(text)) {
    return `embedding model "${model}" was not found on Hugging Face: running lexical-only. ${FIX_HINT}`;
  }
  return `embedding model "${model}" failed to load (${firstLine(text)}): running lexical-only. ${FIX_HINT}`;
}

function networkNote(model: string, cacheDir: string): string {
  return `embedding model "${model}" unavailable (no network and not in ${shown(cacheDir)}): running lexical-only. ${FIX_HINT}`;
}

/** The cache folder as the person running paperbot knows it: relative when under the working directory. */
function shown(cacheDir: string): string {
  const relative = path.relative(process.cwd(), cacheDir);
  return relative && !relative.startsWith('..') ? relative : cacheDir;
}

/** A Hub id with nothing of it in the cache: loading it means downloading. (Local folders, even missing ones: no.) */
function needsDownload(model: string, cacheDir: string): boolean {
  return !isLocalFolder(model) && !existsSync(path.join(cacheDir, model));
}

/** The lookup's error when the host name does not resolve, else null. */
async function unresolvable(host: string): Promise<Error | null> {
  try {
    await lookup(host);
    return null;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function isLocalFolder(model: string): boolean {
  try {
    return resolveLocalModelFolder(model) !== null;
  } catch {
    return true; // a path-like name whose folder is missing
  }
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${err.name}: ${err.message}${cause}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
