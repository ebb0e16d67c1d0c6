import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@huggingface/transformers';
import pino from 'pino';
import { DEFAULT_MODEL, loadEmbedder } from '../../src/embedding/index.js';
import { createTinyModel } from '../fixtures/tiny-model.js';

/** A pino logger whose output lines we can inspect. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}

/** A port that refuses connections: stands in for "no network" without touching the internet. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const originalRemoteHost = env.remoteHost;
let root: string;
let cacheDir: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-load-embedder-'));
  cacheDir = path.join(root, 'models');
});
afterEach(() => {
  env.remoteHost = originalRemoteHost;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadEmbedder', () => {
  it("returns no embedder and a lexical-only note for 'none'", async () => {
    const { logger, warnings } = capturingLogger();
    const result = await loadEmbedder({ model: 'none', cacheDir, logger });
    expect(result).toEqual({ embedder: null, note: 'lexical only (EMBEDDING_MODEL=none)' });
    expect(warnings()).toEqual([]);
  });

  it('falls back quickly with a one-line note when the Hub is unreachable and nothing is cached', async () => {
    env.remoteHost = `http://127.0.0.1:${await closedPort()}/`;
    const { logger, warnings } = capturingLogger();
    const started = Date.now();
    const result = await loadEmbedder({ model: DEFAULT_MODEL, cacheDir, logger });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.embedder).toBeNull();
    expect(result.note).toBe(
      `embedding model "${DEFAULT_MODEL}" unavailable (no network and not in ${cacheDir}): running lexical-only. ` +
        'Set EMBEDDING_MODEL to a local folder, or none to silence this.',
    );
    expect(result.note).not.toContain('\n');
    expect(warnings()).toEqual([result.note]);
  });

  it('gives up on a server that never answers within the timeout and drops the connection', async () => {
    // Resolves when the connection that carried the (never answered) request is closed.
    let requestSocketClosed: Promise<void> = new Promise(() => undefined);
    const hungServer = net.createServer((socket) => {
      socket.once('data', () => {
        requestSocketClosed = new Promise((resolve) => socket.on('close', () => resolve()));
      });
    });
    await new Promise<void>((resolve) => hungServer.listen(0, '127.0.0.1', resolve));
    try {
      env.remoteHost = `http://127.0.0.1:${(hungServer.address() as net.AddressInfo).port}/`;
      const { logger } = capturingLogger();
      const started = Date.now();
      const result = await loadEmbedder({ model: DEFAULT_MODEL, cacheDir, logger, timeoutMs: 400 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(result.embedder).toBeNull();
      expect(result.note).toMatch(new RegExp(`^embedding model "${DEFAULT_MODEL}" .*running lexical-only`));
      // A hung request left open would keep the bot process alive after shutdown.
      await expect(Promise.race([requestSocketClosed.then(() => 'closed'), sleep(2_000).then(() => 'still open')])).resolves.toBe(
        'closed',
      );
    } finally {
      hungServer.close();
    }
  });

  it('with probeHost: a Hub model not in the cache whose host does not resolve is given up without trying it', async () => {
    // The hub itself hangs: only the probe can answer quickly.
    const hungServer = net.createServer(() => undefined);
    await new Promise<void>((resolve) => hungServer.listen(0, '127.0.0.1', resolve));
    try {
      env.remoteHost = `http://127.0.0.1:${(hungServer.address() as net.AddressInfo).port}/`;
      const { logger, warnings } = capturingLogger();
      const result = await loadEmbedder({ model: DEFAULT_MODEL, cacheDir, logger, timeoutMs: 5_000, probeHost: 'no-such-host.invalid' });
      expect(result.embedder).toBeNull();
      expect(result.note).toMatch(/unavailable \(no network and not in .*\): running lexical-only/);
      expect(warnings()).toEqual([result.note]);
    } finally {
      hungServer.close();
    }
  });

  it('names a local model folder that does not exist', async () => {
    const missing = path.join(root, 'no-such-model');
    const { logger } = capturingLogger();
    const result = await loadEmbedder({ model: missing, cacheDir, logger });
    expect(result.embedder).toBeNull();
    expect(result.note).toContain(`"${missing}" not found`);
  });

  it('reports, without throwing, a folder that is not a model', async () => {
    const empty = path.join(root, 'empty-folder');
    await mkdir(empty, { recursive: true });
    const { logger, warnings } = capturingLogger();
    const result = await loadEmbedder({ model: empty, cacheDir, logger });
    expect(result.embedder).toBeNull();
    expect(result.note).toMatch(new RegExp(`^embedding model folder "${empty}" could not be loaded \\(.*config\\.json`));
    expect(warnings()).toHaveLength(1);
  });

  it('uses a Hub model already cached in cacheDir without touching the network', async () => {
    env.remoteHost = `http://127.0.0.1:${await closedPort()}/`;
    const cached = path.join(root, 'cache-with-model');
    await createTinyModel(path.join(cached, 'someone', 'tiny-bert'), { hidden: 8 });
    const { logger, warnings } = capturingLogger();
    const result = await loadEmbedder({ model: 'someone/tiny-bert', cacheDir: cached, logger });
    try {
      expect(result.note).toBeUndefined();
      expect(result.embedder?.modelId).toBe('someone/tiny-bert');
      expect(result.embedder?.dims).toBe(8);
      expect(warnings()).toEqual([]);
    } finally {
      await result.embedder?.dispose?.();
    }
  });

  it('loads a local model folder', async () => {
    const dir = await createTinyModel(path.join(root, 'tiny'), { hidden: 16 });
    const { logger, warnings } = capturingLogger();
    const result = await loadEmbedder({ model: dir, cacheDir, logger });
    try {
      expect(result.note).toBeUndefined();
      expect(result.embedder?.dims).toBe(16);
      expect(warnings()).toEqual([]);
    } finally {
      await result.embedder?.dispose?.();
    }
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
