/**
 * A fake Hugging Face daily papers API: GET /api/daily_papers?date=YYYY-MM-DD → a JSON list in the
 * real shape (a `paper` object per item, plus the fields Hugging Face repeats at the top level).
 *
 *   const hf = await startFakeHfDaily({ days: { '2025-01-15': [{ id: '2501.00001', title, summary, authors: ['A. B.'] }] } });
 *   new HfDailyClient({ baseUrl: hf.origin, minIntervalMs: 0 })
 *   hf.setDay(date, papers) / hf.setRawDay(date, items)   // raw: any JSON, to test odd or missing fields
 *   hf.fail({ kind: 'status', status: 429, retryAfter: 1 }) ...   // faults and hf.requests from http-fake.ts
 * A day nobody seeded is [] (as a weekend is); a malformed date → 400 {"error": "..."}; no date → the
 * latest seeded day; other paths → 404 {"error": "Not Found"}.
 */
import { startHttpFake, type FakeAnswer, type HttpFake } from './http-fake.js';

export interface FakeHfPaper {
  id: string;
  title: string;
  summary?: string;
  authors?: string[];
  /** When the paper was published (on arXiv): ISO timestamp or YYYY-MM-DD. */
  publishedAt?: string;
  upvotes?: number;
  githubRepo?: string;
  projectPage?: string;
}

export interface FakeHfDaily extends HttpFake {
  setDay(date: string, papers: FakeHfPaper[]): void;
  setRawDay(date: string, items: unknown[]): void;
}

let seq = 0;
const oid = () => (0x65a000000000 + seq++).toString(16).padStart(24, '0');

function item(p: FakeHfPaper, date: string): unknown {
  const publishedAt = p.publishedAt ? (p.publishedAt.includes('T') ? p.publishedAt : `${p.publishedAt}T17:59:00.000Z`) : undefined;
  const submittedOnDailyAt = `${date}T02:44:20.973Z`;
  const paper: Record<string, unknown> = {
    id: p.id,
    authors: (p.authors ?? []).map((name) => ({ _id: oid(), name, hidden: false })),
    ...(publishedAt ? { publishedAt } : {}),
    submittedOnDailyAt,
    title: p.title,
    submittedOnDailyBy: { _id: oid(), avatarUrl: '/avatars/x.svg', isPro: false, fullname: 'A Curator', user: 'curator', type: 'user' },
    ...(p.summary !== undefined ? { summary: p.summary } : {}),
    upvotes: p.upvotes ?? 0,
    discussionId: oid(),
    ...(p.githubRepo ? { githubRepo: p.githubRepo } : {}),
    ...(p.projectPage ? { projectPage: p.projectPage } : {}),
    ai_summary: 'An automatic one-line summary.',
    ai_keywords: ['keyword'],
  };
  return {
    paper,
    publishedAt: submittedOnDailyAt,
    title: p.title,
    ...(p.summary !== undefined ? { summary: p.summary } : {}),
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${p.id}.png`,
    numComments: 0,
    submittedBy: { _id: oid(), fullname: 'A Curator', name: 'curator', type: 'user' },
    isAuthorParticipating: false,
  };
}

export async function startFakeHfDaily(options: { days?: Record<string, FakeHfPaper[]> } = {}): Promise<FakeHfDaily> {
  const days = new Map<string, unknown[]>();
  const json = (status: number, body: unknown): FakeAnswer => ({
    status,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
  const setDay = (date: string, papers: FakeHfPaper[]) => days.set(date, papers.map((p) => item(p, date)));
  for (const [date, papers] of Object.entries(options.days ?? {})) setDay(date, papers);

  const server = await startHttpFake((url, ctx) => {
    if (url.pathname !== '/api/daily_papers') return json(404, { error: 'Not Found' });
    const date = url.searchParams.get('date') ?? [...days.keys()].sort().at(-1) ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) return json(400, { error: `Invalid date: ${date}` });
    const items = days.get(date) ?? [];
    return json(200, ctx.fault?.kind === 'duplicate' ? items.flatMap((i) => [i, i]) : items);
  });
  return Object.assign(server, {
    setDay,
    setRawDay(date: string, items: unknown[]) {
      days.set(date, items);
    },
  });
}
