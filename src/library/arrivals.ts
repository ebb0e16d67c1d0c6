/**
 * The daily post's "New today": which feed arrivals a server's post shows. Chosen INSIDE the post's
 * claim transaction (DailyStore.claimPicks), so the arrivals, like the picks, are decided and stored
 * before anything is sent and a resend after a crash shows the same ones. Choosing is synchronous:
 * items were scored against the collection when they were stored (FeedRunner), so it is one query
 * (best score first, never shown to this server before, first seen within FEED_WINDOW_DAYS) minus
 * papers that reached the collection meanwhile.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { identityOf } from '../collection/identity.js';
import type { Paper } from '../collection/types.js';
import type { FeedItem, FeedStore } from '../store/feed-store.js';
import { FEED_WINDOW_DAYS } from './feed-runner.js';
import { identitiesOf } from './library.js';

/** One arrival as a post shows it. */
export interface DailyArrival {
  /** The feed item (its "Add to collection" button carries this id). */
  itemId: number;
  title: string;
  url: string;
  authors: string[];
  /** The collection paper it was closest to: the Paper while it is still there, else its title. */
  because?: Paper | { title: string };
}

export interface DailyArrivalsDeps {
  feeds: Pick<FeedStore, 'candidatesFor' | 'recordShown' | 'shown'>;
  /** The engine serving now (not a view: its papers are the collection of that moment). */
  engine: () => { readonly papers: readonly Paper[]; paper(id: string): Paper | undefined };
  /** How many arrivals a post shows. */
  count: number;
  clock: Clock;
  logger: Logger;
}

export class DailyArrivals {
  constructor(private readonly deps: DailyArrivalsDeps) {}

  /**
   * Chooses and records the arrivals of (guild, date). Call inside the claim transaction; never
   * throws (a failure here must not cost the day's picks: the post then has no arrivals).
   */
  choose(guildId: string, date: string): void {
    const { feeds, clock, count, logger } = this.deps;
    try {
      const collection = identitiesOf(this.deps.engine());
      const since = new Date(clock.now().getTime() - FEED_WINDOW_DAYS * 86_400_000);
      const items = feeds.candidatesFor(guildId, since, count, (item) => !collection.has(identityOf(item.record)));
      feeds.recordShown(guildId, date, items.map((i) => i.id));
    } catch (err) {
      logger.error({ err, guildId, date }, 'daily: could not choose new arrivals; posting the picks without them');
    }
  }

  /** The arrivals recorded for (guild, date), in order. */
  shown(guildId: string, date: string): DailyArrival[] {
    const engine = this.deps.engine();
    return this.deps.feeds.shown(guildId, date).map((item) => toArrival(item, engine));
  }
}

function toArrival(item: FeedItem, engine: { paper(id: string): Paper | undefined }): DailyArrival {
  const because = item.rank?.because;
  const paper = because ? engine.paper(because.id) : undefined;
  return {
    itemId: item.id,
    title: item.record.title,
    url: item.url,
    authors: item.record.authors,
    ...(because ? { because: paper && paper.id === because.id ? paper : { title: because.title } } : {}),
  };
}
