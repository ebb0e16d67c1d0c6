import { mkdtemp, rm, writeFile, readFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VECTOR_INDEX_FILE, VectorIndexUnreadableError, VectorFileStore } from '../../src/store/vector-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pb-vstore-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('VectorFileStore (rows.f32)', () => {
  const rows = [
    { id: 'east', vector: unit([1, 0, 0]) },
    { id: 'north-east', vector: unit([1, 1, 0]) },
    { id: 'north', vector: unit([0, 1, 0]) },
    { id: 'up', vector: unit([0, 0, 1]) },
    { id: 'west', vector: unit([-1, 0, 0]) },
  ];

  it('returns nearest neighbours by cosine after a build and a fresh open', async () => {
    const built = await VectorFileStore.create(path.join(dir, 'v'), 3, rows);
    const opened = await VectorFileStore.open(path.join(dir, 'v'));
    for (const store of [built, opened]) {
      expect(store.size).toBe(5);
      expect(store.dims).toBe(3);
      const hits = await store.query([2, 0.1, 0], 3);
      expect(hits.map((h) => h.id)).toEqual(['east', 'north-east', 'north']);
      expect(hits[0]!.score).toBeCloseTo(0.9988, 3);
      expect((await store.query([-1, 0, 0], 5)).at(-1)!.id).toBe('east');
    }
  });

  it('skips excluded ids and still fills k', async () => {
    const store = await VectorFileStore.create(path.join(dir, 'v'), 3, rows);
    const hits = await store.query([1, 0, 0], 2, new Set(['east']));
    expect(hits.map((h) => h.id)).toEqual(['north-east', 'north']);
  });

  it('scores with the configured kernel (VECTOR_KERNEL), SIMD by default, same answers', async () => {
    await VectorFileStore.create(path.join(dir, 'v'), 3, rows);
    const auto = await VectorFileStore.open(path.join(dir, 'v'));
    const js = await VectorFileStore.open(path.join(dir, 'v'), { kernel: 'js' });
    expect([auto.kernel, js.kernel]).toEqual(['simd', 'js']);
    const q = [0.6, 0.8, 0];
    expect((await js.query(q, 3)).map((h) => h.id)).toEqual((await auto.query(q, 3)).map((h) => h.id));
  });

  it('gives back stored vectors by id', async () => {
    await VectorFileStore.create(path.join(dir, 'v'), 3, rows);
    const store = await VectorFileStore.open(path.join(dir, 'v'));
    const v = store.vectorOf('north-east')!;
    expect(v[0]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(v[2]).toBe(0);
    expect(store.vectorOf('nope')).toBeUndefined();
  });

  it('rejects wrong dims and duplicate ids', async () => {
    await expect(VectorFileStore.create(path.join(dir, 'a'), 3, [{ id: 'x', vector: [1, 0] }])).rejects.toThrow(/dims/);
    await expect(
      VectorFileStore.create(path.join(dir, 'b'), 3, [
        { id: 'x', vector: [1, 0, 0] },
        { id: 'x', vector: [0, 1, 0] },
      ]),
    ).rejects.toThrow(/duplicate/);
  });

  it('reports a missing, truncated or garbage index as unreadable instead of crashing', async () => {
    await expect(VectorFileStore.open(path.join(dir, 'missing'))).rejects.toBeInstanceOf(VectorIndexUnreadableError);

    await VectorFileStore.create(path.join(dir, 'v'), 3, rows);
    const file = path.join(dir, 'v', VECTOR_INDEX_FILE);
    const size = (await readFile(file)).length;
    await truncate(file, size - 6);
    await expect(VectorFileStore.open(path.join(dir, 'v'))).rejects.toThrow(/truncated/);

    await truncate(file, 20);
    await expect(VectorFileStore.open(path.join(dir, 'v'))).rejects.toBeInstanceOf(VectorIndexUnreadableError);

    await writeFile(file, '{"version":1,"items":[');
    await expect(VectorFileStore.open(path.join(dir, 'v'))).rejects.toBeInstanceOf(VectorIndexUnreadableError);
  });

  it('handles dims that are not a multiple of 4 and agrees with the plain JS scorer', async () => {
    const dims = 7;
    const many = Array.from({ length: 300 }, (_, i) => ({
      id: `r${i}`,
      vector: Array.from({ length: dims }, (_, d) => Math.sin(i * 13 + d * 7)),
    }));
    const store = await VectorFileStore.create(path.join(dir, 'odd'), dims, many);
    const q = Array.from({ length: dims }, (_, d) => Math.cos(d));
    const hits = await store.query(q, 10);

    const qn = unit(q);
    const expected = many
      .map((r) => ({ id: r.id, score: unit(r.vector).reduce((s, x, d) => s + x * qn[d]!, 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 5));
  });
});
