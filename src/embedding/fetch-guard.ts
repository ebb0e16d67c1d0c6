/**
 * transformers.js downloads through `env.fetch` with no timeout, so an unreachable-but-not-refused
 * host could hang model loading (and keep the process alive) forever. This wraps that fetch so a
 * request that gets no response headers within a deadline is aborted, and so every in-flight model
 * download can be cancelled when the caller gives up.
 */
import { env } from '@huggingface/transformers';

type FetchFn = (input: string | URL, init?: RequestInit) => Promise<Response>;

const inFlight = new Set<AbortController>();
let headersTimeoutMs = 10_000;
let installed = false;

/** Installs the guarded fetch once (idempotent); later calls only change the deadline. */
export function guardModelFetch(timeoutMs: number): void {
  headersTimeoutMs = timeoutMs;
  if (installed) return;
  installed = true;
  const original = env.fetch as FetchFn;
  env.fetch = (input: string | URL, init?: RequestInit) => guardedFetch(original, input, init);
}

async function guardedFetch(original: FetchFn, input: string | URL, init?: RequestInit): Promise<Response> {
  const controller = new AbortController();
  inFlight.add(controller);
  const timer = setTimeout(
    () => controller.abort(new Error(`no response from ${String(input)} within ${headersTimeoutMs} ms`)),
    headersTimeoutMs,
  );
  timer.unref(); // the timer alone must never keep the process alive
  const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
  try {
    // Once headers arrive the body may legitimately take minutes (a large model), so the deadline
    // stops here; the controller stays registered so abortModelDownloads() can still cancel it.
    return await original(input, { ...init, signal });
  } catch (err) {
    inFlight.delete(controller);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Forgets finished downloads once a model has loaded (aborting them later would be a no-op). */
export function forgetModelDownloads(): void {
  inFlight.clear();
}

/** Cancels every model download still running (used when model loading is abandoned). */
export function abortModelDownloads(reason = 'model loading abandoned'): void {
  for (const c of inFlight) c.abort(new Error(reason));
  inFlight.clear();
}
