/**
 * Following new papers: fetch the FEEDS sources, keep each paper once, and rank what is new by
 * how close it is to the collection.
 *
 *   fetch()    every source in turn (one that is down, slow or throttled is reported and the others
 *              still count); items without an abstract or with over-long text are skipped with a
 *              reason; repeats within the run and papers the collection already holds are dropped;
 *              papers not seen before are scored against the collection (rank.ts); the rest is
 *              stored in ONE transaction (FeedStore.recordRun): first seen now → 'new' with its
 *              score, seen before → only last_seen moves. A kill before that commit stores nothing.
 *   pending()  items still 'new' from the last FEED_WINDOW_DAYS, minus any that reached the
 *              collection meanwhile (marked 'added'), ranked best first with their nearest paper.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { identityOf, IdentityIndex } from '../collection/identity.js';
import type { PaperEngine } from '../engine/engine.js';
import { isUpstreamError } from '../upstream/upstream-error.js';
import type { PaperSource } from '../feeds/sources.js';
import type { FeedFailure, FeedItem, FeedStore, OfferedItem } from '../store/feed-store.js';
import { identitiesOf } from './library.js';
import { rankByCollection, type Ranked } from './rank.js';
import { recordFromFeed } from './records.js';

/** New arrivals stay on offer this long; older ones are not shown again. */
export const FEED_WINDOW_DAYS = 7;

export interface FeedRunResult {
  /** Items the sources returned, before de-duplication. */
  offered: number;
  /** Of those, papers not seen in any earlier run. */
  fresh: FeedItem[];
  /** Already in the collection, or repeated within this run. */
  duplicates: number;
  /** Items skipped, one sentence each (no abstract, malformed entry…). */
  skipped: string[];
  /** Sources that could not be read; the others still counted. */
  failures: FeedFailure[];
}

export interface FeedRunnerDeps {
  sources: readonly PaperSource[];
  store: FeedStore;
  /** The engine serving now (the collection to de-duplicate against and rank by). */
  engine: () => PaperEngine;
  clock: Clock;
  logger: Logger;
}

export class FeedRunner {
  private running: Promise<FeedRunResult> | undefined;

  constructor(private readonly deps: FeedRunnerDeps) {}

  get sourceNames(): string[] {
    return this.deps.sources.map((s) => s.name);
  }

  /** Fetches every source now; a run already in progress is shared. Never throws for an upstream failure. */
  fetch(): Promise<FeedRunResult> {
    this.running ??= this.fetchNow().finally(() => (this.running = undefined));
    return this.running;
  }

  private async fetchNow(): Promise<FeedRunResult> {
    const { sources, store, clock, logger } = this.deps;
    const startedAt = clock.now();
    const offered: OfferedItem[] = [];
    const skipped: string[] = [];
    const failures: FeedFailure[] = [];
    let count = 0;
    for (const source of sources) {
      try {
        const { items, problems } = await source.fetch();
        count += items.length;
        skipped.push(...problems.map((p) => `${source.name}: ${p}`));
        for (const item of items) {
          const kept = recordFromFeed(item);
          if ('problem' in kept) skipped.push(kept.problem);
          else offered.push({ ...kept, source: source.name });
        }
      } catch (err) {
        if (!isUpstreamError(err)) logger.error({ err, source: source.name }, 'feeds: reading a source failed');
        const message = isUpstreamError(err) ? err.message : `could not be read (${(err as Error).message})`;
        failures.push({ source: source.name, message });
        logger.warn({ source: source.name, reason: message }, 'feeds: source skipped this run');
      }
    }
    // Once per paper: the collection's papers and this run's earlier items win.
    const collection = identitiesOf(this.deps.engine());
    const seen = new IdentityIndex<OfferedItem>();
    const unique: OfferedItem[] = [];
    for (const item of offered) {
      const identity = identityOf(item.record);
      if (collection.has(identity) || seen.has(identity)) continue;
      seen.add(item, identity);
      unique.push(item);
    }
    // Papers not seen before are scored against the collection now, so a daily post can choose
    // among them inside its (synchronous) claim transaction; seen ones keep their first score.
    const known = store.known(unique.map((i) => identityOf(i.record)));
    const unseen = unique.filter((_, i) => !known[i]);
    const ranked = new Map((await rankByCollection(this.deps.engine(), unseen, (i) => i.record)).map((r) => [r.item, r]));
    const scored = unique.map((item) => {
      const r = ranked.get(item);
      return r ? { ...item, rank: { score: r.score, ...(r.because ? { because: { id: r.because.paper.id, title: r.because.paper.title } } : {}) } } : item;
    });
    const { fresh } = store.recordRun({ startedAt, finishedAt: clock.now(), offered: scored, failures });
    const result = { offered: count, fresh, duplicates: offered.length - unique.length, skipped, failures };
    logger.info(
      { sources: sources.length, offered: count, fresh: fresh.length, duplicates: result.duplicates, skipped: skipped.length, failed: failures.map((f) => f.source) },
      'feeds: run done',
    );
    return result;
  }

  /** Pending arrivals (still 'new', first seen within FEED_WINDOW_DAYS), best first. */
  async pending(): Promise<Ranked<FeedItem>[]> {
    const { store, clock } = this.deps;
    const engine = this.deps.engine();
    const since = new Date(clock.now().getTime() - FEED_WINDOW_DAYS * 86_400_000);
    const collection = identitiesOf(engine);
    const items: FeedItem[] = [];
    const arrived: number[] = [];
    for (const item of store.pending(since)) {
      if (collection.has(identityOf(item.record))) arrived.push(item.id);
      else items.push(item);
    }
    store.setStatus(arrived, 'added', clock.now());
    return rankByCollection(engine, items, (i) => i.record);
  }
}
