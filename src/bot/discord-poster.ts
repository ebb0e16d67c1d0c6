/**
 * The Discord side of the daily post (see daily.ts for the exactly-once protocol):
 * send with a marker-derived nonce + enforce_nonce and the marker in the embed footer,
 * find such a message again, and open a discussion thread on it.
 */
import { createHash } from 'node:crypto';
import {
  ChannelType,
  DiscordAPIError,
  RESTJSONErrorCodes,
  type Client,
  type Message,
  type SendableChannels,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Paper } from '../collection/types.js';
import { snowflakeAt, snowflakeTime } from '../rules/ids.js';
import { ChannelUnavailableError, type DailyPoster, type SendAttempts } from './daily.js';
import type { DailyArrival } from '../library/arrivals.js';
import { picksMessage } from './views/picks.js';

/** Discord caps nonces at 25 characters; a guild id + date marker is longer, so hash it. */
export function dailyNonce(marker: string): string {
  return createHash('sha256').update(marker).digest('base64url').slice(0, 25);
}

/**
 * How far around the recorded send attempts findPosted looks: clock skew between this host and
 * Discord, plus how long one send may take (REST retries, rate-limit waits).
 */
export const SEND_WINDOW_MARGIN_MS = 15 * 60_000;
/** Discord's maximum page size for message history. */
const PAGE_SIZE = 100;
/** 5,000 messages inside the window: beyond that the lookup gives up (and nothing is sent blind). */
const MAX_PAGES = 50;
const THREAD_ARCHIVE_MINUTES = 1440;

const UNAVAILABLE_CODES = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel, // 10003: deleted or never existed
  RESTJSONErrorCodes.UnknownGuild, // 10004: bot removed from the server
  RESTJSONErrorCodes.MissingAccess, // 50001: cannot see the channel
  RESTJSONErrorCodes.MissingPermissions, // 50013: cannot send / embed / create threads
]);

/** Channel-level problems become ChannelUnavailableError (logged, skipped); anything else propagates. */
function classify(err: unknown, channelId: string): unknown {
  if (err instanceof DiscordAPIError && typeof err.code === 'number' && UNAVAILABLE_CODES.has(err.code)) {
    return new ChannelUnavailableError(channelId, `${err.message} (${err.code})`);
  }
  return err;
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export class DiscordDailyPoster implements DailyPoster {
  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  async post(channelId: string, picks: Paper[], date: string, marker: string, arrivals: readonly DailyArrival[] = []): Promise<{ messageId: string }> {
    const channel = await this.sendableChannel(channelId);
    try {
      const message = await channel.send({
        ...picksMessage(picks, { date, footer: marker, arrivals }),
        // Discord returns the first message for a repeated nonce (within minutes) instead of posting twice.
        nonce: dailyNonce(marker),
        enforceNonce: true,
        allowedMentions: { parse: [] },
      });
      return { messageId: message.id };
    } catch (err) {
      throw classify(err, channelId);
    }
  }

  /**
   * Pages forward through the channel from the first attempt (minus a margin) until the marker is
   * found or the window after the latest attempt is passed (or the history ends). Throws, rather
   * than answering null, when the window holds more messages than it will read.
   */
  async findPosted(channelId: string, marker: string, attempts: SendAttempts): Promise<string | null> {
    const channel = await this.sendableChannel(channelId);
    const nonce = dailyNonce(marker);
    const botId = this.client.user?.id;
    // Discord does not return nonces on fetch; the footer marker is what identifies the post.
    const isThePost = (m: Message) =>
      m.author.id === botId && (m.nonce === nonce || m.embeds.some((e) => e.footer?.text?.includes(marker) ?? false));
    const until = attempts.last ? attempts.last.getTime() + SEND_WINDOW_MARGIN_MS : Number.POSITIVE_INFINITY;
    let after = snowflakeAt(attempts.first.getTime() - SEND_WINDOW_MARGIN_MS);
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const batch = await channel.messages.fetch({ after, limit: PAGE_SIZE, cache: false });
        const oldestFirst = [...batch.values()].sort((a, b) => compareIds(a.id, b.id));
        const found = oldestFirst.find(isThePost);
        if (found) return found.id;
        const newest = oldestFirst.at(-1);
        if (!newest || batch.size < PAGE_SIZE || snowflakeTime(newest.id) > until) return null;
        after = newest.id;
      }
    } catch (err) {
      throw classify(err, channelId);
    }
    throw new Error(
      `daily lookup: ${MAX_PAGES * PAGE_SIZE} messages in ${channelId} around the earlier send attempt and no end of the window; ` +
        'not sending again blind (the post may be there)',
    );
  }

  async openThread(channelId: string, messageId: string, name: string): Promise<void> {
    const channel = await this.sendableChannel(channelId);
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
      this.logger.info({ channelId, type: channel.type }, 'daily: channel type has no threads; not opening one');
      return;
    }
    try {
      await channel.threads.create({ startMessage: messageId, name, autoArchiveDuration: THREAD_ARCHIVE_MINUTES });
    } catch (err) {
      // A retry after a crash may find the thread already there; that is the goal reached.
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) return;
      throw classify(err, channelId);
    }
  }

  private async sendableChannel(channelId: string): Promise<SendableChannels> {
    let channel;
    try {
      channel = await this.client.channels.fetch(channelId);
    } catch (err) {
      throw classify(err, channelId);
    }
    if (!channel) throw new ChannelUnavailableError(channelId, 'not found');
    if (!channel.isSendable()) throw new ChannelUnavailableError(channelId, `not a text channel (type ${channel.type})`);
    return channel;
  }
}
