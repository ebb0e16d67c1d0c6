/**
 * Virtual time for the limiter and backoff: sleep(ms) returns at once and moves the clock on by ms,
 * and every sleep is recorded. Sleeps run one after another on this clock, so concurrent sleepers
 * can only make time pass faster than real, never bring a start forward.
 */
import type { Timer } from '../../src/upstream/timer.js';

export interface VirtualTimer extends Timer {
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function virtualTimer(start = 1_000_000): VirtualTimer {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += Math.max(0, ms);
      await Promise.resolve();
    },
    sleeps,
    advance: (ms) => {
      t += ms;
    },
  };
}
