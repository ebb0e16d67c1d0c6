/**
 * One GET with upstream manners, shared by every client here (arXiv, Hugging Face, RSS feeds):
 * the shared rate limiter, a descriptive User-Agent, a per-try timeout, retries with exponential
 * backoff + jitter on 429/502/503/504 and network failures (honouring Retry-After), a size cap,
 * and in the end an UpstreamError that says what happened and what to do.
 */
import { sharedLimiter, type RateLimiter } from './limiter.js';
import { systemTimer, type Timer } from './timer.js';
import { UpstreamError, type UpstreamFailure } from './upstream-error.js';

/** Settings every upstream client accepts; each client supplies its own defaults. */
export interface UpstreamOptions {
  /** Sent on every request. Default: defaultUserAgent(). */
  userAgent?: string;
  /** Minimum spacing between request starts to this upstream, per process. */
  minIntervalMs?: number;
  /** Per try, from sending the request to the last byte of the answer. */
  timeoutMs?: number;
  /** Tries after the first one (2 → 3 tries in all). */
  retries?: number;
  /** First backoff; doubles each retry, with ±50% jitter. */
  backoffMs?: number;
  /** A Retry-After longer than this is not waited for: the request fails at once. */
  maxRetryAfterMs?: number;
  /** Answers larger than this are refused. */
  maxBytes?: number;
  /** Virtual time for tests. */
  timer?: Timer;
  /** Jitter source in [0, 1), for tests. */
  random?: () => number;
  /** Told about each retry (for a warning log line); never about the request's content. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  service: string;
  attempt: number;
  failure: UpstreamFailure;
  detail: string;
  waitMs: number;
}

export const USER_AGENT_PRODUCT = 'paperbot/0.1';

/**
 * `paperbot/0.1 (Discord research-paper bot; +https://…)`: arXiv and Hugging Face ask automated
 * clients to say who they are and how to reach the operator. `contact` is a URL or an e-mail.
 */
export function defaultUserAgent(contact?: string): string {
  const c = contact?.trim();
  const suffix = !c ? '' : /^https?:\/\//i.test(c) ? `; +${c}` : `; ${c}`;
  return `${USER_AGENT_PRODUCT} (Discord research-paper bot${suffix})`;
}

export interface HttpPolicy {
  /** Name in messages: "arXiv", "Hugging Face", "the feed example.org". */
  service: string;
  /** The setting that holds this upstream's address, for "check …" hints. */
  setting?: string;
  userAgent: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxRetryAfterMs: number;
  maxBytes: number;
  limiter: RateLimiter;
  timer: Timer;
  random: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export interface PolicyDefaults {
  minIntervalMs: number;
  timeoutMs: number;
}

/** The URL when `value` is an absolute http(s) URL, else undefined. */
export function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A configured base URL, or an Error naming the setting (config validates first; this guards direct use). */
export function checkBaseUrl(value: string, setting: string): URL {
  const url = parseHttpUrl(value);
  if (!url) throw new Error(`${setting} must be an http(s) URL, got "${value}"`);
  return url;
}

/**
 * Resolves options against a client's defaults. The limiter is shared per host in this process:
 * arXiv's limits apply to all its APIs together, and two spellings of one base URL are one upstream.
 */
export function makePolicy(
  service: string,
  baseUrl: URL,
  options: UpstreamOptions,
  defaults: PolicyDefaults,
  setting?: string,
): HttpPolicy {
  const timer = options.timer ?? systemTimer;
  const limiterKey = baseUrl.host.toLowerCase();
  return {
    service,
    ...(setting ? { setting } : {}),
    userAgent: options.userAgent?.trim() || defaultUserAgent(),
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    retries: Math.max(0, options.retries ?? 2),
    backoffMs: options.backoffMs ?? 1000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    maxBytes: options.maxBytes ?? 20_000_000,
    limiter: sharedLimiter(limiterKey, options.minIntervalMs ?? defaults.minIntervalMs, timer),
    timer,
    random: options.random ?? Math.random,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  };
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  attempts: number;
}

/** "10 s", "1.5 s", "200 ms", "2 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Math.round(ms / 60_000)} min`;
}

function tries(n: number): string {
  return n === 1 ? '1 try' : `${n} tries`;
}

/** Seconds or an HTTP date → milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

class TryFailure {
  constructor(
    readonly failure: UpstreamFailure,
    readonly detail: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {}
}

const TIMEOUT = Symbol('timeout');

function networkDetail(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code;
  // undici reports a body cut off mid-transfer as "terminated" (caused by the socket closing).
  if ((err as Error).message === 'terminated') return 'the connection closed before the whole answer arrived';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'the connection was closed';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return 'the connection timed out';
    default:
      return cause?.message ?? (err as Error).message ?? String(err);
  }
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TryFailure('bad-response', `the answer is larger than ${Math.round(maxBytes / 1_000_000)} MB`, false);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function tryOnce(url: string, policy: HttpPolicy, accept: string): Promise<Omit<HttpAnswer, 'attempts'>> {
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(TIMEOUT), policy.timeoutMs);
  try {
    const res = await fetch(url, {
      headers: { 'user-agent': policy.userAgent, accept },
      signal: controller.signal,
      redirect: 'follow',
    });
    const text = await readCapped(res, policy.maxBytes);
    if (res.status === 429 || res.status === 502 || res.status === 503 || res.status === 504) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      const failure = res.status === 429 ? 'throttled' : 'unavailable';
      throw new TryFailure(failure, `HTTP ${res.status}`, true, res.status, retryAfterMs);
    }
    return { status: res.status, headers: res.headers, text };
  } catch (err) {
    if (err instanceof TryFailure) throw err;
    if (controller.signal.aborted && controller.signal.reason === TIMEOUT) {
      throw new TryFailure('timeout', `no answer within ${formatDuration(policy.timeoutMs)}`, true);
    }
    throw new TryFailure('unreachable', networkDetail(err), true);
  } finally {
    clearTimeout(timeout);
  }
}

function finalError(policy: HttpPolicy, last: TryFailure, attempts: number): UpstreamError {
  const { service } = policy;
  const check = policy.setting ? `check the network and ${policy.setting}, or try again later` : 'try again later';
  let message: string;
  switch (last.failure) {
    case 'timeout':
      message = `${service} did not answer within ${formatDuration(policy.timeoutMs)} (${tries(attempts)}); try again later`;
      break;
    case 'unreachable':
      message = `${service} could not be reached (${last.detail}; ${tries(attempts)}); ${check}`;
      break;
    case 'throttled':
      message = `${service} is limiting how often paperbot may ask (${last.detail}; ${tries(attempts)}); try again in a few minutes`;
      break;
    case 'unavailable':
      message = `${service} is unavailable right now (${last.detail}; ${tries(attempts)}); try again later`;
      break;
    default:
      message = `${service} sent an answer paperbot could not use (${last.detail}); try again later`;
  }
  return new UpstreamError(message, service, last.failure, attempts, last.status);
}

/**
 * GETs `url` under the policy. Resolves with any answer that is not a retryable failure (the caller
 * judges 200/400/404); rejects with UpstreamError once the tries are used up.
 */
export async function getText(url: string, policy: HttpPolicy, accept = '*/*'): Promise<HttpAnswer> {
  const maxTries = policy.retries + 1;
  for (let attempt = 1; ; attempt++) {
    let failure: TryFailure;
    try {
      const answer = await policy.limiter.run(() => tryOnce(url, policy, accept));
      return { ...answer, attempts: attempt };
    } catch (err) {
      if (!(err instanceof TryFailure)) throw err;
      failure = err;
    }
    // Retry-After is about the upstream, not this caller: everyone queued behind waits too
    // (at most maxRetryAfterMs, so a "come back in an hour" does not freeze the queue).
    if (failure.retryAfterMs !== undefined) policy.limiter.pause(Math.min(failure.retryAfterMs, policy.maxRetryAfterMs));
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
      throw new UpstreamError(
        `${policy.service} asked paperbot to wait ${formatDuration(failure.retryAfterMs)} before asking again (${failure.detail}); try again after that`,
        policy.service,
        'throttled',
        attempt,
        failure.status,
      );
    }
    if (!failure.retryable || attempt >= maxTries) throw finalError(policy, failure, attempt);
    const backoff = policy.backoffMs * 2 ** (attempt - 1) * (0.5 + policy.random());
    const waitMs = Math.max(backoff, failure.retryAfterMs ?? 0);
    policy.onRetry?.({ service: policy.service, attempt, failure: failure.failure, detail: failure.detail, waitMs });
    await policy.timer.sleep(waitMs);
  }
}

/** For answers that arrived but cannot be used: malformed XML/JSON, an unexpected status. */
export function badAnswer(policy: HttpPolicy, detail: string, attempts: number, status?: number): UpstreamError {
  return finalError(policy, new TryFailure('bad-response', detail, false, status), attempts);
}
