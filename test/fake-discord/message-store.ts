/** Channel message history of the fake, plus the nonce memory behind `enforce_nonce`. */
import type { Json } from './payloads.js';
import { compareSnowflakes } from './snowflake.js';

export class MessageStore {
  private readonly byChannel = new Map<string, Json[]>();
  private readonly nonces = new Map<string, Json>();

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

  /** GET /channels/:id/messages semantics: newest first, limit 1–100 (default 50), before/after by id. */
  page(channelId: string, query: Record<string, string>): Json[] {
    const limit = Math.min(100, Math.max(1, Number(query.limit ?? 50) || 50));
    let list = this.inChannel(channelId).sort((a, b) => compareSnowflakes(b.id, a.id));
    if (query.before) list = list.filter((m) => compareSnowflakes(m.id, query.before!) < 0);
    // `after` pages forward from the given id: the `limit` messages right after it, still newest first.
    if (query.after) list = list.filter((m) => compareSnowflakes(m.id, query.after!) > 0).slice(-limit);
    return list.slice(0, limit);
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

  /** The message an author already created with this nonce, if any (Discord keeps these a few minutes; the fake forever). */
  byNonce(authorId: string, nonce: string): Json | undefined {
    return this.nonces.get(`${authorId}:${nonce}`);
  }

  rememberNonce(authorId: string, nonce: string, created: Json): void {
    this.nonces.set(`${authorId}:${nonce}`, created);
  }
}
