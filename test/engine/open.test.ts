import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config.js';
import { openEngine } from '../../src/engine/open.js';
import { createLogger } from '../../src/logger.js';
import { HashEmbedder } from '../helpers/hash-embedder.js';
import { setupTinyEmbedder, type TinyModelEnv } from '../helpers/tiny-model-env.js';
import { PassThrough } from 'node:stream';

const ROOT = path.resolve(__dirname, '../..');
let tiny: TinyModelEnv;
let dir: string;

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => (text += c.toString()));
  return { logger: createLogger({ level: 'info', destination: stream }), text: () => text };
}

function config(indexDir: string) {
  return loadCoreConfig({ PAPERS_PATH: path.join(ROOT, 'data/papers.txt'), INDEX_DIR: indexDir }, ROOT);
}

beforeAll(async () => {
  tiny = await setupTinyEmbedder();
  dir = mkdtempSync(path.join(os.tmpdir(), 'paperbot-open-'));
}, 60_000);
afterAll(async () => {
  await tiny.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('openEngine', () => {
  it('with the tiny model: builds vectors and runs hybrid retrieval through the real pipeline', async () => {
    const { logger } = capture();
    const { engine } = await openEngine({ config: config(path.join(dir, 'hybrid')), logger, embedder: tiny.embedder });
    expect(engine.mode).toBe('hybrid');
    expect(engine.info().model).toBe(tiny.embedder.modelId);
    const found = await engine.find('kv cache quantization', { k: 5 });
    expect(found.mode).toBe('hybrid');
    expect(found.hits[0]!.paper.title).toMatch(/KV/i);
    const self = found.hits[0]!.paper.id;
    const similar = await engine.similar(self, { k: 5 });
    expect(similar.hits.map((h) => h.paper.id)).not.toContain(self);
    expect(similar.hits).toHaveLength(5);
  });

  it('a garbage vector file is detected and rebuilt from the collection', async () => {
    const indexDir = path.join(dir, 'corrupt');
    const { logger } = capture();
    await openEngine({ config: config(indexDir), logger, embedder: tiny.embedder });
    const gen = readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim();
    const vectorsDir = path.join(indexDir, gen, 'vectors');
    for (const f of readdirSync(vectorsDir)) writeFileSync(path.join(vectorsDir, f), 'garbage');
    const log = capture();
    const { engine } = await openEngine({ config: config(indexDir), logger: log.logger, embedder: tiny.embedder });
    expect(log.text()).toMatch(/unreadable; rebuilding/);
    expect(engine.mode).toBe('hybrid');
    expect((await engine.find('video compression')).hits.length).toBeGreaterThan(0);
  });

  it('an index built with another model: says so and searches lexically until re-ingested', async () => {
    const indexDir = path.join(dir, 'mismatch');
    await openEngine({ config: config(indexDir), logger: capture().logger, embedder: new HashEmbedder({ dims: 64 }) });
    const log = capture();
    const { engine } = await openEngine({ config: config(indexDir), logger: log.logger, embedder: tiny.embedder });
    expect(engine.mode).toBe('lexical');
    expect(engine.info().modelNote).toMatch(/hash-embedder-64.*paperbot ingest/);
    expect(log.text()).toMatch(/paperbot ingest/);
    expect((await engine.find('video compression')).mode).toBe('lexical');
  });

  it('the saved lexical index is used; one from other code is rebuilt, reusing the embeddings', async () => {
    const indexDir = path.join(dir, 'lexical-cache');
    const embedder = new HashEmbedder({ dims: 16 });
    await openEngine({ config: config(indexDir), logger: capture().logger, embedder });
    const warm = capture();
    const first = await openEngine({ config: config(indexDir), logger: warm.logger, embedder });
    expect(warm.text()).not.toMatch(/building the lexical index in memory|building the index|updating the index/);
    const before = (await first.engine.find('kv cache quantization')).hits.map((h) => h.paper.id);

    const gen = readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim();
    writeFileSync(path.join(indexDir, gen, 'lexical.fingerprint'), 'from-an-older-version');
    const embeddedBefore = embedder.documentsEmbedded;
    const log = capture();
    const { engine } = await openEngine({ config: config(indexDir), logger: log.logger, embedder });
    expect(log.text()).toMatch(/another version of paperbot/);
    expect(embedder.documentsEmbedded).toBe(embeddedBefore); // vectors reused, nothing re-embedded
    expect((await engine.find('kv cache quantization')).hits.map((h) => h.paper.id)).toEqual(before);
  });
});
