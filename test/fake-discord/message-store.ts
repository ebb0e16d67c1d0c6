/** Channel message history of the fake, plus the nonce memory behind `enforce_nonce` (which forgets, like Discord). */
import type { Json } from './payloads.js';
import { compareSnowflakes } from './snowflake.js';

/** A parsed, valid GET /channels/:id/messages query. At most one anchor. */
export interface PageQuery {
  limit: number;
  before?: string;
  after?: string;
  around?: string;
}

interface NonceEntry {
  message: Json;
  at: number;
}

export class MessageStore {
  private readonly byChannel = new Map<string, Json[]>();
  private readonly nonces = new Map<string, NonceEntry>();

  constructor(
    private readonly now: () => number = Date.now,
    /** How long an enforced nonce is remembered. Discord: "the past few minutes". */
    private readonly nonceTtlMs = 5 * 60_000,
  ) {}

  /** Oldest first. */
  inChannel(channelId: string): Json[] {
    return [...(this.byChannel.get(channelId) ?? [])];
  }

  get(channelId: string, messageId: string): Json | undefined {
    return this.byChannel.get(channelId)?.find((m) => m.id === messageId);
  }

  find(messageId: string): Json | undefined {
    for (const list of this.byChannel.values()) {
      const m = list.find((x) => x.id === messageId);
      if (m) return m;
    }
    return undefined;
  }

  /**
   * GET /channels/:id/messages semantics. Discord always answers newest first:
   * none/before → the `limit` newest messages (older than `before`);
   * after → the `limit` messages right after `after` (the oldest ones past it), still newest first;
   * around → ⌊limit/2⌋ older, the message itself if it exists, ⌊limit/2⌋ newer (so an even limit can give limit + 1).
   */
  page(channelId: string, q: PageQuery): Json[] {
    const newestFirst = this.inChannel(channelId).sort((a, b) => compareSnowflakes(b.id, a.id));
    if (q.before) return newestFirst.filter((m) => compareSnowflakes(m.id, q.before!) < 0).slice(0, q.limit);
    if (q.after) return newestFirst.filter((m) => compareSnowflakes(m.id, q.after!) > 0).slice(-q.limit);
    if (q.around) {
      const half = Math.floor(q.limit / 2);
      const newer = half === 0 ? [] : newestFirst.filter((m) => compareSnowflakes(m.id, q.around!) > 0).slice(-half);
      const self = newestFirst.filter((m) => m.id === q.around);
      const older = newestFirst.filter((m) => compareSnowflakes(m.id, q.around!) < 0).slice(0, half);
      return [...newer, ...self, ...older];
    }
    return newestFirst.slice(0, q.limit);
  }

  add(message: Json): void {
    const list = this.byChannel.get(message.channel_id) ?? [];
    list.push(message);
    this.byChannel.set(message.channel_id, list);
  }

  replace(message: Json, addIfMissing = false): void {
    const list = this.byChannel.get(message.channel_id) ?? [];
    const i = list.findIndex((m) => m.id === message.id);
    if (i >= 0) list[i] = message;
    else if (addIfMissing) this.add(message);
  }

  remove(message: Json): void {
    const list = this.byChannel.get(message.channel_id);
    if (list) this.byChannel.set(message.channel_id, list.filter((m) => m.id !== message.id));
  }

  /** The message an author created with this nonce within the TTL, if any; older entries are forgotten. */
  byNonce(authorId: string, nonce: string): Json | undefined {
    const key = `${authorId}:${nonce}`;
    const entry = this.nonces.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.nonceTtlMs) {
      this.nonces.delete(key);
      return undefined;
    }
    return entry.message;
  }

  rememberNonce(authorId: string, nonce: string, created: Json): void {
    this.nonces.set(`${authorId}:${nonce}`, { message: created, at: this.now() });
  }
}
