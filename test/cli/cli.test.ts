import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run.js';
import { runPaperbot, sink } from '../helpers/run-cli.js';

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

  it('find corrects a word the collection does not use and says so; --json carries correctedQuery', async () => {
    const r = await cli(['find', 'quantizaton']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Showing results for "quantization"/);
    expect(r.stdout).not.toMatch(/No matching papers/);
    const json = JSON.parse((await cli(['find', 'inpaiting', '--json'])).stdout);
    expect(json.correctedQuery).toBe('inpainting');
    expect(json.results[0].title.toLowerCase()).toContain('inpainting');
    expect(JSON.parse((await cli(['find', 'image inpainting', '--json'])).stdout).correctedQuery).toBeUndefined();
  });

  it('paper and similar with a name that fits several papers list them with their ids and exit 2', async () => {
    for (const command of ['paper', 'similar']) {
      const r = await cli([command, 'matryoshka']);
      expect(r.code).toBe(2);
      expect(r.stderr + r.stdout).toMatch(/"matryoshka" matches 2 papers/);
      expect(r.stderr + r.stdout).toContain('2d-matryoshka-sentence-embeddings-');
    }
  });

  it('similar with an id that names no paper says so instead of searching its words', async () => {
    const find = JSON.parse((await cli(['find', 'NIRVANA implicit video', '--json'])).stdout);
    const garbled = `${find.results[0].id.slice(0, -3)}zzz`;
    const r = await cli(['similar', garbled]);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/No paper has the id/);
  });

  it('batch mode honours --k and the filters, for find, similar and ask', async () => {
    const one = await cli(['find', '--json', '--k', '1'], { stdin: 'kv cache\n' });
    expect(JSON.parse(one.stdout.trim()).results).toHaveLength(1);
    const sim = await cli(['similar', '--json', '--k', '2'], { stdin: 'We compress the key-value cache of large language models.\n' });
    expect(JSON.parse(sim.stdout.trim()).results).toHaveLength(2);
    const coded = await cli(['find', '--json', '--k', '5', '--has-code'], { stdin: 'language models\n' });
    const ids = JSON.parse(coded.stdout.trim()).results as { code: string[] }[];
    expect(ids.length).toBeGreaterThan(0);
    for (const r of ids) expect(r.code.length).toBeGreaterThan(0);
    // This collection has no dates or authors: each line says so, as the single-query form does.
    for (const command of ['find', 'similar', 'ask']) {
      const line = 'how do we compress the key-value cache of language models?\n';
      const r = await cli([command, '--json', '--since', '2024-01-01'], { stdin: line });
      expect(JSON.parse(r.stdout.trim()).error, command).toMatch(/no publication dates/);
      const a = await cli([command, '--json', '--author', 'Smith'], { stdin: line });
      expect(JSON.parse(a.stdout.trim()).error, command).toMatch(/no author names/);
    }
  });

  it('batch mode answers each line as it is read: write a line, read its answer, then write the next', async () => {
    const stdin = new PassThrough();
    const out = sink();
    const lines: string[] = [];
    const nextLine = () =>
      new Promise<string>((resolve) => {
        const check = () => {
          const all = out.text().split('\n').filter(Boolean);
          if (all.length > lines.length) {
            out.stream.off('data', check);
            resolve(all[lines.length]!);
          }
        };
        out.stream.on('data', check);
        check();
      });
    const running = runCli(['find', '--json', '--k', '1'], {
      stdin,
      stdout: out.stream,
      stderr: sink().stream,
      env: { PAPERS_PATH: path.join(ROOT, 'data/papers.txt'), INDEX_DIR: path.join(dir, 'index'), LOG_LEVEL: 'warn' },
      cwd: dir,
      embedder: null,
    });
    stdin.write('speculative decoding\n');
    lines.push(await nextLine()); // answered while stdin is still open
    expect(JSON.parse(lines[0]!).results[0].title.toLowerCase()).toMatch(/specul|decod/);
    stdin.write('image inpainting\n');
    lines.push(await nextLine());
    expect(JSON.parse(lines[1]!).results[0].title.toLowerCase()).toContain('inpainting');
    stdin.end();
    expect(await running).toBe(0);
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

  it('ingest of a file other than PAPERS_PATH is refused with the command that would work; nothing is built', async () => {
    const other = path.join(dir, 'other.jsonl');
    writeFileSync(other, JSON.stringify({ title: 'Only in the other file', abstract: 'Not in PAPERS_PATH at all.' }) + '\n');
    const indexDir = path.join(dir, 'index-other');
    const r = await cli(['ingest', 'other.jsonl'], { env: { INDEX_DIR: indexDir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ingest indexes PAPERS_PATH (');
    expect(r.stderr).toContain('data/papers.txt');
    expect(r.stderr).toContain('run: PAPERS_PATH=other.jsonl paperbot ingest');
    expect(r.stdout).toBe('');
    expect(existsSync(indexDir)).toBe(false);
  });

  it('ingest of PAPERS_PATH spelled out (relative, other order) is the same as no files; the next query uses that index', async () => {
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    writeFileSync(a, JSON.stringify({ title: 'Tidal energy forecasting', abstract: 'Forecasting tidal energy output with ocean models.' }) + '\n');
    writeFileSync(b, JSON.stringify({ title: 'Glacier melt sensing', abstract: 'Remote sensing of glacier melt from satellites.' }) + '\n');
    const env = { PAPERS_PATH: `${a},${b}`, INDEX_DIR: path.join(dir, 'index-ab') };
    const r = await cli(['ingest', './b.jsonl', 'a.jsonl'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Indexed 2 papers/);
    const q = await cli(['find', 'glacier', '--json'], { env: { ...env, LOG_LEVEL: 'info' } });
    expect(JSON.parse(q.stdout).results[0].title).toBe('Glacier melt sensing');
    expect(q.stderr).not.toMatch(/building the index|updating the index/);
  });

  it('a missing collection file is a clear error', async () => {
    const r = await cli(['find', 'kv'], { env: { PAPERS_PATH: path.join(dir, 'nope.txt'), INDEX_DIR: path.join(dir, 'i2') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.txt/);
  });
});
