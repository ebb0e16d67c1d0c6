import { describe, expect, it } from 'vitest';
import type { Timer } from '../../src/upstream/timer.js';
import { throttle } from '../../src/llm/throttle.js';

/** Time under the test's control: a sleep ends only when advance() reaches it. */
function manualTimer(): Timer & { advance(ms: number): Promise<void> } {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((resolve) => sleepers.push({ at: now + ms, wake: resolve })),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > end) break;
        sleepers.shift();
        now = next.at;
        next.wake();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('throttle', () => {
  it('runs the first call at once, coalesces the rest, and always delivers the last', async () => {
    const timer = manualTimer();
    const calls: [number, string][] = [];
    const edit = throttle((text: string) => void calls.push([timer.now(), text]), 1000, { timer });
    edit('a');
    edit('b');
    edit('c');
    expect(calls).toEqual([[0, 'a']]);
    await timer.advance(999);
    expect(calls).toHaveLength(1);
    await timer.advance(1);
    expect(calls).toEqual([[0, 'a'], [1000, 'c']]);
    await timer.advance(5000);
    expect(calls).toHaveLength(2); // nothing pending, nothing more
    edit('d'); // long after the last call: runs at once
    expect(calls.at(-1)).toEqual([6000, 'd']);
  });

  it('never runs two slow calls at once and keeps their order', async () => {
    const timer = manualTimer();
    let inFlight = 0;
    let maxInFlight = 0;
    const done: string[] = [];
    const edit = throttle(
      async (text: string) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await timer.sleep(2500); // an edit slower than the interval
        inFlight--;
        done.push(text);
      },
      1000,
      { timer },
    );
    edit('1');
    await timer.advance(1200);
    edit('2');
    edit('3');
    await timer.advance(10_000);
    expect(done).toEqual(['1', '3']);
    expect(maxInFlight).toBe(1);
  });

  it('flush delivers the pending call now and resolves when nothing is in flight', async () => {
    const timer = manualTimer();
    const calls: string[] = [];
    const edit = throttle((text: string) => void calls.push(text), 1000, { timer });
    edit('a');
    edit('b');
    await edit.flush();
    expect(calls).toEqual(['a', 'b']);
    await timer.advance(5000);
    expect(calls).toEqual(['a', 'b']);
  });

  it('cancel drops the pending call and ignores later ones, after the one in flight', async () => {
    const timer = manualTimer();
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const edit = throttle(
      (text: string) => {
        calls.push(text);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      1000,
      { timer },
    );
    edit('a');
    edit('b');
    let cancelled = false;
    const cancelling = edit.cancel().then(() => {
      cancelled = true;
    });
    await settle();
    expect(cancelled).toBe(false); // 'a' is still in flight
    release();
    await cancelling;
    edit('c');
    await timer.advance(5000);
    expect(calls).toEqual(['a']);
  });

  it('reports a failing call and carries on', async () => {
    const timer = manualTimer();
    const errors: unknown[] = [];
    const calls: string[] = [];
    const edit = throttle(
      async (text: string) => {
        calls.push(text);
        if (text === 'bad') throw new Error('edit failed');
      },
      100,
      { timer, onError: (err) => errors.push(err) },
    );
    edit('bad');
    edit('good');
    await timer.advance(1000);
    expect(calls).toEqual(['bad', 'good']);
    expect(errors).toHaveLength(1);
  });

  it('works with real timers', async () => {
    const calls: string[] = [];
    const edit = throttle((text: string) => void calls.push(text), 20);
    edit('a');
    edit('b');
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toEqual(['a', 'b']);
  });
});
