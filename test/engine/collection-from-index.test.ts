/**
 * Start-up reads the collection from the index generation when its files are the ones the index was
 * built from (same size and time, or same content after a touch), and parses the files otherwise.
 */
import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourcesUnchanged } from '../../src/collection/sources.js';
import { loadCoreConfig } from '../../src/config.js';
import { currentCollection, openEngine } from '../../src/engine/open.js';
import { createLogger } from '../../src/logger.js';
import { inspectCurrentGeneration, PAPERS_FILE } from '../../src/store/index-dir.js';

let dir: string;
const logger = createLogger({ level: 'silent' });
const record = (i: number) => JSON.stringify({ id: `p${i}`, title: `Paper number ${i} on sparse attention`, abstract: `Abstract ${i}: we study sparse attention for long documents.` });

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pb-from-index-'));
  writeFileSync(path.join(dir, 'papers.jsonl'), [1, 2, 3].map(record).join('\n') + '\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const config = () => loadCoreConfig({ PAPERS_PATH: path.join(dir, 'papers.jsonl'), INDEX_DIR: path.join(dir, 'index'), LOG_LEVEL: 'silent' }, dir);

describe('the collection at start-up', () => {
  it('comes from the index while the files are unchanged, even after a touch, and from the files once they change', async () => {
    const first = await openEngine({ config: config(), logger, embedder: null });
    const again = await currentCollection(config());
    expect(again.fromIndex).toBeTruthy();
    expect(again.collection.papers).toEqual(first.collection.papers);
    expect(again.collection.fromGeneration).toBeTruthy();

    const file = path.join(dir, 'papers.jsonl');
    utimesSync(file, new Date(), new Date(Date.now() + 5000)); // same content, new time: hashed, still unchanged
    expect((await currentCollection(config())).fromIndex).toBeTruthy();

    appendFileSync(file, record(4) + '\n');
    const changed = await currentCollection(config());
    expect(changed.fromIndex).toBeUndefined();
    expect(changed.collection.papers).toHaveLength(4);
    const reopened = await openEngine({ config: config(), logger, embedder: null });
    expect(reopened.engine.papers).toHaveLength(4);
    expect((await currentCollection(config())).fromIndex).toBeTruthy();
  });

  it('parses the files when the saved papers are damaged, and the index is rebuilt whole', async () => {
    await openEngine({ config: config(), logger, embedder: null });
    const { generation } = await inspectCurrentGeneration(path.join(dir, 'index'));
    writeFileSync(path.join(generation!.dir, PAPERS_FILE), 'PBBIN001 and then garbage');
    expect((await currentCollection(config())).fromIndex).toBeUndefined();
    const reopened = await openEngine({ config: config(), logger, embedder: null });
    expect(reopened.engine.papers).toHaveLength(3);
    const again = await currentCollection(config());
    expect(again.fromIndex).toBeTruthy();
    expect(again.collection.papers.map((p) => p.id)).toEqual(['p1', 'p2', 'p3']);
  });

  it('never trusts a stamp for another file, a missing file, or a same-sized edit with a new time', async () => {
    await openEngine({ config: config(), logger, embedder: null });
    const { collection } = await currentCollection(config());
    const stamps = collection.sources!;
    const file = path.join(dir, 'papers.jsonl');
    expect(await sourcesUnchanged(stamps, [file])).toBe(true);
    expect(await sourcesUnchanged(stamps, [path.join(dir, 'other.jsonl')])).toBe(false);
    expect(await sourcesUnchanged(undefined, [file])).toBe(false);
    writeFileSync(file, [1, 2, 9].map(record).join('\n') + '\n'); // same length, other content
    utimesSync(file, new Date(), new Date(Date.now() + 9000));
    expect(await sourcesUnchanged(stamps, [file])).toBe(false);
    rmSync(file);
    expect(await sourcesUnchanged(stamps, [file])).toBe(false);
  });
});
