/**
 * Upstream etiquette: at most one request per `intervalMs`, one at a time, per upstream (arXiv asks
 * for one request every 3 seconds and a single connection). Concurrent callers queue in order.
 */
import { systemTimer, type Timer } from './timer.js';

export class RateLimiter {
  private tail: Promise<unknown> = Promise.resolve();
  private lastStart = Number.NEGATIVE_INFINITY;
  private notBefore = Number.NEGATIVE_INFINITY;
  private waiting = 0;

  constructor(
    private intervalMs: number,
    private readonly timer: Timer = systemTimer,
  ) {}

  /** Callers queued or running right now (for "you are behind N requests" messages). */
  get queued(): number {
    return this.waiting;
  }

  /** Widens the spacing (two clients of one upstream with different settings keep the stricter one). */
  atLeast(intervalMs: number): void {
    this.intervalMs = Math.max(this.intervalMs, intervalMs);
  }

  /** Nobody starts before `delayMs` from now (a Retry-After applies to every caller, not just one). */
  pause(delayMs: number): void {
    this.notBefore = Math.max(this.notBefore, this.timer.now() + delayMs);
  }

  /** Runs `task` when its turn comes; the next task starts after it settles and the interval has passed. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting++;
    const turn = async (): Promise<T> => {
      try {
        const wait = Math.max(this.lastStart + this.intervalMs, this.notBefore) - this.timer.now();
        if (wait > 0) await this.timer.sleep(wait);
        this.lastStart = this.timer.now();
        return await task();
      } finally {
        this.waiting--;
      }
    };
    const result = this.tail.then(turn, turn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

// One limiter per upstream (base URL) per timer in this process: every client of arXiv shares it.
const shared = new WeakMap<Timer, Map<string, RateLimiter>>();

/** The process-wide limiter for `key` (a base URL); a stricter interval from a later caller wins. */
export function sharedLimiter(key: string, intervalMs: number, timer: Timer = systemTimer): RateLimiter {
  let byKey = shared.get(timer);
  if (!byKey) {
    byKey = new Map();
    shared.set(timer, byKey);
  }
  let limiter = byKey.get(key);
  if (!limiter) {
    limiter = new RateLimiter(intervalMs, timer);
    byKey.set(key, limiter);
  } else {
    limiter.atLeast(intervalMs);
  }
  return limiter;
}
