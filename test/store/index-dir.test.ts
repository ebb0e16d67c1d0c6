import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INDEX_FORMAT_VERSION,
  cleanupStale,
  commitGeneration,
  createGeneration,
  inspectCurrentGeneration,
  readCurrentGeneration,
  readPapersSnapshot,
  writeManifest,
  writePapersSnapshot,
  type IndexManifest,
} from '../../src/store/index-dir.js';
import { syntheticCollection } from './synthetic.js';

let indexDir: string;
beforeEach(async () => {
  indexDir = await mkdtemp(path.join(tmpdir(), 'pb-gen-'));
});
afterEach(async () => {
  await rm(indexDir, { recursive: true, force: true });
});

function manifestFor(count: number): IndexManifest {
  const c = syntheticCollection(count);
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    modelId: null,
    dims: null,
    collectionHash: c.hash,
    paperCount: count,
    builtAt: '2026-01-01T00:00:00.000Z',
  };
}

async function buildGeneration(count: number): Promise<string> {
  const dir = await createGeneration(indexDir);
  await writePapersSnapshot(dir, syntheticCollection(count).papers);
  await writeManifest(dir, manifestFor(count));
  return dir;
}

describe('index generations', () => {
  it('has no generation in an empty or absent folder', async () => {
    expect(await readCurrentGeneration(indexDir)).toBeNull();
    expect(await inspectCurrentGeneration(path.join(indexDir, 'nope'))).toEqual({ generation: null });
  });

  it('a built generation becomes live only when committed, and older ones are removed', async () => {
    const first = await buildGeneration(3);
    expect(await readCurrentGeneration(indexDir)).toBeNull();
    await commitGeneration(indexDir, first);
    expect((await readCurrentGeneration(indexDir))!.dir).toBe(first);
    expect((await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim()).toBe(path.basename(first));

    const second = await buildGeneration(4);
    expect((await readCurrentGeneration(indexDir))!.dir).toBe(first);
    await commitGeneration(indexDir, second);
    const live = (await readCurrentGeneration(indexDir))!;
    expect(live.dir).toBe(second);
    expect(live.manifest.paperCount).toBe(4);
    expect((await readPapersSnapshot(second)).length).toBe(4);
    expect((await readdir(indexDir)).sort()).toEqual(['CURRENT', path.basename(second)]);
    // The building marker is gone from a committed generation.
    expect(await readdir(second)).not.toContain('.building');
  });

  it('refuses to commit a generation without a manifest', async () => {
    const dir = await createGeneration(indexDir);
    await expect(commitGeneration(indexDir, dir)).rejects.toThrow(/incomplete/);
    expect(await readCurrentGeneration(indexDir)).toBeNull();
  });

  it.each([
    ['garbage CURRENT', async () => writeFile(path.join(indexDir, 'CURRENT'), '\u0000\u0001zz'), /does not name a generation/],
    ['empty CURRENT (truncated)', async () => writeFile(path.join(indexDir, 'CURRENT'), ''), /does not name a generation/],
    ['CURRENT naming a missing generation', async () => writeFile(path.join(indexDir, 'CURRENT'), 'gen-1-abcdef\n'), /gen-1-abcdef is missing/],
    ['truncated manifest', async (gen: string) => writeFile(path.join(gen, 'manifest.json'), '{"formatVersion":1,"mod'), /not valid JSON/],
    ['manifest of the wrong shape', async (gen: string) => writeFile(path.join(gen, 'manifest.json'), '{"formatVersion":1}'), /malformed/],
    [
      'manifest of another format version',
      async (gen: string) => writeFile(path.join(gen, 'manifest.json'), JSON.stringify({ ...manifestFor(2), formatVersion: 999 })),
      /format 999/,
    ],
    ['generation without its papers snapshot', async (gen: string) => rm(path.join(gen, 'papers.bin')), /papers.bin of gen-\d+-[0-9a-f]+ is missing/],
    [
      'model generation without its vectors',
      async (gen: string) => writeFile(path.join(gen, 'manifest.json'), JSON.stringify({ ...manifestFor(2), modelId: 'm', dims: 8 })),
      /vectors\/rows.f32 of .* is missing/,
    ],
  ])('treats a %s as missing and says why', async (_name, damage, problem) => {
    const gen = await buildGeneration(2);
    await commitGeneration(indexDir, gen);
    await damage(gen);
    const inspection = await inspectCurrentGeneration(indexDir);
    expect(inspection.generation).toBeNull();
    expect(inspection.problem).toMatch(problem);
    expect(await readCurrentGeneration(indexDir)).toBeNull();
  });

  it('cleanup keeps the live generation and those a running process is still building', async () => {
    const live = await buildGeneration(1);
    await commitGeneration(indexDir, live);
    const buildingHere = await createGeneration(indexDir);
    const marked = async (name: string, pid: number) => {
      await mkdir(path.join(indexDir, name));
      await writeFile(path.join(indexDir, name, '.building'), String(pid));
    };
    await marked('gen-3-aaaa', process.ppid); // another live process (our parent) builds it
    await marked('gen-2-0badf00d', 999999999); // its builder is dead
    await marked('gen-4-bbbb', process.pid); // an earlier process with our pid, not us
    await mkdir(path.join(indexDir, 'gen-5-cccc')); // an old committed generation
    await writeFile(path.join(indexDir, 'CURRENT.tmp-1-abc'), 'gen-');

    const removed = await cleanupStale(indexDir);
    expect(removed.sort()).toEqual(['CURRENT.tmp-1-abc', 'gen-2-0badf00d', 'gen-4-bbbb', 'gen-5-cccc']);
    expect((await readdir(indexDir)).sort()).toEqual(['CURRENT', path.basename(buildingHere), 'gen-3-aaaa', path.basename(live)].sort());
  });
});
