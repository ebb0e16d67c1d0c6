/**
 * The living collection through the fake Discord: /add by arXiv id (fake arXiv) and through the
 * form, /find finding the paper without a restart while concurrent /finds keep answering during
 * the swap, /remove and its permissions, /collection settings, bad input, and a `paperbot add` in
 * another "process" (its own engine and state connection) that the bot notices by watching INDEX_DIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, PERMISSIONS, type FakeDiscord, type InteractionExchange, type Json } from '../fake-discord/index.js';
import { startFakeArxiv, type FakeArxiv, type FakeArxivPaper } from '../fakes/arxiv.js';
import { HashEmbedder } from '../helpers/hash-embedder.js';
import { ROOT, sharedEnv, startLibraryBot, type LibraryBot } from '../helpers/library-bot.js';
import { runPaperbot } from '../helpers/run-cli.js';

const EPHEMERAL = 64;
const CURATOR_ROLE = '777000000000000001';

const PAPERS: FakeArxivPaper[] = [
  {
    id: '2501.00001',
    title: 'Quillwort Gossip: Decentralised Eviction for Long-Context Caches',
    abstract:
      'We introduce quillwort gossip, a decentralised protocol that decides which cached attention keys and values to evict during long-context inference. Quillwort gossip keeps quality while using a fraction of the memory.',
    authors: ['Ada Quillfeather', 'Brook Tanager'],
    published: '2025-01-03',
    categories: ['cs.CL'],
  },
  {
    id: '2501.00002',
    title: 'Marshwren Sampling for Patch-Based Image Completion',
    abstract: 'Marshwren sampling fills missing regions of photographs by drawing patches from a learned prior. It restores large holes with coherent structure.',
    authors: ['Cody Marsh'],
    published: '2025-01-04',
    categories: ['cs.CV'],
  },
  {
    id: '2501.00003',
    title: 'Fenlark Compilers Taught by Unit Tests',
    abstract: 'Fenlark trains code models with feedback from unit tests, improving pass rates on program synthesis benchmarks without human labels.',
    authors: ['Dana Fenlark'],
    published: '2025-01-05',
    categories: ['cs.SE'],
  },
];

let fake: FakeDiscord;
let arxiv: FakeArxiv;
let bot: LibraryBot;
let dir: string;
// A model stand-in slow enough that a build takes a while: /finds really run during the swap.
const embedder = new HashEmbedder({ dims: 64, delayMsPerBatch: 150 });
let userSeq = 0n;
const asNewUser = (extra: Json = {}) => ({ userId: String(300000000000000000n + ++userSeq), ...extra });
const admin = () => asNewUser({ permissions: 'admin' });

async function finalOf(ex: InteractionExchange): Promise<Json> {
  await ex.callback;
  return (await ex.waitForFinal(undefined, 20_000)) as Json;
}

/** The ephemeral text the user got: an immediate reply, or a follow-up after a (deleted) public defer. */
async function ephemeralText(ex: InteractionExchange): Promise<string> {
  const cb = await ex.callback;
  if (cb.type === 4) {
    expect(Number(cb.data?.flags) & EPHEMERAL).toBe(EPHEMERAL);
    return String(cb.data?.content ?? '') + JSON.stringify(cb.data?.embeds ?? []);
  }
  const follow = await ex.waitForFollowUp({ timeoutMs: 20_000 });
  expect(Number(follow.flags) & EPHEMERAL).toBe(EPHEMERAL);
  return String(follow.content ?? '') + JSON.stringify(follow.embeds ?? []);
}

async function findTitles(query: string): Promise<string[]> {
  const msg = await finalOf(fake.slashCommand('find', { query, k: 5 }, asNewUser()));
  return (msg.embeds as Json[]).map((e) => String(e.title).replace(/^\d+\.\s*/, ''));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'paperbot-library-'));
  arxiv = await startFakeArxiv({ papers: PAPERS });
  fake = await startFakeDiscord({ timeoutMs: 20_000, guilds: [{ roles: [{ id: CURATOR_ROLE, name: 'curators' }] }] });
  bot = await startLibraryBot(fake, dir, arxiv.baseUrl, { embedder });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await arxiv?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('/add with an arXiv id', () => {
  it('adds the paper (embed with authors, date, arXiv links, nearest papers), embedding only it; /find finds it, no restart; /finds during the swap all answer', async () => {
    expect(bot.live.current().mode).toBe('hybrid');
    expect(await findTitles('quillwort gossip')).not.toContain(PAPERS[0]!.title);
    const before = bot.live.generation;
    const embeddedBefore = embedder.documentsEmbedded;
    const add = fake.slashCommand('add', { paper: 'https://arxiv.org/abs/2501.00001v1' }, asNewUser());
    // /finds for the paper's words, one every 25 ms from the moment arXiv is asked until the add answered.
    const during: InteractionExchange[] = [];
    let done = false;
    void add.waitForFinal(undefined, 20_000).then(() => (done = true), () => (done = true));
    while (arxiv.requests.length === 0 || !done) {
      if (arxiv.requests.some((r) => r.query.get('id_list')?.startsWith('2501.00001'))) during.push(fake.slashCommand('find', { query: 'quillwort gossip', k: 3 }, asNewUser()));
      await new Promise((r) => setTimeout(r, 25));
    }
    const msg = await finalOf(add);
    expect(msg.content).toMatch(/Added to the collection by <@\d+>/);
    const embed = msg.embeds[0];
    expect(embed.title).toBe(PAPERS[0]!.title);
    expect(embed.url).toBe('https://arxiv.org/abs/2501.00001');
    const fields = Object.fromEntries((embed.fields as Json[]).map((f) => [f.name, f.value]));
    expect(fields.Authors).toBe('Ada Quillfeather, Brook Tanager');
    expect(fields.Published).toBe('2025-01-03');
    expect(fields.arXiv).toBe('[abs](https://arxiv.org/abs/2501.00001) · [pdf](https://arxiv.org/pdf/2501.00001)');
    expect(fields['Nearest papers already in the collection'].split('\n')).toHaveLength(3);
    expect(embedder.documentsEmbedded - embeddedBefore, 'only the new paper is embedded').toBe(1);
    expect(bot.live.generation).not.toBe(before);
    // Every /find answered with results; those that started before the swap did not see the paper, later ones did.
    expect(during.length).toBeGreaterThan(3);
    const firsts = [];
    for (const ex of during) {
      const found = await finalOf(ex);
      expect(found.embeds.length, JSON.stringify(found).slice(0, 300)).toBeGreaterThan(0);
      firsts.push(String(found.embeds[0].title).replace(/^1\.\s*/, ''));
    }
    expect(firsts).not.toContain(undefined);
    expect(firsts.filter((t) => t !== PAPERS[0]!.title).length, 'some /finds ran on the old generation').toBeGreaterThan(0);
    expect((await findTitles('quillwort gossip'))[0]).toBe(PAPERS[0]!.title);
  });

  it('a paper already there: an ephemeral "already in the collection" with a link, and nothing is fetched', async () => {
    const fetched = arxiv.requests.length;
    const text = await ephemeralText(fake.slashCommand('add', { paper: 'arXiv:2501.00001' }, asNewUser()));
    expect(text).toMatch(/already in the collection: \[Quillwort Gossip.*\]\(https:\/\/arxiv\.org\/abs\/2501\.00001\)/);
    expect(arxiv.requests.length).toBe(fetched);
  });

  it.each([
    ['garbage', /"garbage" is not an arXiv id/],
    ['https://example.com/paper.pdf', /link to example\.com, not to arXiv/],
    ['https://arxiv.org/list/cs.CL/recent', /not to a paper/],
    ['2513.00001', /13 is not a month/],
  ])('bad input %s gets a clear ephemeral message', async (input, message) => {
    expect(await ephemeralText(fake.slashCommand('add', { paper: input }, asNewUser()))).toMatch(message);
  });

  it('an id arXiv does not know: "No such paper on arXiv"', async () => {
    expect(await ephemeralText(fake.slashCommand('add', { paper: '2501.09999' }, asNewUser()))).toMatch(/No such paper on arXiv: 2501\.09999/);
  });

  it('arXiv down: a clear message, nothing added', async () => {
    arxiv.fail({ kind: 'status', status: 503, times: 5 });
    const text = await ephemeralText(fake.slashCommand('add', { paper: '2501.00003' }, asNewUser()));
    arxiv.clearFaults();
    expect(text).toMatch(/arXiv/);
    expect(text).toMatch(/503|unavailable|try again/i);
    expect(bot.state.library.additions().map((a) => a.record.arxivId)).not.toContain('2501.00003');
  });
});

describe('/add with the form', () => {
  const open = async () => {
    const ex = fake.slashCommand('add', {}, asNewUser());
    const cb = await ex.callback;
    expect(cb.type).toBe(9);
    return ex;
  };

  it('opens a valid form (Discord limits checked by the fake) and adds what is typed', async () => {
    const ex = await open();
    expect(ex.modal?.title.length).toBeLessThanOrEqual(45);
    const submit = fake.submitModal(ex, {
      title: 'Heathcock Ledgers: Accounting for Sparse Attention Budgets',
      abstract: 'Heathcock ledgers account for every token an attention head reads, so sparse attention budgets can be audited and tuned.',
      url: 'https://example.org/heathcock',
    });
    const msg = await finalOf(submit);
    expect(msg.content).toMatch(/Added to the collection/);
    expect(msg.embeds[0].url).toBe('https://example.org/heathcock');
    expect((await findTitles('heathcock ledgers'))[0]).toBe('Heathcock Ledgers: Accounting for Sparse Attention Budgets');
  });

  it('a 20,000-character abstract: the text box keeps 4000, and the bot says it was probably cut', async () => {
    const text = await ephemeralText(fake.submitModal(await open(), { title: 'Long one', abstract: 'word '.repeat(4000) }));
    expect(text).toMatch(/fills the form's whole 4000 characters.*probably cut off.*\/add and its arXiv id.*paperbot add/);
  });

  it('a 20,000-character abstract from a client that ignores max_length: refused with the numbers', async () => {
    const text = await ephemeralText(fake.submitModal(await open(), { title: 'Long one', abstract: 'word '.repeat(4000) }, { asTyped: true }));
    expect(text).toMatch(/is 20000 characters long; a Discord form holds at most 4000/);
  });

  it('an empty title: the client will not submit; a title of spaces gets "the title is empty"', async () => {
    expect(() => fake.submitModal(fake.slashCommand('add', {}, asNewUser()), { title: '', abstract: 'x' })).toThrow();
    const ex = await open();
    expect(() => fake.submitModal(ex, { title: '', abstract: 'Some abstract.' })).toThrow(/required field "title" is empty/);
    expect(await ephemeralText(fake.submitModal(ex, { title: '   ', abstract: 'Some abstract.' }))).toMatch(/the title is empty/);
    // A client that skips Discord's own check gets the same answer from the bot.
    expect(await ephemeralText(fake.submitModal(await open(), { title: '', abstract: '' }, { asTyped: true }))).toMatch(/the title is empty; the abstract is empty/);
  });

  it('a link that is not http(s) is refused, naming it', async () => {
    const text = await ephemeralText(fake.submitModal(await open(), { title: 'A fine title', abstract: 'An abstract.', url: 'javascript:alert(1)' }));
    expect(text).toMatch(/is not an http\(s\) link/);
  });

  it('mentions in typed text never ping', async () => {
    const msg = await finalOf(fake.submitModal(await open(), { title: 'Ping @everyone about <@123456789012345678>', abstract: 'Hello @here, a harmless abstract about sedge counting.' }));
    const sent = fake.requests.filter((r) => r.body?.content?.includes?.('Added to the collection') || r.body?.embeds?.[0]?.title?.includes?.('Ping'));
    expect(sent.length).toBeGreaterThan(0);
    expect(msg.embeds[0].title).toContain('@\u200beveryone');
    for (const r of sent) expect(r.body?.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('/remove and who may change the collection', () => {
  it('an ordinary member may not remove; Manage Server may; /find no longer finds it', async () => {
    const paper = bot.live.current().paper('2501.00001')!;
    expect(await ephemeralText(fake.slashCommand('remove', { paper: paper.id }, asNewUser()))).toMatch(/You need the Manage Server permission to remove papers/);
    const msg = await finalOf(fake.slashCommand('remove', { paper: paper.id }, admin()));
    expect(msg.content).toMatch(/Removed from the collection by <@\d+>: \[Quillwort Gossip/);
    expect(await findTitles('quillwort gossip')).not.toContain(PAPERS[0]!.title);
  });

  it('autocomplete offers papers added a moment ago', async () => {
    const ex = fake.autocomplete('remove', 'paper', 'Heathcock', {}, asNewUser());
    const cb = await ex.callback;
    expect(cb.data?.choices.map((c: Json) => c.name)).toContain('Heathcock Ledgers: Accounting for Sparse Attention Budgets');
  });

  it('/collection set: a curator role may remove; who_can_add:curators gates /add', async () => {
    const settings = await ephemeralText(fake.subcommand('collection', 'set', { curator_role: CURATOR_ROLE, who_can_add: 'curators' }, admin()));
    expect(settings).toMatch(/Saved/);
    expect(settings).toMatch(new RegExp(`<@&${CURATOR_ROLE}>`));
    expect(await ephemeralText(fake.slashCommand('add', { paper: '2501.00002' }, asNewUser()))).toMatch(/You need the Manage Server permission or the "curators" role to add papers/);
    const curator = asNewUser({ roles: [CURATOR_ROLE] });
    const added = await finalOf(fake.slashCommand('add', { paper: '2501.00002' }, curator));
    expect(added.embeds[0].title).toBe(PAPERS[1]!.title);
    const heath = bot.live.current().paper('Heathcock Ledgers: Accounting for Sparse Attention Budgets')!;
    expect((await finalOf(fake.slashCommand('remove', { paper: heath.id }, asNewUser({ roles: [CURATOR_ROLE] })))).content).toMatch(/Removed/);
    expect(await ephemeralText(fake.subcommand('collection', 'set', { who_can_add: 'everyone' }, admin()))).toMatch(/everyone/);
    expect(await ephemeralText(fake.subcommand('collection', 'set', {}, asNewUser()))).toMatch(/Manage Server/);
  });
});

describe('a paperbot add in another process', () => {
  it('the bot notices the new generation (watching INDEX_DIR), re-adds its model to the lexical build, and /find finds the paper', async () => {
    const embeddedBefore = embedder.documentsEmbedded;
    const r = await runPaperbot(['add', '2501.00003', '--json'], sharedEnv(dir, arxiv.baseUrl), { cwd: ROOT });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('added');
    const deadline = Date.now() + 10_000;
    while (!(bot.live.current().paper('2501.00003') && bot.live.current().mode === 'hybrid') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(bot.live.current().mode).toBe('hybrid');
    expect((await findTitles('fenlark unit tests'))[0]).toBe(PAPERS[2]!.title);
    // The CLI built without a model; the bot rebuilt with its own, embedding only what it did not hold.
    expect(embedder.documentsEmbedded - embeddedBefore).toBe(1);
  });
});

describe('/about', () => {
  it('counts the papers added and removed here', async () => {
    const msg = await finalOf(fake.slashCommand('about', {}, asNewUser()));
    const papers = (msg.embeds[0].fields as Json[]).find((f) => f.name === 'Papers')!.value;
    const { added, removed } = bot.state.library.counts();
    expect(added).toBeGreaterThan(0);
    expect(papers).toBe(`${bot.live.current().papers.length} (${added} added, ${removed} removed here)`);
  });
});

describe('"Add to collection" under a daily post\'s new arrivals', () => {
  it('curators add the arrival (public note), others are refused, a second click says it is there', async () => {
    const t = new Date();
    const { fresh } = bot.state.feeds.recordRun({
      startedAt: t,
      finishedAt: t,
      offered: [
        {
          record: { title: 'Tern Tokens for Sparse Decoding', abstract: 'Tern tokens mark where decoding may skip layers.', arxivId: '2502.07777', authors: ['T. Tern'], categories: [] },
          url: 'https://arxiv.org/abs/2502.07777',
          source: 'arxiv:test',
          rank: { score: 0.5, because: { id: 'x', title: 'Some paper' } },
        },
      ],
      failures: [],
    });
    const item = fresh[0]!;
    const { picksMessage } = await import('../../src/bot/views/picks.js');
    const post = picksMessage(bot.live.current().papers.slice(0, 3), {
      date: '2026-03-02',
      arrivals: [{ itemId: item.id, title: item.record.title, url: item.url, authors: item.record.authors, because: { title: 'Some paper' } }],
    });
    expect(post.embeds.at(-1)?.title).toBe('New today');
    expect(post.embeds.at(-1)?.description).toMatch(/because it is close to “Some paper”/);
    const button = post.components![0]!.components[0] as Json;
    expect(button.label).toBe('Add to collection');
    const message = fake.addMessage(fake.channelId, { embeds: post.embeds as Json[], components: post.components as Json[], author: fake.botUser });
    expect(await ephemeralText(fake.button(button.custom_id, { message: message.id }, asNewUser()))).toMatch(/You need the Manage Server permission/);
    const ok = fake.button(button.custom_id, { message: message.id }, admin());
    const note = await finalOf(ok);
    expect(note.content).toMatch(/Added to the collection by <@\d+>: \[Tern Tokens for Sparse Decoding\]\(https:\/\/arxiv\.org\/abs\/2502\.07777\)/);
    expect(bot.live.current().paper('2502.07777')?.title).toBe('Tern Tokens for Sparse Decoding');
    expect(bot.state.feeds.item(item.id)?.status).toBe('added');
    expect(await ephemeralText(fake.button(button.custom_id, { message: message.id }, admin()))).toMatch(/already in the collection/);
    expect(await ephemeralText(fake.button('add:arrival:999999', { message: message.id }, admin()))).toMatch(/no longer know that paper/);
  });
});
