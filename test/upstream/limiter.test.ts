import { afterEach, describe, expect, it } from 'vitest';
import { ArxivClient } from '../../src/feeds/arxiv-client.js';
import { RateLimiter, sharedLimiter } from '../../src/upstream/limiter.js';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv.js';
import { virtualTimer } from '../fakes/virtual-timer.js';

const PAPER = {
  id: '2501.00001',
  title: 'Spacing Requests Politely',
  abstract: 'A paper about waiting.',
  published: '2025-01-02',
  categories: ['cs.NI'],
};

describe('RateLimiter on virtual time', () => {
  it('spaces request starts by the interval, in arrival order, without real waiting', async () => {
    const timer = virtualTimer();
    const limiter = new RateLimiter(3000, timer);
    const starts: [string, number][] = [];
    const t0 = performance.now();
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        limiter.run(async () => {
          starts.push([name, timer.now()]);
        }),
      ),
    );
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(starts.map(([n]) => n)).toEqual(['a', 'b', 'c', 'd']);
    const gaps = starts.slice(1).map(([, t], i) => t - starts[i]![1]);
    expect(gaps).toEqual([3000, 3000, 3000]);
  });

  it('does not wait when the last request was long enough ago', async () => {
    const timer = virtualTimer();
    const limiter = new RateLimiter(3000, timer);
    await limiter.run(async () => undefined);
    timer.advance(5000);
    await limiter.run(async () => undefined);
    expect(timer.sleeps).toEqual([]);
  });

  it('runs one task at a time, and a failing task does not block the queue', async () => {
    const timer = virtualTimer();
    const limiter = new RateLimiter(0, timer);
    let running = 0;
    let maxRunning = 0;
    const task = (fail: boolean) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (fail) throw new Error('boom');
      return 'ok';
    };
    const results = await Promise.allSettled([limiter.run(task(false)), limiter.run(task(true)), limiter.run(task(false))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(maxRunning).toBe(1);
  });

  it('pause() holds every caller until the upstream said to come back', async () => {
    const timer = virtualTimer();
    const limiter = new RateLimiter(1000, timer);
    await limiter.run(async () => undefined);
    const before = timer.now();
    limiter.pause(30_000);
    let startedAt = 0;
    await limiter.run(async () => {
      startedAt = timer.now();
    });
    expect(startedAt - before).toBe(30_000);
  });

  it('is shared per base URL in the process; the stricter interval wins', async () => {
    const timer = virtualTimer();
    const a = sharedLimiter('http://upstream.test/api', 1000, timer);
    const b = sharedLimiter('http://upstream.test/api', 3000, timer);
    const other = sharedLimiter('http://other.test/api', 1000, timer);
    expect(a).toBe(b);
    expect(other).not.toBe(a);
    const starts: number[] = [];
    await Promise.all([a.run(async () => starts.push(timer.now())), b.run(async () => starts.push(timer.now()))]);
    expect(starts[1]! - starts[0]!).toBe(3000);
  });
});

describe('ArxivClient spacing against the fake, on real time', () => {
  let arxiv: FakeArxiv;
  afterEach(async () => {
    await arxiv.close();
  });

  it('two concurrent calls from two clients of one base URL arrive at least minIntervalMs apart', async () => {
    arxiv = await startFakeArxiv({ papers: [PAPER] });
    const interval = 300;
    const one = new ArxivClient({ baseUrl: arxiv.baseUrl, minIntervalMs: interval });
    const two = new ArxivClient({ baseUrl: arxiv.baseUrl, minIntervalMs: interval });
    await one.getById('2501.00001'); // warm up: the first fetch in a process pays for its setup
    const [x, y] = await Promise.all([one.getById('2501.00001'), two.getById('arXiv:2501.00001')]);
    expect(x?.title).toBe(PAPER.title);
    expect(y?.title).toBe(PAPER.title);
    expect(arxiv.requests).toHaveLength(3);
    const gap = arxiv.requests[2]!.at - arxiv.requests[1]!.at;
    // Without the limiter the two arrive within a few ms of each other. Arrival times also carry the
    // first request's time in transit (longer on a loaded machine), hence the margin.
    expect(gap).toBeGreaterThanOrEqual(interval * 0.8);
  });
});
