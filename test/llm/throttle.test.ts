import { describe, expect, it } from 'vitest';
import { throttle, type Timers } from '../../src/llm/throttle.js';

/** Timers under the test's control: nothing runs until advance(). */
function manualTimers(): Timers & { advance(ms: number): Promise<void> } {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => {
      due.delete(id as number);
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
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
    const timers = manualTimers();
    const calls: [number, string][] = [];
    const edit = throttle((text: string) => void calls.push([timers.now(), text]), 1000, { timers });
    edit('a');
    edit('b');
    edit('c');
    expect(calls).toEqual([[0, 'a']]);
    await timers.advance(999);
    expect(calls).toHaveLength(1);
    await timers.advance(1);
    expect(calls).toEqual([[0, 'a'], [1000, 'c']]);
    await timers.advance(5000);
    expect(calls).toHaveLength(2); // nothing pending, nothing more
    edit('d'); // long after the last call: runs at once
    expect(calls.at(-1)).toEqual([6000, 'd']);
  });

  it('never runs two slow calls at once and keeps their order', async () => {
    const timers = manualTimers();
    let inFlight = 0;
    let maxInFlight = 0;
    const done: string[] = [];
    const edit = throttle(
      async (text: string) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((resolve) => timers.setTimeout(resolve, 2500)); // an edit slower than the interval
        inFlight--;
        done.push(text);
      },
      1000,
      { timers },
    );
    edit('1');
    await timers.advance(1200);
    edit('2');
    edit('3');
    await timers.advance(10_000);
    expect(done).toEqual(['1', '3']);
    expect(maxInFlight).toBe(1);
  });

  it('flush delivers the pending call now and resolves when nothing is in flight', async () => {
    const timers = manualTimers();
    const calls: string[] = [];
    const edit = throttle((text: string) => void calls.push(text), 1000, { timers });
    edit('a');
    edit('b');
    await edit.flush();
    expect(calls).toEqual(['a', 'b']);
    await timers.advance(5000);
    expect(calls).toEqual(['a', 'b']);
  });

  it('cancel drops the pending call and ignores later ones, after the one in flight', async () => {
    const timers = manualTimers();
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
      { timers },
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
    await timers.advance(5000);
    expect(calls).toEqual(['a']);
  });

  it('reports a failing call and carries on', async () => {
    const timers = manualTimers();
    const errors: unknown[] = [];
    const calls: string[] = [];
    const edit = throttle(
      async (text: string) => {
        calls.push(text);
        if (text === 'bad') throw new Error('edit failed');
      },
      100,
      { timers, onError: (err) => errors.push(err) },
    );
    edit('bad');
    edit('good');
    await timers.advance(1000);
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
