import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { UserFacingError } from '../../src/errors.js';
import { HfDailyClient, readHfDaily, type HfDailyClientOptions } from '../../src/feeds/hf-daily.js';
import { UpstreamError } from '../../src/upstream/upstream-error.js';
import { startFakeHfDaily, type FakeHfDaily } from '../fakes/hf-daily.js';
import { virtualTimer } from '../fakes/virtual-timer.js';

const DAY = '2025-01-15';
let hf: FakeHfDaily;

function client(extra: HfDailyClientOptions = {}): HfDailyClient {
  return new HfDailyClient({
    baseUrl: hf.origin,
    minIntervalMs: 0,
    timeoutMs: 300,
    backoffMs: 10,
    timer: virtualTimer(),
    clock: fixedClock(`${DAY}T08:00:00Z`),
    ...extra,
  });
}

beforeEach(async () => {
  hf = await startFakeHfDaily({
    days: {
      [DAY]: [
        {
          id: '2501.01234',
          title: 'Sparse Mixture of Experts for\nProtein Folding',
          summary: 'We route residues to experts.\nFolding gets cheaper.',
          authors: ['Rosalind Franklin', 'Linus Pauling'],
          publishedAt: '2025-01-13',
          upvotes: 42,
          githubRepo: 'https://github.com/example/moe-fold',
        },
        { id: '2501.05678', title: 'Tiny Vision Models', summary: 'Small and fast.', authors: [] },
      ],
    },
  });
});
afterEach(async () => {
  await hf.close();
});

describe('HfDailyClient', () => {
  it("asks for the day's list and reads papers in Hugging Face's shape", async () => {
    const result = await client().list(DAY);
    expect(result.date).toBe(DAY);
    expect(result.problems).toEqual([]);
    expect(result.papers[0]).toEqual({
      id: '2501.01234',
      arxivId: '2501.01234',
      title: 'Sparse Mixture of Experts for Protein Folding',
      abstract: 'We route residues to experts. Folding gets cheaper.',
      authors: ['Rosalind Franklin', 'Linus Pauling'],
      published: '2025-01-13',
      upvotes: 42,
      hfUrl: 'https://huggingface.co/papers/2501.01234',
      absUrl: 'https://arxiv.org/abs/2501.01234',
      pdfUrl: 'https://arxiv.org/pdf/2501.01234',
      githubRepo: 'https://github.com/example/moe-fold',
    });
    expect(result.papers).toHaveLength(2);
    const req = hf.requests[0]!;
    expect(req.path).toBe('/api/daily_papers');
    expect(req.query.get('date')).toBe(DAY);
    expect(req.userAgent).toMatch(/^paperbot\/0\.1 /);
  });

  it("defaults to today's date (UTC) from the clock", async () => {
    expect((await client().list()).papers).toHaveLength(2);
    expect(hf.requests[0]!.query.get('date')).toBe(DAY);
  });

  it('a day without papers is an empty list', async () => {
    expect(await client().list('2025-01-18')).toEqual({ date: '2025-01-18', papers: [], problems: [] });
  });

  it('a malformed date is refused before asking', async () => {
    await expect(client().list('15/01/2025')).rejects.toThrow(UserFacingError);
    await expect(client().list('2025-02-30')).rejects.toThrow(/not a date/);
    expect(hf.requests).toHaveLength(0);
  });

  it('tolerates missing and odd fields; items without a title or abstract are problems', async () => {
    hf.setRawDay(DAY, [
      { paper: { id: '2501.00001', title: 'Only in paper', summary: 'Abstract.' } },
      { title: 'Top level only', summary: 'Top-level abstract.', paper: { id: '2501.00002' } },
      { paper: { id: '2501.00003', title: 'No abstract at all' } },
      { paper: { id: '2501.00004', summary: 'No title.' } },
      { paper: { title: 'No id', summary: 'x' } },
      'not an object',
      { paper: { id: 'not-arxiv', title: 'Not on arXiv', summary: 'Kept, with its HF page.', authors: [{ nom: 'x' }, 'Plain Name'], upvotes: 'many' } },
    ]);
    const { papers, problems } = await client().list(DAY);
    expect(papers.map((p) => p.id)).toEqual(['2501.00001', '2501.00002', 'not-arxiv']);
    expect(papers[1]!.title).toBe('Top level only');
    expect(papers[2]).toEqual({
      id: 'not-arxiv',
      title: 'Not on arXiv',
      abstract: 'Kept, with its HF page.',
      authors: ['Plain Name'],
      hfUrl: 'https://huggingface.co/papers/not-arxiv',
    });
    expect(problems).toEqual([
      '2501.00003 has no abstract; skipped',
      '2501.00004 has no title; skipped',
      'No id has no paper id; skipped',
      'item 6 is not an object; skipped',
    ]);
  });

  it('a paper listed twice is reported once', async () => {
    hf.fail({ kind: 'duplicate' });
    const { papers, problems } = await client().list(DAY);
    expect(papers).toHaveLength(2);
    expect(problems).toEqual(['2501.01234 is listed more than once; kept the first', '2501.05678 is listed more than once; kept the first']);
  });

  it('429 then success; 429 for ever is a throttled UpstreamError', async () => {
    hf.fail({ kind: 'status', status: 429, retryAfter: 1 });
    expect((await client().list(DAY)).papers).toHaveLength(2);
    hf.fail({ kind: 'status', status: 429, times: Infinity });
    const err = await client().list(DAY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).message).toBe(
      'Hugging Face is limiting how often paperbot may ask (HTTP 429; 3 tries); try again in a few minutes',
    );
  });

  it('down, slow, malformed JSON and a wrong shape are clear UpstreamErrors', async () => {
    hf.fail({ kind: 'malformed' });
    await expect(client().list(DAY)).rejects.toThrow(/^Hugging Face sent an answer paperbot could not use \(not valid JSON/);
    hf.setRawDay(DAY, { papers: [] } as never);
    await expect(client().list(DAY)).rejects.toThrow(/expected a JSON list of papers/);
    hf.fail({ kind: 'slow', delayMs: 5000, times: Infinity });
    await expect(client({ timeoutMs: 100, retries: 1 }).list(DAY)).rejects.toThrow(
      'Hugging Face did not answer within 100 ms (2 tries); try again later',
    );
    hf.clearFaults();
    await hf.down();
    await expect(client().list(DAY)).rejects.toThrow(/^Hugging Face could not be reached \(connection refused; 3 tries\); check the network and HF_API_BASE/);
  });

  it('HTTP 400 from Hugging Face carries its error text', async () => {
    // Not reachable through list() (dates are checked first), so ask the fake directly like a broken proxy would.
    const res = await fetch(`${hf.origin}/api/daily_papers?date=yesterday`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Invalid date: yesterday' });
    const wrong = new HfDailyClient({ baseUrl: `${hf.origin}/nope`, minIntervalMs: 0, timer: virtualTimer() });
    await expect(wrong.list(DAY)).rejects.toThrow(/^Hugging Face answered HTTP 404 \(Not Found\) for the daily papers of 2025-01-15; check HF_API_BASE/);
  });
});

describe('readHfDaily', () => {
  it('normalises whitespace and keeps the first of a repeated id', () => {
    const { papers, problems } = readHfDaily(
      JSON.stringify([
        { paper: { id: '2501.00001', title: '  A\n  title ', summary: 'An\n abstract.' } },
        { paper: { id: '2501.00001', title: 'Again', summary: 'Again.' } },
      ]),
    );
    expect(papers.map((p) => [p.title, p.abstract])).toEqual([['A title', 'An abstract.']]);
    expect(problems).toHaveLength(1);
  });
});
