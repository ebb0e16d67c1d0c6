/** The clients for arXiv, Hugging Face and RSS feeds, made from the configuration (one place). */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { UpstreamConfig } from '../config.js';
import { ArxivClient } from '../feeds/arxiv-client.js';
import { HfDailyClient } from '../feeds/hf-daily.js';
import { defaultUserAgent, type UpstreamOptions } from '../upstream/http.js';
import { FeedClient } from '../feeds/rss.js';
import { createSources, type FeedSpec, type PaperSource } from '../feeds/sources.js';

export interface UpstreamClients {
  arxiv: ArxivClient;
  hfDaily: HfDailyClient;
  feeds: FeedClient;
}

export function createUpstreamClients(config: UpstreamConfig, logger: Logger, clock?: Clock): UpstreamClients {
  const common: UpstreamOptions = {
    userAgent: defaultUserAgent(config.contact),
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    // Never the request's content: only who, which try and why.
    onRetry: (info) => logger.warn({ service: info.service, attempt: info.attempt, failure: info.failure, waitMs: Math.round(info.waitMs) }, `upstream: ${info.detail}; retrying`),
  };
  return {
    arxiv: new ArxivClient({ ...common, baseUrl: config.arxivApiBase, minIntervalMs: config.arxivMinIntervalMs }),
    hfDaily: new HfDailyClient({ ...common, baseUrl: config.hfApiBase, ...(clock ? { clock } : {}) }),
    feeds: new FeedClient(common),
  };
}

/** The FEEDS sources over these clients. */
export function feedSources(specs: readonly FeedSpec[], clients: UpstreamClients, clock?: Clock): PaperSource[] {
  return createSources(specs, { ...clients, ...(clock ? { clock } : {}) });
}
