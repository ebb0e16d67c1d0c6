import { beforeAll, describe, expect, it } from 'vitest';
import { loadCollection } from '../../src/collection/load.js';
import type { Paper } from '../../src/collection/types.js';
import { dailyPicks, jaccardSimilarity } from '../../src/engine/picks.js';
import { isUserFacingError } from '../../src/errors.js';

let papers: Paper[];
beforeAll(async () => {
  ({ papers } = await loadCollection(['data/papers.txt']));
});

const ids = (ps: Paper[]) => ps.map((p) => p.id);

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A seeded random sample (LCG), the baseline diversity is compared with. */
function randomSample(ps: Paper[], n: number, seed: number): Paper[] {
  let state = seed;
  const rest = [...ps];
  const out: Paper[] = [];
  while (out.length < n) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out.push(rest.splice(state % rest.length, 1)[0]!);
  }
  return out;
}

function meanPairwiseSimilarity(ps: Paper[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < ps.length; i++)
    for (let j = i + 1; j < ps.length; j++) {
      sum += jaccardSimilarity(ps[i]!, ps[j]!);
      pairs++;
    }
  return sum / pairs;
}

describe('dailyPicks', () => {
  it('gives the same picks for the same date, whatever the collection order', () => {
    const a = dailyPicks(papers, '2026-03-14', 3, []);
    expect(a).toHaveLength(3);
    expect(ids(dailyPicks(papers, '2026-03-14', 3, []))).toEqual(ids(a));
    expect(ids(dailyPicks([...papers].reverse(), '2026-03-14', 3, []))).toEqual(ids(a));
  });

  it('gives different picks on different dates', () => {
    const days = ['2026-03-14', '2026-03-15', '2026-03-16', '2026-03-17'].map((d) => ids(dailyPicks(papers, d, 3, [])).join());
    expect(new Set(days).size).toBe(days.length);
  });

  it('never repeats a paper until all had a turn, then starts a new cycle', () => {
    const history: string[] = [];
    let date = '2026-01-01';
    const days = Math.ceil((2 * papers.length) / 3) + 2;
    for (let day = 0; day < days; day++) {
      const picks = dailyPicks(papers, date, 3, history);
      expect(picks).toHaveLength(3);
      expect(new Set(ids(picks)).size).toBe(3);
      history.push(...ids(picks));
      date = nextDay(date);
    }
    const all = new Set(ids(papers));
    for (const cycle of [history.slice(0, papers.length), history.slice(papers.length, 2 * papers.length)]) {
      expect(cycle).toHaveLength(papers.length);
      expect(new Set(cycle)).toEqual(all);
    }
  });

  it('at a cycle end takes the leftovers first and avoids the most recent posts', () => {
    const order = ids(papers);
    const history = order.slice(0, papers.length - 1); // one paper left
    const picks = ids(dailyPicks(papers, '2026-05-01', 4, history));
    expect(picks[0]).toBe(order[papers.length - 1]);
    const recent = new Set(history.slice(-50));
    expect(picks.slice(1).some((id) => recent.has(id))).toBe(false);
  });

  it('ignores ids that are not in the collection', () => {
    const clean = ids(dailyPicks(papers, '2026-06-01', 3, ids(papers).slice(0, 10)));
    const noisy = ids(dailyPicks(papers, '2026-06-01', 3, ['gone-123456', ...ids(papers).slice(0, 10), 'also-gone']));
    expect(noisy).toEqual(clean);
  });

  it('is more diverse than random picks', () => {
    let picked = 0;
    let random = 0;
    let date = '2026-02-01';
    for (let day = 0; day < 30; day++) {
      const picks = dailyPicks(papers, date, 5, []);
      picked += meanPairwiseSimilarity(picks);
      random += meanPairwiseSimilarity(randomSample(papers, 5, day + 1));
      date = nextDay(date);
    }
    expect(picked).toBeLessThan(random * 0.9);
  });

  it('uses a given similarity', () => {
    const calls: number[] = [];
    const picks = dailyPicks(papers, '2026-03-14', 3, [], (a, b) => {
      calls.push(1);
      return a.title.length === b.title.length ? 1 : 0;
    });
    expect(picks).toHaveLength(3);
    expect(calls.length).toBeGreaterThan(0);
  });

  it('clamps n to 1..10 and the collection size', () => {
    expect(dailyPicks(papers, '2026-03-14', 0, [])).toHaveLength(1);
    expect(dailyPicks(papers, '2026-03-14', 50, [])).toHaveLength(10);
    expect(dailyPicks(papers.slice(0, 2), '2026-03-14', 5, [])).toHaveLength(2);
    expect(dailyPicks([], '2026-03-14', 3, [])).toEqual([]);
  });

  it.each(['2026-02-30', 'tomorrow'])('rejects the date %j with a clear message', (d) => {
    let caught: unknown;
    try {
      dailyPicks(papers, d, 3, []);
    } catch (err) {
      caught = err;
    }
    expect(isUserFacingError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/not a valid date.*YYYY-MM-DD/);
  });

  it('rejects a non-numeric n', () => {
    expect(() => dailyPicks(papers, '2026-03-14', Number.NaN, [])).toThrow(/number from 1 to 10/);
  });
});
