/**
 * Crash-safe index generations.
 *
 *   <indexDir>/CURRENT            names the live generation folder (replaced atomically)
 *   <indexDir>/gen-<ts>-<rand>/   manifest.json, papers.json, vectors/ (only with a model)
 *
 * A build always writes a fresh generation folder and only then flips CURRENT
 * (write temp → fsync → rename → fsync dir). A process killed at any moment
 * therefore leaves either the old or the new generation live, never a mix;
 * half-built folders are swept up later by `cleanupStale`.
 *
 * Several processes may build at once (two `ingest`s, a bot rebuilding a damaged index). The
 * flip of CURRENT and the sweep run under the index lock (index-lock.ts, `<indexDir>/LOCK`), so a
 * sweep never reads CURRENT, then deletes the generation another process has just made live, nor
 * another process's in-flight CURRENT.tmp-*. Readers take no lock: they retry while CURRENT moves.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Paper } from '../collection/types.js';
import type { VectorKernel } from './row-matrix.js';
import { VECTOR_INDEX_FILE, VectraStore } from './vectra-store.js';
import { withIndexLock, type LockOptions } from './index-lock.js';

/** Bump when the on-disk layout changes; an older index is then rebuilt. */
export const INDEX_FORMAT_VERSION = 1;

const CURRENT_FILE = 'CURRENT';
const MANIFEST_FILE = 'manifest.json';
const PAPERS_FILE = 'papers.json';
/** Present while a generation is being built; holds the builder's pid. */
const BUILDING_MARKER = '.building';
const GEN_PREFIX = 'gen-';
const GEN_NAME = /^gen-\d+-[0-9a-f]+$/;
/** Generations this process is building right now (a marker pid alone can't tell after pid reuse). */
const buildingHere = new Set<string>();
/** How many times a reader re-reads CURRENT when the generation it named was swapped away meanwhile. */
const READ_ATTEMPTS = 5;

const manifestSchema = z.object({
  formatVersion: z.number(),
  modelId: z.string().nullable(),
  dims: z.number().int().positive().nullable(),
  collectionHash: z.string(),
  paperCount: z.number().int().nonnegative(),
  builtAt: z.string(),
  papers: z.array(z.object({ id: z.string(), hash: z.string() })),
});

export type IndexManifest = z.infer<typeof manifestSchema>;

export interface Generation {
  /** Absolute path of the generation folder. */
  dir: string;
  manifest: IndexManifest;
}

/** What is on disk: a usable generation, or why there is none (`problem` is unset when simply absent). */
export interface GenerationInspection {
  generation: Generation | null;
  problem?: string;
}

export function vectorsDirOf(genDir: string): string {
  return path.join(genDir, 'vectors');
}

/** The live generation, or null when there is none or it is unreadable. */
export async function readCurrentGeneration(indexDir: string): Promise<Generation | null> {
  return (await inspectCurrentGeneration(indexDir)).generation;
}

/**
 * Like readCurrentGeneration but says why a present index is unusable, so the
 * caller can log "index unreadable, rebuilding". Never throws for bad content.
 */
export async function inspectCurrentGeneration(indexDir: string): Promise<GenerationInspection> {
  // A concurrent ingest may delete the generation we just looked up; retry with the new CURRENT.
  let last: GenerationInspection = { generation: null };
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    const name = await readCurrentName(indexDir);
    if (name.kind === 'absent') return { generation: null };
    if (name.kind === 'bad') return { generation: null, problem: name.problem };
    last = await readGeneration(path.join(path.resolve(indexDir), name.value));
    if (last.generation) return last;
    const again = await readCurrentName(indexDir);
    if (again.kind !== 'ok' || again.value === name.value) return last;
  }
  return last;
}

/** The folder name CURRENT points at (one small read, for polling), or undefined when absent or bad. */
export async function currentGenerationName(indexDir: string): Promise<string | undefined> {
  const name = await readCurrentName(indexDir);
  return name.kind === 'ok' ? name.value : undefined;
}

type CurrentName = { kind: 'absent' } | { kind: 'bad'; problem: string } | { kind: 'ok'; value: string };

async function readCurrentName(indexDir: string): Promise<CurrentName> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(indexDir, CURRENT_FILE), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return { kind: 'absent' };
    return { kind: 'bad', problem: `cannot read ${CURRENT_FILE}: ${(err as Error).message}` };
  }
  const value = raw.trim();
  if (!GEN_NAME.test(value)) return { kind: 'bad', problem: `${CURRENT_FILE} does not name a generation (${JSON.stringify(value.slice(0, 60))})` };
  return { kind: 'ok', value };
}

async function readGeneration(dir: string): Promise<GenerationInspection> {
  const name = path.basename(dir);
  let raw: string;
  try {
    raw = await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    const why = isNotFound(err) ? 'is missing' : `cannot be read (${(err as Error).message})`;
    return { generation: null, problem: `generation ${name} ${why}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { generation: null, problem: `manifest of ${name} is not valid JSON` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) return { generation: null, problem: `manifest of ${name} is malformed` };
  const manifest = parsed.data;
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    return { generation: null, problem: `index format ${manifest.formatVersion} is not the current format ${INDEX_FORMAT_VERSION}` };
  }
  if (manifest.papers.length !== manifest.paperCount) return { generation: null, problem: `manifest of ${name} is inconsistent` };
  const required = [PAPERS_FILE, ...(manifest.modelId ? [path.join('vectors', VECTOR_INDEX_FILE)] : [])];
  for (const file of required) {
    if (!(await exists(path.join(dir, file)))) return { generation: null, problem: `${file} of ${name} is missing` };
  }
  return { generation: { dir, manifest } };
}

/** The Paper[] snapshot a generation was built from. Throws when it is missing or damaged. */
export async function readPapersSnapshot(genDir: string): Promise<Paper[]> {
  const raw = await fs.readFile(path.join(genDir, PAPERS_FILE), 'utf8');
  const papers: unknown = JSON.parse(raw);
  if (!Array.isArray(papers)) throw new Error(`${PAPERS_FILE} in ${path.basename(genDir)} is not a list`);
  return papers as Paper[];
}

export interface LiveIndex {
  generation: Generation;
  papers: Paper[];
  /** null when the index was built without a model, or when `withVectors` is false. */
  vectors: VectraStore | null;
}

/**
 * Loads the live index for serving: manifest, papers snapshot and (optionally)
 * vectors. Returns `{ live: null, problem }` instead of throwing when it is
 * absent or damaged, so the caller can say "run paperbot ingest" or rebuild.
 * Retries while a concurrent ingest swaps generations under our feet.
 */
export async function openLiveIndex(
  indexDir: string,
  opts: { withVectors: boolean; kernel?: VectorKernel },
): Promise<{ live: LiveIndex | null; problem?: string }> {
  let problem: string | undefined;
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    const inspection = await inspectCurrentGeneration(indexDir);
    if (!inspection.generation) return { live: null, problem: inspection.problem };
    const { generation } = inspection;
    try {
      const papers = await readPapersSnapshot(generation.dir);
      if (papers.length !== generation.manifest.paperCount) throw new Error(`${PAPERS_FILE} holds ${papers.length} papers, the manifest ${generation.manifest.paperCount}`);
      const vectors = opts.withVectors && generation.manifest.modelId ? await VectraStore.open(vectorsDirOf(generation.dir), { kernel: opts.kernel }) : null;
      return { live: { generation, papers, vectors } };
    } catch (err) {
      problem = `generation ${path.basename(generation.dir)} is damaged: ${(err as Error).message}`;
      // Swapped away while we read it (not damaged): read the new one.
      const now = await readCurrentName(indexDir);
      if (now.kind !== 'ok' || now.value === path.basename(generation.dir)) break;
    }
  }
  return { live: null, problem };
}

/** Starts a new, not yet live generation folder. */
export async function createGeneration(indexDir: string): Promise<string> {
  await fs.mkdir(indexDir, { recursive: true });
  const name = `${GEN_PREFIX}${Date.now()}-${randomBytes(4).toString('hex')}`;
  const dir = path.join(path.resolve(indexDir), name);
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, BUILDING_MARKER), String(process.pid));
  buildingHere.add(dir);
  return dir;
}

/** Gives up a generation that will not be committed (after a failed build). */
export async function discardGeneration(genDir: string): Promise<void> {
  buildingHere.delete(path.resolve(genDir));
  await fs.rm(genDir, { recursive: true, force: true });
}

export async function writeManifest(genDir: string, manifest: IndexManifest): Promise<void> {
  await fs.writeFile(path.join(genDir, MANIFEST_FILE), JSON.stringify(manifest));
}

export async function writePapersSnapshot(genDir: string, papers: Paper[]): Promise<void> {
  await fs.writeFile(path.join(genDir, PAPERS_FILE), JSON.stringify(papers));
}

/**
 * Makes a finished generation live: flush its files to disk, then, holding the index lock,
 * atomically point CURRENT at it and remove every other generation. `onWait` hears when another
 * process holds the lock (it waits up to a minute, then IndexLockedError).
 */
export async function commitGeneration(indexDir: string, genDir: string, opts: Pick<LockOptions, 'onWait'> = {}): Promise<void> {
  const inspection = await readGeneration(genDir);
  if (!inspection.generation) throw new Error(`refusing to commit an incomplete generation: ${inspection.problem}`);
  await fsyncTree(genDir);
  await withIndexLock(
    indexDir,
    async () => {
      await replaceFileAtomically(path.join(indexDir, CURRENT_FILE), `${path.basename(genDir)}\n`);
      // Only now: until CURRENT names it, the marker keeps other processes' cleanup away.
      await fs.rm(path.join(genDir, BUILDING_MARKER), { force: true });
      buildingHere.delete(path.resolve(genDir));
      await sweep(indexDir);
    },
    opts,
  );
}

/**
 * Deletes every generation folder except the live one and those still being built by a
 * running process, and CURRENT.tmp-* left by dead commits. Safe to call at any time: it holds
 * the index lock, as every commit does.
 */
export async function cleanupStale(indexDir: string): Promise<string[]> {
  try {
    await fs.access(indexDir);
  } catch {
    return [];
  }
  return withIndexLock(indexDir, () => sweep(indexDir));
}

/** cleanupStale's work; the caller holds the index lock (so every CURRENT.tmp-* is a dead one). */
async function sweep(indexDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(indexDir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const current = await readCurrentName(indexDir);
  const live = current.kind === 'ok' ? current.value : undefined;
  const removed: string[] = [];
  for (const entry of entries) {
    const full = path.join(indexDir, entry);
    const isStaleTemp = entry.startsWith(`${CURRENT_FILE}.tmp-`);
    const isOtherGen = entry.startsWith(GEN_PREFIX) && entry !== live;
    if (!isStaleTemp && !isOtherGen) continue;
    if (isOtherGen && (await isBeingBuilt(full))) continue;
    await fs.rm(full, { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

async function isBeingBuilt(genDir: string): Promise<boolean> {
  if (buildingHere.has(path.resolve(genDir))) return true;
  let pid: number;
  try {
    pid = Number((await fs.readFile(path.join(genDir, BUILDING_MARKER), 'utf8')).trim());
  } catch {
    return false;
  }
  // Our own pid but not in buildingHere: left by an earlier process that had the same pid (e.g. pid 1 in a container).
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** write temp → fsync → rename over → fsync the folder, so readers see old or new, never partial. */
export async function replaceFileAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  await fsyncPath(path.dirname(file));
}

async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await fsyncTree(full);
    else await fsyncPath(full);
  }
  await fsyncPath(dir);
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await fs.open(p, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL' && (err as NodeJS.ErrnoException).code !== 'EISDIR') throw err;
  } finally {
    await handle.close();
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}
