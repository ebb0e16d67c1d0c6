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
import { ChannelUnavailableError, type DailyPoster } from './daily.js';
import { picksMessage } from './views/picks.js';

/** Discord caps nonces at 25 characters; a guild id + date marker is longer, so hash it. */
export function dailyNonce(marker: string): string {
  return createHash('sha256').update(marker).digest('base64url').slice(0, 25);
}

/** How far back findPosted looks: the post is normally the channel's latest bot message. */
const RECENT_MESSAGES = 50;
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

export class DiscordDailyPoster implements DailyPoster {
  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  async post(channelId: string, picks: Paper[], date: string, marker: string): Promise<{ messageId: string }> {
    const channel = await this.sendableChannel(channelId);
    try {
      const message = await channel.send({
        ...picksMessage(picks, { date, footer: marker }),
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

  async findPosted(channelId: string, marker: string): Promise<string | null> {
    const channel = await this.sendableChannel(channelId);
    const nonce = dailyNonce(marker);
    const botId = this.client.user?.id;
    try {
      const recent = await channel.messages.fetch({ limit: RECENT_MESSAGES, cache: false });
      // Discord does not return nonces on fetch; the footer marker is what identifies the post.
      const found = recent.find(
        (m: Message) =>
          m.author.id === botId && (m.nonce === nonce || m.embeds.some((e) => e.footer?.text?.includes(marker) ?? false)),
      );
      return found?.id ?? null;
    } catch (err) {
      throw classify(err, channelId);
    }
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
