/**
 * Channel messages, DMs and threads of the fake Discord: the REST routes under /channels/:id and
 * /users/@me/channels, the MESSAGE_* / THREAD_* gateway dispatches (filtered by each session's intents,
 * with Discord's message-content rule), and what human users do (userMessage, dm, flood).
 * See the comment at the top of index.ts for the contract tests rely on.
 */
import type { FakeGateway } from './gateway.js';
import { apiError, NO_CONTENT, type Reply, type Route, type RouteRequest } from './http-util.js';
import { MessageStore, type PageQuery } from './message-store.js';
import {
  applyMessageEdit,
  channelPayload,
  memberPayload,
  messagePayload,
  newThreadState,
  userPayload,
  type ChannelAccess,
  type FakeChannel,
  type FakeGuild,
  type FakeUser,
  type Json,
} from './payloads.js';
import { isSnowflake, snowflake } from './snowflake.js';
import { InvalidBody, validateMessageBody } from './validate.js';

/** Gateway intent bits the fake honours (Discord's values). */
export const INTENTS = {
  GUILDS: 1 << 0,
  GUILD_MESSAGES: 1 << 9,
  DIRECT_MESSAGES: 1 << 12,
  MESSAGE_CONTENT: 1 << 15,
} as const;

const HAS_THREAD = 1 << 5;
const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

export interface MessagingHost {
  readonly botUser: FakeUser;
  readonly user: FakeUser;
  readonly guilds: FakeGuild[];
  readonly channels: Map<string, FakeChannel>;
  readonly gateway?: FakeGateway;
  now(): number;
  /** Whether REST reads carry message content (the app's MESSAGE_CONTENT access). */
  restHasMessageContent(): boolean;
}

export interface AttachmentInit {
  filename: string;
  size?: number;
  contentType?: string;
  url?: string;
}

/** A message written by a human (or another bot) in a channel the fake knows. */
export interface UserMessageInit {
  /** Default: the first guild's first text channel. Threads and DM channels work too. */
  channelId?: string;
  content?: string;
  /** Default: fake.user. An unknown id becomes a new user (and guild member). */
  authorId?: string;
  /** Or a full author: { id?, username?, bot? } (e.g. another bot). */
  author?: Partial<FakeUser>;
  /** Writes `<@botId> ` in front of the content (unless it already mentions the bot): a mention IS that text. */
  mentionsBot?: boolean;
  /** Id of a message in the same channel to reply to (type 19, message_reference + referenced_message). */
  replyTo?: string;
  /** Discord's reply ping: on (default) puts the replied-to author in `mentions`. */
  replyMentions?: boolean;
  attachments?: AttachmentInit[];
  embeds?: Json[];
  components?: Json[];
  /** Only a consistency check: the channel decides the guild. */
  guildId?: string;
  /** Default true. False = only stored (history), no MESSAGE_CREATE. */
  dispatch?: boolean;
  id?: string;
}

export interface MessageEdit {
  /** fake.now() when the edit was applied. */
  at: number;
  /** The PATCH body as sent. */
  body: Json;
  /** The message after the edit (REST shape, full content). */
  message: Json;
}

interface MentionFilter {
  user(id: string): boolean;
  role(id: string): boolean;
  everyone: boolean;
  repliedUser: boolean;
}

/** No allowed_mentions: everything in the content mentions (and the replied-to author is pinged). */
const PARSE_ALL: MentionFilter = { user: () => true, role: () => true, everyone: true, repliedUser: true };

/** Discord's allowed_mentions: present → only what `parse`/`users`/`roles` allow; `replied_user` defaults to false. */
export function mentionFilter(am: Json | null | undefined): MentionFilter {
  if (am === undefined || am === null) return PARSE_ALL;
  const parse: string[] = Array.isArray(am.parse) ? am.parse.map(String) : [];
  const users = new Set<string>((am.users ?? []).map(String));
  const roles = new Set<string>((am.roles ?? []).map(String));
  return {
    user: (id) => parse.includes('users') || users.has(id),
    role: (id) => parse.includes('roles') || roles.has(id),
    everyone: parse.includes('everyone'),
    repliedUser: am.replied_user === true,
  };
}

const ACCESS_RANK: Record<ChannelAccess, number> = { ok: 0, forbidden: 1, hidden: 2, missing: 3 };

export class Messaging {
  readonly store: MessageStore;
  /** Every user the fake knows by id: mentions of unknown ids are dropped, as Discord drops them. */
  readonly users = new Map<string, FakeUser>();
  /** Threads created through the API, as first returned (plus top-level auto_archive_duration, starter_message_id). */
  readonly threadLog: Json[] = [];
  private readonly edits = new Map<string, MessageEdit[]>();
  private readonly dmChannels = new Map<string, FakeChannel>();
  private readonly dmRefusers = new Set<string>();
  private floodAuthors: FakeUser[] = [];

  constructor(
    private readonly host: MessagingHost,
    nonceTtlMs: number,
  ) {
    this.store = new MessageStore(() => host.now(), nonceTtlMs);
    for (const u of [host.botUser, host.user]) this.users.set(u.id, u);
  }

  // ── REST routes ─────────────────────────────────────────────────────────────────────────

  routes(): Route[] {
    const ID = '(\\d+)';
    const r = (s: string) => new RegExp(`^${s}$`);
    return [
      ['GET', r(`/channels/${ID}`), (m) => this.withChannel(m[1]!, 'read', (c) => ({ status: 200, body: this.channelView(c) }))],
      ['GET', r(`/channels/${ID}/messages`), (m, q) => this.withChannel(m[1]!, 'read', (c) => this.listMessages(c, q.query))],
      ['POST', r(`/channels/${ID}/messages`), (m, q) => this.withChannel(m[1]!, 'send', (c) => this.createMessage(c, q))],
      ['GET', r(`/channels/${ID}/messages/${ID}`), (m) => this.withMessage(m, 'read', (_c, msg) => ({ status: 200, body: this.restView(msg) }))],
      ['PATCH', r(`/channels/${ID}/messages/${ID}`), (m, q) => this.withMessage(m, 'read', (c, msg) => this.editMessage(c, msg, q.body ?? {}))],
      ['DELETE', r(`/channels/${ID}/messages/${ID}`), (m) => this.withMessage(m, 'read', (_c, msg) => this.deleteMessage(msg))],
      ['POST', r(`/channels/${ID}/messages/${ID}/threads`), (m, q) => this.withMessage(m, 'send', (c, msg) => this.startThread(c, msg, q.body ?? {}))],
      ['POST', r(`/channels/${ID}/typing`), (m) => this.withChannel(m[1]!, 'send', () => NO_CONTENT)],
      ['PUT', r(`/channels/${ID}/thread-members/@me`), (m) => this.withChannel(m[1]!, 'read', (c) => this.joinThread(c))],
      ['POST', r('/users/@me/channels'), (_m, q) => this.openDm(q.body ?? {})],
      ['GET', r(`/users/${ID}`), (m) => {
        const u = this.users.get(m[1]!);
        return u ? { status: 200, body: userPayload(u) } : apiError(404, 10013, 'Unknown User');
      }],
    ];
  }

  /** 404 10003 for gone channels, 403 50001 for ones the bot cannot see, 403 50013 for sends where it may not post. */
  withChannel(channelId: string, need: 'read' | 'send', fn: (c: FakeChannel) => Reply): Reply {
    const channel = this.host.channels.get(channelId);
    const access = channel ? this.accessOf(channel) : 'missing';
    if (!channel || access === 'missing') return apiError(404, 10003, 'Unknown Channel');
    if (access === 'hidden') return apiError(403, 50001, 'Missing Access');
    if (access === 'forbidden' && need === 'send') return apiError(403, 50013, 'Missing Permissions');
    return fn(channel);
  }

  private withMessage(m: RegExpExecArray, need: 'read' | 'send', fn: (c: FakeChannel, message: Json) => Reply): Reply {
    return this.withChannel(m[1]!, need, (c) => {
      const message = this.store.get(c.id, m[2]!);
      return message ? fn(c, message) : apiError(404, 10008, 'Unknown Message');
    });
  }

  /** The worse of a channel's own access and its parent's (threads inherit the parent's permissions). */
  accessOf(channel: FakeChannel): ChannelAccess {
    const parent = channel.parentId ? this.host.channels.get(channel.parentId) : undefined;
    const inherited = parent ? this.accessOf(parent) : 'ok';
    return ACCESS_RANK[inherited] > ACCESS_RANK[channel.access] ? inherited : channel.access;
  }

  private canView(channel: FakeChannel): boolean {
    const access = this.accessOf(channel);
    return access === 'ok' || access === 'forbidden';
  }

  channelView(c: FakeChannel): Json {
    return channelPayload(c, c.guildId ?? undefined);
  }

  private listMessages(c: FakeChannel, query: Record<string, string>): Reply {
    const parsed = parsePageQuery(query);
    if (parsed instanceof InvalidBody) return { status: 400, body: parsed.toResponse() };
    return { status: 200, body: this.store.page(c.id, parsed).map((m) => this.restView(m)) };
  }

  private createMessage(c: FakeChannel, r: RouteRequest): Reply {
    const body = r.body ?? {};
    const invalid = validateMessageBody(body, { requireSomething: r.files.length === 0 });
    if (!invalid.ok) return invalidReply(invalid);
    if (c.type === 1 && c.recipients?.some((u) => this.dmRefusers.has(u.id))) return apiError(403, 50007, 'Cannot send messages to this user');
    const gate = this.threadGate(c, 'send');
    if (gate) return gate;

    let reference: Json | undefined;
    const ref = body.message_reference;
    if (ref?.message_id !== undefined && (ref.type ?? 0) === 0) {
      const target = this.store.get(String(ref.channel_id ?? c.id), String(ref.message_id));
      if (target && target.channel_id === c.id) reference = { message_id: target.id };
      else if (ref.fail_if_not_exists !== false) {
        const v = new InvalidBody();
        v.add('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        return invalidReply(v);
      }
    }

    const nonce = body.nonce === undefined ? undefined : String(body.nonce);
    const earlier = nonce === undefined || !body.enforce_nonce ? undefined : this.store.byNonce(this.host.botUser.id, nonce);
    if (earlier) return { status: 200, body: earlier };

    const files = r.files.map((f) => ({ filename: f.filename, size: f.size, content_type: f.contentType }));
    const message = this.compose(c, this.host.botUser, { ...body, message_reference: reference, attachments: files }, mentionFilter(body.allowed_mentions));
    this.post(c, message, nonce);
    const created = nonce === undefined ? this.restView(message) : { ...this.restView(message), nonce };
    if (nonce !== undefined) this.store.rememberNonce(this.host.botUser.id, nonce, created);
    return { status: 200, body: created };
  }

  private editMessage(c: FakeChannel, message: Json, body: Json): Reply {
    if (message.author?.id !== this.host.botUser.id) return apiError(403, 50005, 'Cannot edit a message authored by another user');
    const gate = this.threadGate(c, 'edit');
    if (gate) return gate;
    const invalid = validateMessageBody(body, { requireSomething: false });
    if (!invalid.ok) return invalidReply(invalid);
    const edited = this.applyEdit(message, body);
    if (!hasVisibleParts(edited)) return apiError(400, 50006, 'Cannot send an empty message');
    this.recordEdit(edited, body);
    return { status: 200, body: this.restView(edited) };
  }

  private deleteMessage(message: Json): Reply {
    // The bot has no MANAGE_MESSAGES in the fake guilds: it can delete only its own messages.
    if (message.author?.id !== this.host.botUser.id) return apiError(403, 50013, 'Missing Permissions');
    this.removeMessage(message);
    return NO_CONTENT;
  }

  private startThread(c: FakeChannel, message: Json, body: Json): Reply {
    if (c.type !== 0 && c.type !== 5) return apiError(400, 50024, 'Cannot execute action on this channel type');
    if (message.thread) return apiError(400, 160004, 'A thread has already been created for this message');
    const v = new InvalidBody();
    if (typeof body.name !== 'string' || body.name.length === 0) v.add('name', 'BASE_TYPE_REQUIRED', 'This field is required');
    else v.max('name', body.name, 100);
    const duration = body.auto_archive_duration ?? 1440;
    if (!ARCHIVE_DURATIONS.includes(Number(duration)))
      v.add('auto_archive_duration', 'BASE_TYPE_CHOICES', `Value must be one of {${ARCHIVE_DURATIONS.join(', ')}}.`);
    if (!v.ok) return invalidReply(v);

    const thread = this.openThread(c, message, String(body.name), this.host.botUser, Number(duration));
    const payload = this.channelView(thread);
    this.threadLog.push({ ...payload, auto_archive_duration: payload.thread_metadata.auto_archive_duration, starter_message_id: message.id });
    return { status: 201, body: payload };
  }

  private joinThread(c: FakeChannel): Reply {
    if (!c.thread) return apiError(400, 50024, 'Cannot execute action on this channel type');
    if (c.thread.archived) return apiError(400, 50083, 'Thread is archived');
    c.thread.memberIds.add(this.host.botUser.id);
    return NO_CONTENT;
  }

  private openDm(body: Json): Reply {
    const id = String(body.recipient_id ?? '');
    if (!isSnowflake(id)) {
      const v = new InvalidBody();
      v.add('recipient_id', 'NUMBER_TYPE_COERCE', `Value "${id}" is not snowflake.`);
      return invalidReply(v);
    }
    const user = this.users.get(id);
    if (!user || user.id === this.host.botUser.id) return apiError(404, 10013, 'Unknown User');
    return { status: 200, body: this.channelView(this.dmChannelFor(user)) };
  }

  /** Archived + locked → 400 50083; locked → 403 160005; archived (unlocked) → a send unarchives it, an edit is refused. */
  private threadGate(c: FakeChannel, action: 'send' | 'edit'): Reply | undefined {
    const t = c.thread;
    if (!t) return undefined;
    if (t.archived && (t.locked || action === 'edit')) return apiError(400, 50083, 'Thread is archived');
    if (t.locked) return apiError(403, 160005, 'Thread is locked');
    return undefined;
  }

  // ── building, storing and dispatching messages ──────────────────────────────────────────

  /** A message object (REST shape, full content) with mentions computed from its content, as Discord does. */
  private compose(c: FakeChannel, author: FakeUser, body: Json, filter: MentionFilter, opts: { type?: number; id?: string } = {}): Json {
    const referenced = body.message_reference ? this.store.get(c.id, String(body.message_reference.message_id)) : undefined;
    return messagePayload({
      channelId: c.id,
      guildId: c.guildId,
      author,
      body,
      id: opts.id,
      type: opts.type,
      at: this.host.now(),
      extra: this.mentionsIn(c, author, String(body.content ?? ''), filter, referenced),
    });
  }

  private mentionsIn(c: FakeChannel, author: FakeUser, content: string, filter: MentionFilter, referenced: Json | undefined): Json {
    const users: FakeUser[] = [];
    const add = (u: FakeUser | undefined) => {
      if (u && !users.some((x) => x.id === u.id)) users.push(u);
    };
    for (const [, id] of content.matchAll(/<@!?(\d{1,20})>/g)) if (filter.user(id!)) add(this.users.get(id!));
    if (referenced && filter.repliedUser && referenced.author?.id !== author.id) add(this.users.get(referenced.author?.id));
    const roles = c.guildId ? [...new Set([...content.matchAll(/<@&(\d{1,20})>/g)].map((m) => m[1]!))].filter((id) => id !== c.guildId && filter.role(id)) : [];
    return {
      mentions: users.map((u) => userPayload(u)),
      mention_roles: roles,
      mention_everyone: Boolean(c.guildId) && filter.everyone && /@(everyone|here)\b/.test(content),
    };
  }

  /** Mentions of a message the bot sends with `body` (its content, filtered by its allowed_mentions). */
  mentionsFor(c: FakeChannel, author: FakeUser, body: Json): Json {
    const referenced = body.message_reference ? this.store.get(c.id, String(body.message_reference.message_id)) : undefined;
    return this.mentionsIn(c, author, String(body.content ?? ''), mentionFilter(body.allowed_mentions), referenced);
  }

  /** An interaction reply / follow-up that is public: stored in history and dispatched like any channel message. */
  addInteractionMessage(message: Json): void {
    const c = this.host.channels.get(message.channel_id);
    if (c) this.post(c, message);
    else this.store.add(message);
  }

  /** PATCH semantics: only the given fields change; new content gets its mentions recomputed (with the edit's allowed_mentions). */
  applyEdit(message: Json, body: Json): Json {
    let edited = applyMessageEdit(message, body, this.host.now());
    if ('content' in body) {
      const c = this.host.channels.get(message.channel_id)!;
      const referenced = message.message_reference ? this.store.get(c.id, message.message_reference.message_id) : undefined;
      const author = this.users.get(message.author.id) ?? this.host.botUser;
      edited = { ...edited, ...this.mentionsIn(c, author, String(edited.content ?? ''), mentionFilter(body.allowed_mentions), referenced) };
    }
    return edited;
  }

  /** Store a new message in its channel, update thread/channel state and dispatch MESSAGE_CREATE. */
  private post(c: FakeChannel, message: Json, nonce?: string, dispatch = true): void {
    this.store.add(message);
    c.lastMessageId = message.id;
    const t = c.thread;
    if (t) {
      t.messageCount += 1;
      t.totalMessageSent += 1;
      t.memberIds.add(message.author.id);
      if (t.archived && !t.locked) this.setThreadState(c, { archived: false });
    }
    if (dispatch) this.broadcast('MESSAGE_CREATE', message, nonce);
  }

  /** Record an edit made through any route (channel PATCH or interaction webhook); a public message is stored and MESSAGE_UPDATE dispatched. */
  recordEdit(edited: Json, body: Json, isPublic = true): void {
    const list = this.edits.get(edited.id) ?? [];
    list.push({ at: this.host.now(), body, message: edited });
    this.edits.set(edited.id, list);
    if (!isPublic) return;
    this.store.replace(edited, true);
    this.broadcast('MESSAGE_UPDATE', edited);
  }

  removeMessage(message: Json): void {
    this.store.remove(message);
    const c = this.host.channels.get(message.channel_id);
    if (c?.thread && message.type !== 21) c.thread.messageCount = Math.max(0, c.thread.messageCount - 1);
    if (!c || !this.canView(c)) return;
    const dm = !message.guild_id;
    this.host.gateway?.dispatchFor('MESSAGE_DELETE', (intents) =>
      intents & (dm ? INTENTS.DIRECT_MESSAGES : INTENTS.GUILD_MESSAGES)
        ? { id: message.id, channel_id: message.channel_id, ...(dm ? {} : { guild_id: message.guild_id }) }
        : undefined,
    );
  }

  /** Dispatch MESSAGE_CREATE / MESSAGE_UPDATE to every session that may see it, each in its own view. */
  broadcast(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: Json, nonce?: string): void {
    const c = this.host.channels.get(message.channel_id);
    if (!c || !this.canView(c)) return;
    this.host.gateway?.dispatchFor(event, (intents) => this.gatewayView(message, intents, nonce));
  }

  private gatewayView(message: Json, intents: number, nonce?: string): Json | undefined {
    const dm = !message.guild_id;
    if (!(intents & (dm ? INTENTS.DIRECT_MESSAGES : INTENTS.GUILD_MESSAGES))) return undefined;
    const view = this.view(message, Boolean(intents & INTENTS.MESSAGE_CONTENT));
    if (nonce !== undefined) view.nonce = nonce;
    // Gateway-only extra field; discord.js needs it to build a partial DM channel it has never seen.
    const channel = this.host.channels.get(message.channel_id);
    if (channel) view.channel_type = channel.type;
    if (!dm) {
      view.member = memberFields(this.users.get(message.author.id) ?? message.author);
      view.mentions = (view.mentions as Json[]).map((u) => ({ ...u, member: memberFields(this.users.get(u.id) ?? (u as FakeUser)) }));
    }
    return view;
  }

  /** The message as a REST read returns it (content per the app's MESSAGE_CONTENT access). */
  restView(message: Json): Json {
    return this.view(message, this.host.restHasMessageContent());
  }

  /**
   * Discord's message-content rule: without MESSAGE_CONTENT, content/embeds/attachments/components are empty
   * and poll is omitted, except in DMs, in the bot's own messages and in messages that mention the bot.
   * Replies and thread starters carry `referenced_message` (null if deleted; no guild_id, no nesting).
   */
  private view(message: Json, contentIntent: boolean, nested = false): Json {
    const view: Json = { ...message };
    const ref = message.message_reference;
    if (!nested && ref && (message.type === 19 || message.type === 21)) {
      const target = this.store.get(ref.channel_id, ref.message_id);
      view.referenced_message = target ? this.view(target, contentIntent, true) : null;
    }
    if (nested) delete view.guild_id;
    const botId = this.host.botUser.id;
    const seesContent = contentIntent || !message.guild_id || message.author?.id === botId || (message.mentions ?? []).some((u: Json) => u.id === botId);
    if (!seesContent) {
      view.content = '';
      view.embeds = [];
      view.attachments = [];
      view.components = [];
      delete view.poll;
    }
    return view;
  }

  // ── threads and DMs ─────────────────────────────────────────────────────────────────────

  /** A public thread on `message` (its id is the message's), with the type-21 starter message inside. THREAD_CREATE is dispatched. */
  openThread(parent: FakeChannel, message: Json, name: string, owner: FakeUser, autoArchiveDuration = 1440): FakeChannel {
    const now = this.host.now();
    const thread: FakeChannel = {
      id: message.id,
      name,
      guildId: parent.guildId,
      type: 11,
      parentId: parent.id,
      access: 'ok', // inherits the parent's access (see accessOf)
      ownerId: owner.id,
      thread: newThreadState([owner.id], now, autoArchiveDuration),
    };
    this.host.channels.set(thread.id, thread);
    this.store.replace({ ...message, thread: this.channelView(thread), flags: Number(message.flags ?? 0) | HAS_THREAD });
    // Discord's first message in a thread started from a message: empty, pointing back at the starter (not counted).
    const starter = messagePayload({
      channelId: thread.id,
      guildId: thread.guildId,
      author: owner,
      body: { content: '', message_reference: { message_id: message.id, channel_id: parent.id } },
      type: 21,
      at: now,
      extra: { mentions: [], mention_roles: [], mention_everyone: false, position: 0 },
    });
    this.store.add(starter);
    thread.lastMessageId = starter.id;
    this.threadEvent('THREAD_CREATE', thread, {
      newly_created: true,
      ...(owner.id === this.host.botUser.id ? { member: { id: thread.id, user_id: owner.id, join_timestamp: new Date(now).toISOString(), flags: 0 } } : {}),
    });
    return thread;
  }

  setThreadState(thread: FakeChannel, state: { archived?: boolean; locked?: boolean }): void {
    const t = thread.thread;
    if (!t) throw new Error(`fake-discord: channel ${thread.id} is not a thread`);
    if (state.archived !== undefined && state.archived !== t.archived) {
      t.archived = state.archived;
      t.archivedAt = this.host.now();
    }
    if (state.locked !== undefined) t.locked = state.locked;
    this.threadEvent('THREAD_UPDATE', thread);
  }

  private threadEvent(event: 'THREAD_CREATE' | 'THREAD_UPDATE', thread: FakeChannel, extra: Json = {}): void {
    if (!this.canView(thread)) return;
    const payload = { ...this.channelView(thread), ...extra };
    this.host.gateway?.dispatchFor(event, (intents) => (intents & INTENTS.GUILDS ? payload : undefined));
  }

  /** The DM channel between the bot and `user`, created on first use (Discord keeps one per pair). */
  dmChannelFor(user: FakeUser): FakeChannel {
    let channel = this.dmChannels.get(user.id);
    if (!channel) {
      channel = { id: snowflake(this.host.now()), name: '', guildId: null, type: 1, access: 'ok', recipients: [user] };
      this.dmChannels.set(user.id, channel);
      this.host.channels.set(channel.id, channel);
    }
    return channel;
  }

  /** The user no longer accepts DMs from the bot: sends to their DM channel → 403 50007. */
  refuseDms(userId: string, refuse = true): void {
    if (refuse) this.dmRefusers.add(userId);
    else this.dmRefusers.delete(userId);
  }

  // ── what humans do ──────────────────────────────────────────────────────────────────────

  /** Register (or look up) a user; new ones join every fake guild. */
  userFor(init: Partial<FakeUser> = {}): FakeUser {
    const id = init.id ?? snowflake(this.host.now());
    const known = this.users.get(id);
    if (known) return known;
    const user: FakeUser = { id, username: init.username ?? `user${id.slice(-4)}`, ...(init.bot ? { bot: true } : {}) };
    this.users.set(id, user);
    for (const g of this.host.guilds) if (!g.members.some((m) => m.id === id)) g.members.push(user);
    return user;
  }

  /** `seed` = fake.addMessage: history set-up, where an empty message (e.g. a sticker-only one) is allowed. */
  userMessage(init: UserMessageInit, defaultChannelId: string, seed = false): Json {
    const channelId = init.channelId ?? defaultChannelId;
    const channel = this.host.channels.get(channelId);
    if (!channel) throw new Error(`fake-discord: userMessage: no channel ${channelId} (use a configured channel, a thread the bot opened, or fake.dm)`);
    if (init.guildId !== undefined && init.guildId !== channel.guildId)
      throw new Error(`fake-discord: userMessage: channel ${channelId} is in guild ${channel.guildId ?? '(DM)'}, not ${init.guildId}`);
    if (channel.thread?.locked) throw new Error(`fake-discord: userMessage: thread ${channelId} is locked; members cannot post in it`);
    const author = init.author ? this.userFor(init.author) : init.authorId ? this.userFor({ id: init.authorId }) : this.host.user;
    const botMention = `<@${this.host.botUser.id}>`;
    let content = init.content ?? '';
    if (init.mentionsBot && !content.includes(botMention) && !content.includes(`<@!${this.host.botUser.id}>`)) content = `${botMention} ${content}`.trimEnd();

    let reference: Json | undefined;
    if (init.replyTo !== undefined) {
      const target = this.store.get(channel.id, init.replyTo);
      if (!target) throw new Error(`fake-discord: userMessage: replyTo ${init.replyTo} is not a message in channel ${channel.id}`);
      reference = { message_id: target.id };
    }
    const attachments = (init.attachments ?? []).map((a) => ({ filename: a.filename, size: a.size ?? 0, content_type: a.contentType, url: a.url }));
    const body = { content, embeds: init.embeds ?? [], components: init.components ?? [], attachments, message_reference: reference };
    if (!seed && !hasVisibleParts(body)) throw new Error('fake-discord: userMessage: Discord does not allow an empty message (give content, attachments or embeds)');
    const filter = init.replyMentions === false ? { ...PARSE_ALL, repliedUser: false } : PARSE_ALL;
    const message = this.compose(channel, author, body, filter, { id: init.id });
    this.post(channel, message, undefined, init.dispatch !== false);
    return message;
  }

  dm(init: Omit<UserMessageInit, 'channelId' | 'guildId' | 'authorId' | 'author'> & { userId?: string; username?: string }): Json {
    const user = init.userId ? this.userFor({ id: init.userId, username: init.username }) : this.host.user;
    return this.userMessage({ ...init, channelId: this.dmChannelFor(user).id, author: user }, '');
  }

  /** `count` messages from a few other users, oldest first, each with its own id and timestamp. */
  flood(channelId: string, count: number, opts: { authors?: number; content?: (i: number) => string; dispatch?: boolean } = {}): Json[] {
    const wanted = Math.max(1, opts.authors ?? 3);
    while (this.floodAuthors.length < wanted) this.floodAuthors.push(this.userFor({ username: `crowd${this.floodAuthors.length + 1}` }));
    const out: Json[] = [];
    for (let i = 0; i < count; i++) {
      const author = this.floodAuthors[i % wanted]!;
      out.push(this.userMessage({ channelId, author, content: opts.content?.(i) ?? `chatter ${i + 1}`, dispatch: opts.dispatch }, channelId));
    }
    return out;
  }

  messageEdits(messageId: string): MessageEdit[] {
    return [...(this.edits.get(messageId) ?? [])];
  }
}

function parsePageQuery(query: Record<string, string>): PageQuery | InvalidBody {
  const v = new InvalidBody();
  let limit = 50;
  if (query.limit !== undefined) {
    if (!/^-?\d+$/.test(query.limit)) v.add('limit', 'NUMBER_TYPE_COERCE', `Value "${query.limit}" is not int.`);
    else {
      limit = Number(query.limit);
      if (limit < 1) v.add('limit', 'NUMBER_TYPE_MIN', 'int value should be greater than or equal to 1.');
      if (limit > 100) v.add('limit', 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 100.');
    }
  }
  const anchors = (['before', 'after', 'around'] as const).filter((k) => query[k] !== undefined);
  for (const k of anchors) if (!isSnowflake(query[k])) v.add(k, 'NUMBER_TYPE_COERCE', `Value "${query[k]}" is not snowflake.`);
  // Discord documents the three as mutually exclusive; the fake refuses a mix rather than guess which wins.
  if (anchors.length > 1) v.add(anchors[1]!, 'MUTUALLY_EXCLUSIVE', `${anchors.join(', ')} are mutually exclusive; only one may be passed at a time.`);
  if (!v.ok) return v;
  const q: PageQuery = { limit };
  if (anchors[0]) q[anchors[0]] = query[anchors[0]];
  return q;
}

function hasVisibleParts(m: Json): boolean {
  return (
    (typeof m.content === 'string' && m.content.length > 0) ||
    (m.embeds ?? []).length > 0 ||
    (m.components ?? []).length > 0 ||
    (m.attachments ?? []).length > 0 ||
    (m.sticker_items ?? []).length > 0 ||
    m.poll !== undefined
  );
}

/** The `member` of MESSAGE_* events: a guild member object without `user`. */
function memberFields(u: FakeUser): Json {
  const { user: _user, ...member } = memberPayload(u);
  return member;
}

export function invalidReply(invalid: InvalidBody): Reply {
  if (invalid.errors.some((e) => e.code === 'EMPTY_MESSAGE')) return apiError(400, 50006, 'Cannot send an empty message');
  return { status: 400, body: invalid.toResponse() };
}
