/**
 * kill -9 at random moments of an ingest must leave a fully usable index:
 * all papers of either the old or the new collection, never a mix or a part.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/engine/ingest.js';
import { readCurrentGeneration, readPapersSnapshot, vectorsDirOf } from '../../src/store/index-dir.js';
import { VectorFileStore } from '../../src/store/vector-file.js';
import { HashEmbedder } from '../helpers/hash-embedder.js';
import { syntheticCollection } from './synthetic.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const childScript = path.join(repoRoot, 'test/helpers/ingest-child.ts');
const KILLS = 5;
/** The two collections the index flips between: different sizes and texts, so a mix would show. */
const versions = [
  { count: 2000, variant: 0 },
  { count: 2300, variant: 1 },
];
const hashes = new Map(versions.map((v) => [syntheticCollection(v.count, v.variant).hash, v]));

let indexDir: string;
beforeAll(async () => {
  indexDir = await mkdtemp(path.join(tmpdir(), 'pb-kill-'));
});
afterAll(async () => {
  await rm(indexDir, { recursive: true, force: true });
});

/** Small deterministic PRNG so a failing schedule can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface KillRun {
  killedAfter: 'started' | 'embedded' | 'done';
  /** From the last vector to the process end: the write + commit window. */
  commitWindowMs?: number;
}

function runAndKill(target: { count: number; variant: number }, pickDelayMs: (afterEmbedded: boolean) => number | null): Promise<KillRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, indexDir, String(target.count), String(target.variant), '4'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stage: KillRun['killedAfter'] | 'spawned' = 'spawned';
    let stderr = '';
    let embeddedAt = 0;
    let doneAt = 0;
    const kill = () => child.kill('SIGKILL');
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line === 'started') {
          stage = 'started';
          const delay = pickDelayMs(false);
          if (delay !== null) setTimeout(kill, delay);
        } else if (line === 'embedded') {
          stage = 'embedded';
          embeddedAt = performance.now();
          const delay = pickDelayMs(true);
          if (delay !== null) setTimeout(kill, delay);
        } else if (line.startsWith('done')) {
          stage = 'done';
          doneAt = performance.now();
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else if (stage === 'spawned') reject(new Error(`child was killed before it started: ${stderr}`));
      else resolve({ killedAfter: stage, commitWindowMs: embeddedAt && doneAt ? doneAt - embeddedAt : undefined });
    });
  });
}

async function expectWholeIndex(): Promise<number> {
  const gen = await readCurrentGeneration(indexDir);
  expect(gen, 'a live generation after the kill').not.toBeNull();
  const version = hashes.get(gen!.manifest.collectionHash);
  expect(version, 'the live index is one of the two collections').toBeDefined();
  const expected = syntheticCollection(version!.count, version!.variant).papers;

  const papers = await readPapersSnapshot(gen!.dir);
  expect(papers.length).toBe(expected.length);
  expect(papers.map((p) => p.hash)).toEqual(expected.map((p) => p.hash));
  expect(gen!.manifest.paperCount).toBe(expected.length);

  const store = await VectorFileStore.open(vectorsDirOf(gen!.dir));
  expect(store.size).toBe(expected.length);
  const embedder = new HashEmbedder({ dims: 16 });
  for (const paper of [expected[0]!, expected[Math.floor(expected.length / 2)]!, expected.at(-1)!]) {
    const stored = store.vectorOf(paper.id)!;
    const fresh = embedder.embed(`${paper.title}\n\n${paper.abstract}`);
    stored.forEach((x, i) => expect(x).toBeCloseTo(fresh[i]!, 5));
    const hits = await store.query(fresh, 5);
    expect(hits.map((h) => h.id)).toContain(paper.id);
  }
  return expected.length;
}

describe('ingest under kill -9', () => {
  it(`leaves the old or the new index whole after ${KILLS} kills at random moments`, async () => {
    // An uninterrupted first build, which also measures how long writing and committing take.
    const calibration = await runAndKill(versions[0]!, () => null);
    expect(calibration.killedAfter).toBe('done');
    let commitWindowMs = calibration.commitWindowMs!;
    await expectWholeIndex();

    const seed = Number(process.env.KILL_SEED ?? 20261127);
    const random = lcg(seed);
    const stages: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const target = versions[(i + 1) % 2]!;
      // Runs 1-3 die early, midway and late in writing + committing the new generation
      // (each at a jittered point of its third of the window); runs 0 and 4 die while embedding.
      const commitSlot = i >= 1 && i <= 3 ? i - 1 : null;
      const run = await runAndKill(target, (afterEmbedded) => {
        if (commitSlot !== null) return afterEmbedded ? Math.floor(((commitSlot + random()) / 3) * commitWindowMs) : null;
        return afterEmbedded ? null : Math.floor(random() * 800);
      });
      stages.push(run.killedAfter);
      // Load on the machine varies; a run that finished tells us the window is shorter than we thought.
      if (run.killedAfter === 'done' && run.commitWindowMs) commitWindowMs = Math.min(commitWindowMs, run.commitWindowMs);
      await expectWholeIndex();
    }
    // The schedule must actually interrupt builds, or this test proves nothing.
    expect(stages.filter((s) => s !== 'done').length, `stages: ${stages.join(', ')} (seed ${seed}, window ${commitWindowMs} ms)`).toBeGreaterThanOrEqual(2);

    // A clean run afterwards sweeps every half-built generation away.
    const last = versions[1]!;
    const result = await ingest({ collection: syntheticCollection(last.count, last.variant), indexDir, embedder: new HashEmbedder({ dims: 16 }), force: true });
    expect((await readdir(indexDir)).filter((e) => e.startsWith('gen-'))).toEqual([path.basename(result.generationDir)]);
    expect(await expectWholeIndex()).toBe(last.count);
  }, 90_000); // ~15 s normally; child start-up under a loaded CI box can triple it
});
