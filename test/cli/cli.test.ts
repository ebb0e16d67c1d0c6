import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPaperbot } from '../helpers/run-cli.js';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;

async function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) {
  const env = { PAPERS_PATH: path.join(ROOT, 'data/papers.txt'), INDEX_DIR: path.join(dir, 'index'), LOG_LEVEL: 'warn', ...opts.env };
  return runPaperbot(args, env, { cwd: dir, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}), embedder: null });
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'paperbot-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paperbot CLI', () => {
  it('find --json prints ranked results in lexical mode, building the index when missing', async () => {
    const r = await cli(['find', 'kv cache quantization', '--json', '--k', '5']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.mode).toBe('lexical');
    expect(json.results).toHaveLength(5);
    expect(json.results[0].title).toMatch(/KV/);
    const scores = json.results.map((x: { score: number }) => x.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const x of json.results) expect(Object.keys(x)).toEqual(expect.arrayContaining(['id', 'title', 'score']));
  });

  it('human output fits 80 columns', async () => {
    const r = await cli(['find', 'video generation with diffusion models']);
    expect(r.code).toBe(0);
    for (const line of r.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('ask --json returns an answer with citations', async () => {
    const r = await cli(['ask', 'How much does NIRVANA speed up video encoding?', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.answer).toMatch(/12X|12x/);
    expect(json.citations[0]).toMatchObject({ n: 1, title: expect.stringContaining('NIRVANA') });
  });

  it('batch mode: one JSON line per stdin line, in order, bad lines as errors', async () => {
    const r = await cli(['find', '--json'], { stdin: 'kv cache\n\nspeculative decoding\n' });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].results.length).toBeGreaterThan(0);
    expect(lines[1].error).toMatch(/empty/);
    expect(lines[2].results[0].title.toLowerCase()).toMatch(/specul|decod/);
    expect(r.code).toBe(0);
  });

  it('similar excludes the paper itself; paper shows abstract and similar', async () => {
    const find = JSON.parse((await cli(['find', 'NIRVANA implicit video', '--json'])).stdout);
    const id = find.results[0].id;
    const sim = JSON.parse((await cli(['similar', id, '--json'])).stdout);
    expect(sim.results.length).toBeGreaterThan(0);
    expect(sim.results.map((x: { id: string }) => x.id)).not.toContain(id);
    const paper = JSON.parse((await cli(['paper', id, '--json'])).stdout);
    expect(paper.id).toBe(id);
    expect(paper.similar).toHaveLength(3);
  });

  it('today is deterministic for a date', async () => {
    const a = JSON.parse((await cli(['today', '--date', '2026-11-27', '--json'])).stdout);
    const b = JSON.parse((await cli(['today', '--date', '2026-11-27', '--json'])).stdout);
    expect(a.picks.map((p: { id: string }) => p.id)).toEqual(b.picks.map((p: { id: string }) => p.id));
    expect(a.picks).toHaveLength(3);
  });

  it.each([
    ['empty query', ['find', ''], /empty|needs a query/],
    ['10,000-character query', ['find', 'x'.repeat(10_000)], /too long/],
    ['zero-width only', ['find', '   \u200b  '], /empty|needs a query/],
    ['impossible date', ['today', '--date', '2026-02-30'], /real date/],
    ['k out of range', ['find', 'kv', '--k', '0'], /--k/],
    ['unknown paper', ['paper', 'no-such-paper-id'], /No paper matches/],
    ['unknown command', ['frobnicate'], /unknown command/],
    ['unknown option', ['find', 'kv', '--bogus'], /Unknown option|bogus/],
  ])('bad input (%s) exits 2 with a clear message', async (_label, args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('emoji and right-to-left queries are searched, not rejected', async () => {
    for (const q of ['🔥 diffusion 🚀', 'نموذج لغوي diffusion', 'Ｄｉｆｆｕｓｉｏｎ']) {
      const r = await cli(['find', q, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).results.length).toBeGreaterThan(0);
    }
  });

  it('a collection with a malformed line: reported with file and line, the rest still indexed', async () => {
    const original = readFileSync(path.join(ROOT, 'data/papers.txt'), 'utf8').split('\n');
    const jsonl = path.join(dir, 'bad.jsonl');
    writeFileSync(
      jsonl,
      [
        JSON.stringify({ title: 'A paper about kv cache eviction', abstract: 'We evict kv cache entries to save memory.' }),
        '{not json',
        JSON.stringify({ title: 'Speculative decoding at scale', abstract: 'Draft models propose tokens that a target verifies.' }),
      ].join('\n'),
    );
    const r = await cli(['ingest', jsonl], { env: { PAPERS_PATH: jsonl, INDEX_DIR: path.join(dir, 'index-bad') } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/bad\.jsonl/);
    expect(r.stderr).toMatch(/"line":2/);
    expect(r.stdout).toMatch(/Indexed 2 papers/);
    expect(original.length).toBeGreaterThan(400); // the shipped collection is untouched
  });

  it('a missing collection file is a clear error', async () => {
    const r = await cli(['find', 'kv'], { env: { PAPERS_PATH: path.join(dir, 'nope.txt'), INDEX_DIR: path.join(dir, 'i2') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.txt/);
  });
});
