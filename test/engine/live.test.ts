/**
 * LiveEngine: rebuilds queue and coalesce, each rebuild reads the collection as it is then, the
 * swap is one assignment (an engine taken before keeps working), another process's generation is
 * picked up by refresh(), and a damaged new generation is never served.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCollection } from '../../src/collection/load.js';
import { parseJsonl } from '../../src/collection/parse.js';
import type { Collection, PaperRecord } from '../../src/collection/types.js';
import { LiveEngine } from '../../src/engine/live.js';
import { HashEmbedder } from '../helpers/hash-embedder.js';

const SEED = ['Alder Trees in Wet Soils', 'Birch Bark Chemistry', 'Cedar Oils and Insects']
  .map((title, i) => JSON.stringify({ title, abstract: `${title}: a study, number ${i}.` }))
  .join('\n');

let dir: string;
let added: PaperRecord[];
let loads: number;
const logger = pino({ level: 'silent' });

function load(): Promise<Collection> {
  loads++;
  return Promise.resolve(buildCollection([{ file: 'seed.jsonl', result: parseJsonl(SEED, 'seed.jsonl') }], { additions: added.map((record, i) => ({ seq: i + 1, record })), removals: [] }));
}

const rec = (title: string): PaperRecord => ({ title, abstract: `${title} abstract words.`, authors: [], categories: [] });

function open(embedder: HashEmbedder | null = null) {
  return LiveEngine.open({ indexDir: path.join(dir, 'index'), embedder, loadCollection: load, logger });
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'paperbot-live-'));
  added = [];
  loads = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LiveEngine', () => {
  it('builds at open, then a rebuild swaps in the next generation; an engine taken before keeps answering', async () => {
    const { live } = await open();
    const before = live.current();
    expect(before.papers).toHaveLength(3);
    added.push(rec('Dogwood Flowering Times'));
    const result = await live.rebuild();
    expect(result.built).toBe(true);
    expect(live.current()).not.toBe(before);
    expect(live.current().papers).toHaveLength(4);
    expect((await live.current().find('dogwood flowering')).hits[0]?.paper.title).toBe('Dogwood Flowering Times');
    expect((await before.find('birch bark')).hits[0]?.paper.title).toBe('Birch Bark Chemistry');
    expect((await live.rebuild()).built, 'nothing changed: no new generation').toBe(false);
    await live.close();
  });

  it('rebuilds coalesce: requests while one waits share it; a request during a build gets the next one', async () => {
    const { live } = await open(new HashEmbedder({ dims: 16, delayMsPerBatch: 100 }));
    loads = 0;
    added.push(rec('Elm Disease Spread'));
    const first = live.rebuild();
    const second = live.rebuild(); // not started yet: shares
    expect(second).toBe(first);
    await new Promise((r) => setTimeout(r, 20)); // the first is running now
    added.push(rec('Fir Needle Drop'));
    const third = live.rebuild();
    const fourth = live.rebuild();
    expect(third).not.toBe(first);
    expect(fourth).toBe(third);
    await Promise.all([first, third]);
    expect(loads, 'one collection read per build').toBe(2);
    expect(live.current().papers.map((p) => p.title)).toContain('Fir Needle Drop');
    await live.close();
  });

  it('refresh() serves a generation another process committed; a damaged one is never served', async () => {
    const { live } = await open();
    const { live: other } = await open();
    added.push(rec('Ginkgo Leaf Shapes'));
    await other.rebuild();
    expect(live.current().papers).toHaveLength(3);
    expect(await live.refresh()).toBe(true);
    expect(live.current().papers.map((p) => p.title)).toContain('Ginkgo Leaf Shapes');
    expect(await live.refresh()).toBe(false);
    // A generation without its files, named by CURRENT: still serving the last good one.
    const served = live.generation;
    const bad = path.join(dir, 'index', 'gen-1-deadbeef');
    mkdirSync(bad);
    writeFileSync(path.join(dir, 'index', 'CURRENT'), 'gen-1-deadbeef\n');
    expect(await live.refresh()).toBe(false);
    expect(live.generation).toBe(served);
    await Promise.all([live.close(), other.close()]);
  });

  it('watch(): a commit by another engine is picked up without a call', async () => {
    const { live } = await open();
    live.watch(200);
    const { live: other } = await open();
    added.push(rec('Hawthorn Hedges'));
    await other.rebuild();
    const deadline = Date.now() + 5000;
    while (!live.current().paper('Hawthorn Hedges') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(live.current().paper('Hawthorn Hedges')?.title).toBe('Hawthorn Hedges');
    await Promise.all([live.close(), other.close()]);
  });

  it('view() always calls the engine current at the moment', async () => {
    const { live } = await open();
    const view = live.view();
    expect(view.papers).toHaveLength(3);
    added.push(rec('Ivy on Walls'));
    await live.rebuild();
    expect(view.papers).toHaveLength(4);
    expect(view.paper('Ivy on Walls')?.title).toBe('Ivy on Walls');
    await live.close();
  });
});
