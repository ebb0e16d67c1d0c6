/** /about: collection size, search mode, model, index age, uptime. */
import type { EngineInfo } from '../../engine/types.js';
import { COLOR, message, type BotMessage } from './limits.js';
import { safeText } from './text.js';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export interface AboutExtras {
  /** Papers added and removed through paperbot (beyond the collection files). */
  library?: { added: number; removed: number };
  /** When FEEDS were last read, and how many new papers that run found. */
  feeds?: { finishedAt: string; fresh: number; failed: number };
}

export function aboutMessage(info: EngineInfo, opts: { now: Date; startedAt: Date } & AboutExtras): BotMessage {
  const builtAt = info.indexBuiltAt ? new Date(info.indexBuiltAt) : null;
  const indexAge = builtAt && !Number.isNaN(builtAt.getTime()) ? `${formatDuration(opts.now.getTime() - builtAt.getTime())} ago` : 'no index built';
  const model = info.model ? safeText(info.model, 200) : `none${info.modelNote ? ` — ${safeText(info.modelNote, 800)}` : ''}`;
  return message({
    embeds: [{
      title: 'paperbot',
      description: 'Search, discuss and get daily picks from the team’s paper collection.',
      color: COLOR.result,
      fields: [
        {
          name: 'Papers',
          value: opts.library && opts.library.added + opts.library.removed > 0 ? `${info.papers} (${opts.library.added} added, ${opts.library.removed} removed here)` : String(info.papers),
          inline: true,
        },
        { name: 'Search mode', value: info.mode, inline: true },
        { name: 'Uptime', value: formatDuration(opts.now.getTime() - opts.startedAt.getTime()), inline: true },
        { name: 'Embedding model', value: model },
        { name: 'Index age', value: indexAge, inline: true },
        { name: 'Collection', value: `\`${safeText(info.collectionHash.slice(0, 12), 12)}\``, inline: true },
        ...(opts.feeds
          ? [{
              name: 'Feeds',
              value: `last read ${formatDuration(opts.now.getTime() - Date.parse(opts.feeds.finishedAt))} ago: ${opts.feeds.fresh} new${opts.feeds.failed ? `, ${opts.feeds.failed} source(s) failed` : ''}`,
              inline: true,
            }]
          : []),
      ],
    }],
  });
}
