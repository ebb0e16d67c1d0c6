/**
 * At most one call per `intervalMs`, the latest arguments always delivered (the
 * trailing call is guaranteed), and never two calls in flight at once: an async `fn`
 * (editing a Discord message) finishes before the next starts, so edits cannot land
 * out of order. `flush()` delivers what is pending now; `cancel()` drops it. Both
 * resolve once nothing is in flight — await one before the final edit.
 */
import { systemTimer, type Timer } from '../upstream/timer.js';

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
  options: { timer?: Timer; onError?: (err: unknown) => void } = {},
): Throttled<A> {
  const timer = options.timer ?? systemTimer;
  let lastStart = Number.NEGATIVE_INFINITY;
  let pending: { args: A } | undefined;
  let running: Promise<void> | undefined;
  /** Bumped by flush/cancel: a wait begun before is stale when it ends. */
  let generation = 0;
  let waiting = false;
  let cancelled = false;

  const run = (): void => {
    const call = pending;
    if (!call) return;
    pending = undefined;
    lastStart = timer.now();
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
    if (!pending || running || waiting || cancelled) return;
    const wait = lastStart + intervalMs - timer.now();
    if (wait <= 0) {
      run();
      return;
    }
    waiting = true;
    const mine = generation;
    void timer.sleep(wait).then(() => {
      if (mine !== generation) return;
      waiting = false;
      schedule();
    });
  };

  const stopWaiting = (): void => {
    generation++;
    waiting = false;
  };

  const throttled = ((...args: A) => {
    if (cancelled) return;
    pending = { args };
    schedule();
  }) as Throttled<A>;

  throttled.flush = async () => {
    for (;;) {
      stopWaiting();
      if (running) await running;
      else if (pending && !cancelled) run();
      else return;
    }
  };

  throttled.cancel = async () => {
    cancelled = true;
    pending = undefined;
    stopWaiting();
    while (running) await running;
  };

  return throttled;
}
