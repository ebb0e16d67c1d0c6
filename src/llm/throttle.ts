/**
 * At most one call per `intervalMs`, the latest arguments always delivered (the
 * trailing call is guaranteed), and never two calls in flight at once: an async `fn`
 * (editing a Discord message) finishes before the next starts, so edits cannot land
 * out of order. `flush()` delivers what is pending now; `cancel()` drops it. Both
 * resolve once nothing is in flight — await one before the final edit.
 */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Throttled<A extends unknown[]> {
  (...args: A): void;
  /** Runs the pending call now (if any) and resolves when nothing is in flight. */
  flush(): Promise<void>;
  /** Drops the pending call, ignores later calls, resolves when nothing is in flight. */
  cancel(): Promise<void>;
}

export function throttle<A extends unknown[]>(
  fn: (...args: A) => unknown,
  intervalMs: number,
  options: { timers?: Timers; onError?: (err: unknown) => void } = {},
): Throttled<A> {
  const timers = options.timers ?? systemTimers;
  let lastStart = Number.NEGATIVE_INFINITY;
  let pending: { args: A } | undefined;
  let running: Promise<void> | undefined;
  let timer: unknown;
  let cancelled = false;

  const run = (): void => {
    const call = pending;
    if (!call) return;
    pending = undefined;
    lastStart = timers.now();
    let result: unknown;
    try {
      result = fn(...call.args);
    } catch (err) {
      options.onError?.(err);
    }
    running = Promise.resolve(result)
      .then(
        () => undefined,
        (err: unknown) => options.onError?.(err),
      )
      .finally(() => {
        running = undefined;
        schedule();
      });
  };

  const schedule = (): void => {
    if (!pending || running || timer !== undefined || cancelled) return;
    const wait = lastStart + intervalMs - timers.now();
    if (wait <= 0) {
      run();
      return;
    }
    timer = timers.setTimeout(() => {
      timer = undefined;
      schedule();
    }, wait);
  };

  const clearTimer = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  };

  const throttled = ((...args: A) => {
    if (cancelled) return;
    pending = { args };
    schedule();
  }) as Throttled<A>;

  throttled.flush = async () => {
    for (;;) {
      clearTimer();
      if (running) await running;
      else if (pending && !cancelled) run();
      else return;
    }
  };

  throttled.cancel = async () => {
    cancelled = true;
    pending = undefined;
    clearTimer();
    while (running) await running;
  };

  return throttled;
}
