/**
 * Where a chat reply lands, with fallbacks: each place is tried in order until one takes the
 * message (a new thread → the channel → the user's DMs). A place that refuses (no permission,
 * a locked or archived thread, DMs closed) is skipped and logged; anything else (Discord
 * failing) is thrown. The first `show` sends; later ones (a streamed answer) edit the same
 * message, moving on to the next place if an edit is refused.
 */
import { DiscordAPIError, type Message } from 'discord.js';
import type { ChannelMessage } from '../views/chat.js';

export type Where = 'new-thread' | 'thread' | 'channel' | 'dm' | 'dm-fallback';

export interface Place {
  where: Where;
  /** Opens the place if needed (a thread) and sends the first message there. */
  send(payload: ChannelMessage): Promise<Message>;
}


/** Discord codes meaning "not here": unknown channel, missing access/permissions, cannot DM, wrong channel type, archived, locked. */
const REFUSED = new Set([10003, 10008, 50001, 50013, 50007, 50024, 50083, 160005]);

export function refusedHere(err: unknown): err is DiscordAPIError {
  return err instanceof DiscordAPIError && (err.status === 403 || err.status === 404 || REFUSED.has(Number(err.code)));
}

export class UndeliverableError extends Error {
  override readonly name = 'UndeliverableError';
  constructor(readonly refusals: { where: Where; code: number | string }[]) {
    super(`no place would take the reply (${refusals.map((r) => `${r.where}: ${r.code}`).join(', ')})`);
  }
}

export class Delivery {
  private index = 0;
  private sent: { where: Where; message: Message } | undefined;
  private readonly refusals: { where: Where; code: number | string }[] = [];

  constructor(
    private readonly places: readonly Place[],
    private readonly onRefused: (where: Where, err: DiscordAPIError) => void = () => undefined,
  ) {}

  /** Where the reply is (or would go next). */
  get where(): Where | undefined {
    return this.sent?.where ?? this.places[this.index]?.where;
  }

  get message(): Message | undefined {
    return this.sent?.message;
  }

  /** Sends the reply, or edits it when it was sent; `render` builds the payload for the place it lands in. */
  async show(render: (where: Where) => ChannelMessage): Promise<Message> {
    if (this.sent) {
      try {
        await this.sent.message.edit(render(this.sent.where));
        return this.sent.message;
      } catch (err) {
        if (!refusedHere(err)) throw err;
        this.refuse(this.sent.where, err);
        this.sent = undefined;
        this.index++;
      }
    }
    for (; this.index < this.places.length; this.index++) {
      const place = this.places[this.index]!;
      try {
        const message = await place.send(render(place.where));
        this.sent = { where: place.where, message };
        return message;
      } catch (err) {
        if (!refusedHere(err)) throw err;
        this.refuse(place.where, err);
      }
    }
    throw new UndeliverableError(this.refusals);
  }

  private refuse(where: Where, err: DiscordAPIError): void {
    this.refusals.push({ where, code: err.code });
    this.onRefused(where, err);
  }
}
