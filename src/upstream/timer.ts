/**
 * Time as a seam for the upstream clients: the rate limiter and retry backoff read `now()` and
 * `sleep()` from here, so tests can run them on virtual time instead of real 3 s waits.
 * (Per-request timeouts stay on real time: they guard real sockets.)
 */
export interface Timer {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemTimer: Timer = {
  now: () => performance.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      if (ms <= 0) resolve();
      else setTimeout(resolve, ms);
    }),
};
