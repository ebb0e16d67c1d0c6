import { paperId } from '../../collection/ids.js';
import { UserFacingError } from '../../errors.js';
import { FeedRunner } from '../../library/feed-runner.js';
import type { Ranked } from '../../library/rank.js';
import { feedSources } from '../../library/upstream.js';
import { systemClock } from '../../clock.js';
import type { FeedItem } from '../../store/feed-store.js';
import { intOption, type CliCommand } from '../context.js';
import { WIDTH, wrap } from '../format.js';

/** The id a feed paper is shown (and added) under: its arXiv id, else the id its title gives. */
function itemId(item: FeedItem): string {
  return item.record.arxivId ?? paperId(item.record.title);
}

function itemJson(r: Ranked<FeedItem>) {
  const { record } = r.item;
  return {
    id: itemId(r.item),
    title: record.title,
    score: Number(r.score.toFixed(6)),
    because: r.because ? { id: r.because.paper.id, title: r.because.paper.title } : null,
    url: r.item.url,
    authors: record.authors,
    published: record.published ?? null,
    source: r.item.source,
    firstSeen: r.item.firstSeen,
  };
}

function itemText(r: Ranked<FeedItem>, n: number): string {
  const { record } = r.item;
  const lines = [wrap(record.title, WIDTH, '    ').replace(/^ {4}/, `${n}.`.padEnd(4))];
  const byline = [record.authors.slice(0, 3).join(', ') + (record.authors.length > 3 ? ' et al.' : ''), record.published].filter(Boolean).join(' · ');
  if (byline) lines.push(wrap(byline, WIDTH, '    '));
  if (r.because) lines.push(wrap(`because it is close to "${r.because.paper.title}"`, WIDTH, '    '));
  lines.push(wrap(`score ${r.score.toFixed(3)} · ${r.item.url}`, WIDTH, '    '));
  return lines.join('\n');
}

export const feed: CliCommand = {
  name: 'feed',
  usage: 'feed [--json] [--add N]           fetch FEEDS now; new papers ranked by closeness to the collection',
  options: { json: { type: 'boolean' }, add: { type: 'string' } },
  async run(ctx) {
    if (ctx.config.feeds.length === 0) {
      throw new UserFacingError(`FEEDS is empty: nothing to follow. Set it, e.g. FEEDS='arxiv:cat:cs.CL AND abs:"kv cache"; hf-daily; rss:https://example.org/feed.xml'.`);
    }
    const addCount = intOption(ctx, 'add', { min: 0, max: 50, fallback: 0 });
    const state = ctx.state();
    const live = await ctx.live();
    const runner = new FeedRunner({
      sources: feedSources(ctx.config.feeds, ctx.upstream()),
      store: state.feeds,
      engine: () => live.current(),
      clock: systemClock,
      logger: ctx.logger,
    });
    const run = await runner.fetch();
    for (const f of run.failures) ctx.io.stderr.write(`paperbot: ${f.source}: ${f.message}\n`);
    for (const s of run.skipped) ctx.logger.warn(s);
    if (run.failures.length === ctx.config.feeds.length) {
      throw new UserFacingError(`No feed could be read (${run.failures.length} of ${ctx.config.feeds.length} failed); nothing changed. Try again later.`, 1);
    }
    let ranked = await runner.pending();
    const added: { id: string; title: string; status: string }[] = [];
    if (addCount > 0) {
      const library = await ctx.library();
      const chosen = ranked.slice(0, addCount);
      const outcomes = await library.addRecords(chosen.map((r) => r.item.record), 'feed');
      state.feeds.setStatus(chosen.map((r) => r.item.id), 'added');
      for (const o of outcomes) added.push({ id: o.paper.id, title: o.paper.title, status: o.status });
      ranked = ranked.slice(addCount);
    }
    if (ctx.flag('json')) {
      ctx.write(JSON.stringify({ papers: ranked.map(itemJson), added, failures: run.failures, skipped: run.skipped.length }));
      return 0;
    }
    const out: string[] = [];
    for (const a of added) out.push(wrap(`${a.status === 'added' ? 'Added' : 'Already in the collection'}: ${a.title}`));
    if (added.length) out.push('');
    out.push(ranked.length ? `New papers, closest to the collection first (${run.fresh.length} new in this run):` : 'No new papers.');
    ranked.forEach((r, i) => out.push('', itemText(r, i + 1)));
    ctx.write(out.join('\n'));
    return 0;
  },
};
