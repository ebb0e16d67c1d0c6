/**
 * Fake Discord: a local REST API + gateway that the real, unmodified discord.js 14 Client logs in to.
 * No network, no new packages (node:http + ws). One fake per test; one bot client per fake.
 *
 * ── Start and log in ─────────────────────────────────────────────────────────────────────────
 *   const fake = await startFakeDiscord();                // random port on 127.0.0.1
 *   const client = new Client({ intents: [Guilds, GuildMessages], ...fake.clientOptions() });
 *   await client.login('any-token');                      // GET /gateway/bot → WS: HELLO, IDENTIFY → READY + GUILD_CREATE
 *   ...
 *   await client.destroy(); await fake.close();   // destroy the client first, or it keeps trying to resume
 *
 *   fake.clientOptions() = { rest: { api: fake.apiBase, globalRequestsPerSecond: 10_000 },
 *                            ws: { buildIdentifyThrottler: async () => ({ waitForIdentify: async () => {} }) } }
 *   Options: startFakeDiscord({ guilds?: [{ id?, name?, channels?: [{ id?, name?, type?, access?: ChannelAccess }] }],
 *            appId?, botUser?: { id?, username? }, latencyMs?, heartbeatIntervalMs?, timeoutMs? (waits, default 5000),
 *            callbackDeadlineMs? (off by default; when set, a callback later than this after dispatch gets 404 Unknown interaction),
 *            nonceTtlMs? (default 300_000), now?: () => number (the fake's clock, default Date.now),
 *            messageContentIntent?: boolean (the portal toggle; see "Intents" below),
 *            token?: string (the bot token Discord knows; when set, REST calls with another `Bot` token get 401 — GET
 *            /gateway/bot included, as on Discord — and an IDENTIFY with another token is closed with 4004) })
 *   Ids for tests: fake.appId, fake.botUser, fake.guildId / fake.channelId (first guild, first text channel),
 *   fake.user (the default human: invoker, author, DM partner), fake.guilds, fake.channels (incl. threads and DMs).
 *   Clock: fake.now() = opts.now() + fake.advanceTime(ms) offsets. Message ids/timestamps, edit times, nonce ageing and the
 *   callback deadline use it; fake.requests[].at is wall-clock (retry spacing is real time).
 *
 * ── Interactions (each dispatches INTERACTION_CREATE and returns an InteractionExchange) ─────
 *   fake.slashCommand('search', { query: 'diffusion', k: 5 }, ctx?)
 *   fake.subcommand('daily', 'set', { time: '09:00' }, ctx?)          // or ['group', 'sub']
 *   fake.autocomplete('search', 'query', 'diff', { k: 5 }, ctx?)        // ctx.subcommand for nested ones
 *   fake.button('next:2', { message: msgIdOrObject }, ctx?)   fake.select('pick', ['a'], { message })
 *   fake.messageContextMenu('Find related', { id?, content, embeds? }, ctx?)
 *   fake.submitModal(ex, { title: 'x', abstract: 'y' }, { asTyped? })  // fill in the form `ex` opened (callback 9), press
 *       Submit → MODAL_SUBMIT (type 5) from the same person/channel; the client's max_length cut and required/min_length
 *       refusal apply unless asTyped (see modals.ts; the modal itself is validated like Discord: 400 50035). ex.modal = the form.
 *   ctx = { guildId?: string|null (null = DM), channelId?, userId?, username?, permissions?: bigint|'admin', roles?: string[]
 *           (the member's role ids), appPermissions?, locale? }
 *   Option types come from the commands the bot registered (PUT .../commands) when present, else are inferred.
 *
 *   const ex = fake.slashCommand('ping');
 *   await ex.callback            → { type, data }   (4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete, 9 modal)
 *   await ex.waitForEdit({ count })   → n-th PATCH body sent to @original
 *   await ex.waitForFollowUp({ count })  → n-th follow-up message
 *   await ex.waitForFinal(pred?)  → the reply as the user sees it once not "thinking..."
 *   ex.final()                    → { id, content, embeds, components, flags, ephemeral } | undefined (now)
 *   ex.visibleText()              → all readable text of reply + follow-ups
 *   ex.edits / ex.followUps / ex.original / ex.payload / ex.id / ex.token; `await ex.response` = the exchange after its callback
 *   await ex.waitUntil(probe, what, timeoutMs?) → probe()'s value once defined (re-checked on every change, no polling)
 *   Every wait rejects after timeoutMs with a message naming the interaction and the last requests.
 *   Realism: a second callback → 400 (40060 already acknowledged); editing @original before a callback → 404 (10008);
 *   a follow-up after a deferred reply replaces the "thinking..." message (as Discord does); non-ephemeral replies
 *   also show up in the channel's message history.
 *
 * ── People writing messages (test/fake-discord/messages.ts) ─────────────────────────────────
 *   fake.userMessage({ channelId? (default fake.channelId; a thread or DM channel works too), content?, authorId? | author?:
 *     { id?, username?, bot? }, mentionsBot? (writes `<@botId> ` before the content), replyTo?: messageId (same channel),
 *     replyMentions? = true (the reply ping), attachments?: [{ filename, size?, contentType?, url? }], embeds?, components?,
 *     guildId? (consistency check only), dispatch? = true, id? }) → the stored message (REST shape, full content)
 *     Stored, then MESSAGE_CREATE to each session allowed to see it: type 0 (19 for replies, with message_reference
 *     { type 0, message_id, channel_id, guild_id } and referenced_message), author, member (guild only; also on each
 *     mentions[] entry), mentions (users written as <@id>/<@!id> who exist, plus the replied-to author when the ping is on),
 *     mention_roles (<@&id>), mention_everyone (@everyone/@here in a guild), attachments (snowflake ids, cdn urls),
 *     channel_type, snowflake id and timestamp from fake.now(). Unknown author ids become users who join every guild.
 *     An empty message throws (Discord refuses those); so does posting in a locked thread.
 *   fake.dm({ content?, userId? (default fake.user), username?, replyTo?, attachments?, mentionsBot?, dispatch? }) → message
 *     in the bot's DM channel with that user (created on first use); no guild_id, no member, channel_type 1.
 *   fake.flood(channelId, n, { authors? = 3, content?: (i) => string, dispatch? = true }) → n messages (oldest first) from
 *     `authors` other users ("crowd1".."crowdN"), each its own id.
 *   fake.addMessage(channelId, { content?, embeds?, components?, author?, id? }) = userMessage without a dispatch (seed history).
 *   fake.addUser({ id?, username?, bot? }); fake.dmChannel(userId?) (DM channel object); fake.refuseDms(userId?, refuse = true)
 *     → the bot's sends to that DM channel get 403 50007.
 *   fake.messages(channelId) → stored messages, oldest first, full content (what people see; REST/gateway views may differ).
 *   fake.messageEdits(messageId) → [{ at (fake.now()), body (PATCH body as sent), message (after) }], oldest first: channel
 *     PATCHes and interaction webhook PATCHes (@original, follow-ups, update callbacks) alike — assert edit rates on `at`.
 *   fake.threads → every thread created through the API, as first returned (+ auto_archive_duration, starter_message_id).
 *   fake.threadsIn(channelId) → current thread objects under that parent (live thread_metadata, message_count, member_count).
 *   fake.setThreadState(threadId, { archived?, locked? }) → THREAD_UPDATE.
 *
 * ── Intents and message content (Discord's rules) ───────────────────────────────────────────
 *   The intents of each IDENTIFY are kept per session (fake.gateway.lastIntents = the latest). MESSAGE_CREATE/UPDATE/DELETE of
 *   guild channels (threads included) need GUILD_MESSAGES (1<<9), of DMs DIRECT_MESSAGES (1<<12); THREAD_CREATE/UPDATE need
 *   GUILDS (1<<0); a channel the bot cannot view (missing/hidden) dispatches nothing. Without MESSAGE_CONTENT (1<<15),
 *   content/embeds/attachments/components are empty and poll omitted, EXCEPT in DMs, in the bot's own messages and in
 *   messages whose `mentions` include the bot (a reply with the ping on counts; with it off, or a role mention, does not);
 *   referenced_message follows the same rule for its own message. Context-menu targets (resolved.messages) are never emptied.
 *   REST reads (GET /channels/:id/messages[/:mid], referenced_message in replies) apply the rule with the app's access:
 *   opts.messageContentIntent if set, else the latest IDENTIFY's MESSAGE_CONTENT. messageContentIntent: false also makes an
 *   IDENTIFY with MESSAGE_CONTENT close with 4014 (discord.js: ShardDisconnect code 4014, "Used disallowed intents").
 *   The bot's own messages come back to it (channel sends, public interaction replies and the public "thinking..." message
 *   as MESSAGE_CREATE, their edits as MESSAGE_UPDATE, deletes as MESSAGE_DELETE): a bot must ignore its own messages.
 *   discord.js drops a DM whose channel it does not know unless the client has `partials: [Partials.Channel]`.
 *   fake.gateway.sent(event?) → the dispatch frames sent so far ({ op, t, s, d }), for "was it dispatched, and how" checks.
 *
 * ── REST state and recording ─────────────────────────────────────────────────────────────────
 *   fake.requests: RecordedRequest[] = { method, path (no /api/v10 prefix, decoded: '@original'), query, headers, body
 *   (JSON or multipart payload_json), files, at, status }.  fake.requestsTo('POST', /\/channels\/\d+\/messages$/)
 *   fake.waitForRequest(method, pattern, timeoutMs?)
 *   Routes: GET /gateway/bot, /users/@me, /users/:id, /applications/@me; POST /interactions/:id/:token/callback[?with_response=true];
 *   GET|PATCH|DELETE /webhooks/:app/:token/messages/(@original|:id); POST /webhooks/:app/:token (follow-up);
 *   GET /channels/:id (guild channel, thread, DM); POST /users/@me/channels { recipient_id } (DM channel; unknown user → 404 10013);
 *   POST /channels/:id/messages: validated; nonce + enforce_nonce de-duplicated per author for nonceTtlMs (then forgotten);
 *     message_reference to a message of the channel (unknown → 400 50035 unless fail_if_not_exists: false); mentions computed
 *     from content and allowed_mentions (absent = parse all + replied user; present = only what it allows, replied_user
 *     default false), so `mentions: []` proves nobody was pinged; the nonce is echoed on create and MESSAGE_CREATE only.
 *   GET /channels/:id/messages: always newest first; limit 1–100 (default 50; else 400 50035); before → the newest older
 *     ones; after → the `limit` messages right after the id (still newest first); around → ⌊limit/2⌋ older, the message,
 *     ⌊limit/2⌋ newer; ids must be snowflakes; more than one of before/after/around → 400 50035 (the fake's choice).
 *   GET|PATCH|DELETE /channels/:id/messages/:mid: PATCH only the bot's own (else 403 50005), validated like a send, an edit
 *     leaving nothing → 400 50006, recorded in messageEdits; DELETE only the bot's own (no MANAGE_MESSAGES: else 403 50013).
 *   POST /channels/:id/messages/:mid/threads: text/announcement channels only (else 400 50024); thread id = message id;
 *     name 1–100, auto_archive_duration 60|1440|4320|10080; a second thread → 400 160004; 201 + THREAD_CREATE (newly_created,
 *     member); the starter gets `thread` + flag 32; inside, Discord's empty type-21 starter message (not dispatched).
 *   POST /channels/:id/typing → 204; PUT /channels/:id/thread-members/@me → 204.
 *   GET|PUT /applications/:app/commands and /applications/:app/guilds/:gid/commands (validated, stored, ids added).
 *   Everything except /interactions, /webhooks and GET /gateway needs an `Authorization: Bot <token>` header (else 401;
 *   with opts.token, the token must be that one).
 *   Anything else → 404 { message: 'Unknown route', code: 0 } (still recorded).
 *   Validation (400 code 50035 Invalid Form Body, nested `errors`): content ≤ 2000, ≤ 10 embeds, embed field limits,
 *   6000-char embed total, well-formed URLs, components, allowed_mentions (parse values, id lists ≤ 100, parse:["users"]
 *   with users:[...] is refused), nonce ≤ 25 chars, autocomplete ≤ 25 choices (name ≤ 100), command names/descriptions/option
 *   order. Empty message → 400 code 50006.
 *   Access: fake.setChannelAccess(channelId, ChannelAccess) for channels and threads; a thread is as accessible as the worse
 *   of itself and its parent. 'missing' → 404 10003 everywhere; 'hidden' (no VIEW_CHANNEL) → 403 50001 everywhere;
 *   'forbidden' (no SEND_MESSAGES / SEND_MESSAGES_IN_THREADS / CREATE_PUBLIC_THREADS) → 403 50013 for sends, typing and
 *   threads, reads work. Threads: archived + locked → 400 50083 (send or edit); locked → 403 160005; archived (unlocked):
 *   a send unarchives it (THREAD_UPDATE), an edit → 400 50083.
 *   fake.commands.global / fake.commands.guild.get(guildId).
 *
 * ── Faults ───────────────────────────────────────────────────────────────────────────────────
 *   fake.failNext({ method?, pathPattern, status: 429|500|503|...|'reset'|'hangup', times?=1, retryAfter?=0.05 (s), global?, body? })
 *     429s carry retry-after, x-ratelimit-limit/remaining/reset/reset-after/bucket/scope (+ x-ratelimit-global) and
 *     { message, retry_after, global } so @discordjs/rest waits and retries; 5xx are retried by it up to 3 times;
 *     'reset' sends a TCP RST mid-request (ECONNRESET: retried by @discordjs/rest); 'hangup' just closes the socket
 *     (undici "other side closed": NOT retried, the bot sees the error). Recorded with status 0. fake.faultsInjected counts.
 *     'drop-response' HANDLES the request (a message is created, …) and then closes the socket without answering: the
 *     request took effect but the client never hears (undici "other side closed"; recorded with the real status).
 *     Rules stay queued until used up (times: 10 outlives one send's 4 attempts): fake.faultsPending(), fake.clearFaults().
 *   fake.dropGateway(code = 4000 | 'abnormal')   → client resumes; fake.gateway.resumes, await fake.gateway.waitForResume()
 *     (resolves when the fake has SENT RESUMED; await the client's ShardResume event to know discord.js handled it).
 *     Dispatches made while the socket is down are buffered in the session and replayed on RESUME.
 *   fake.gateway.invalidateSession(resumable?) (op 9) / fake.gateway.requestReconnect() (op 7); await fake.gateway.waitForIdentify()
 *   fake.gateway.refuseConnections(on = true) → new gateway connections fail (socket destroyed) until turned off: with
 *   fake.dropGateway(…) the client stays disconnected, retrying, until the gateway is reachable again.
 *   fake.setLatency(ms)                           → every REST response is delayed
 *   fake.dispatch(event, data)                    → raw gateway dispatch with proper sequence numbers
 *
 * ── Surprises worth knowing ──────────────────────────────────────────────────────────────────
 *   discord.js sends a nonce (+ enforce_nonce) on every channel.send, generating one when you give none; Discord
 *   limits nonces to 25 characters (discord.js does not check), so a long "marker" nonce is a real 400.
 *   The REST client puts `/api/v10` before every route and URL-encodes `@original` as `%40original`.
 *   Interaction callbacks are sent without auth and answered 204 unless `with_response=true`.
 *   A message in a thread has channel_id = the thread id (and guild_id); thread.parentId is the channel.
 *   Without MESSAGE_CONTENT a follow-up in the bot's thread arrives EMPTY unless it mentions the bot or replies with the ping.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import { InteractionExchange, LOADING, EPHEMERAL, type InteractionCallback } from './exchange.js';
import { apiError, NO_CONTENT, readBody, sendJson, type Reply, type Route, type UploadedFile } from './http-util.js';
import {
  buildOptions,
  interactionBase,
  optionDefinitionsAt,
  resolvePermissions,
  wrapInSubcommands,
  OPTION,
  type InteractionContext,
  type InteractionEnv,
  type OptionsInput,
} from './interactions.js';
import {
  guildCreatePayload,
  messagePayload,
  rolePayload,
  userPayload,
  MEMBER_PERMISSIONS,
  type ChannelAccess,
  type FakeChannel,
  type FakeGuild,
  type FakeUser,
  type Json,
} from './payloads.js';
import { INTENTS, invalidReply, Messaging, type MessageEdit, type UserMessageInit } from './messages.js';
import { modalSubmitData, validateModal } from './modals.js';
import { snowflake } from './snowflake.js';
import { validateAutocompleteChoices, validateCommands, validateMessageBody } from './validate.js';

export { InteractionExchange, type InteractionCallback, type VisibleMessage } from './exchange.js';
export { PERMISSIONS, MEMBER_PERMISSIONS, ALL_PERMISSIONS, type ChannelAccess, type FakeChannel, type FakeUser, type Json } from './payloads.js';
export { INTENTS, type AttachmentInit, type MessageEdit, type UserMessageInit } from './messages.js';
export type { InteractionContext, OptionsInput } from './interactions.js';

export interface FakeDiscordOptions {
  guilds?: Array<{
    id?: string;
    name?: string;
    channels?: Array<{ id?: string; name?: string; type?: number; access?: ChannelAccess }>;
    /** Roles besides @everyone; members get them with ctx.roles. */
    roles?: Array<{ id?: string; name: string }>;
  }>;
  appId?: string;
  botUser?: { id?: string; username?: string };
  latencyMs?: number;
  heartbeatIntervalMs?: number;
  /** How long exchange/request waits take before rejecting. Default 5000. */
  timeoutMs?: number;
  /** Like Discord's 3 s rule: a callback later than this after dispatch gets 404 Unknown interaction. Off by default. */
  callbackDeadlineMs?: number;
  /** How long `nonce` + `enforce_nonce` de-duplicates (on the fake's clock). Default 5 minutes, like Discord's "few minutes". */
  nonceTtlMs?: number;
  /** The fake's clock (ms). Default Date.now; `fake.advanceTime(ms)` moves it forward either way. */
  now?: () => number;
  /**
   * The Developer Portal's "Message Content Intent" toggle. true: REST reads carry content; false: they do not, and an
   * IDENTIFY asking for MESSAGE_CONTENT is closed with 4014 (disallowed intents). Default: REST follows the intents of the
   * latest IDENTIFY. The gateway always follows each session's own IDENTIFY intents.
   */
  messageContentIntent?: boolean;
  /** The bot token this Discord knows. Unset: any `Bot …` token is accepted. */
  token?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Json | undefined;
  files: UploadedFile[];
  at: number;
  /** Filled in once answered. */
  status?: number;
}

export interface FaultRule {
  method?: string;
  pathPattern: RegExp;
  /**
   * 'reset' = TCP RST (client sees ECONNRESET, which @discordjs/rest retries); 'hangup' = plain close (undici "other side
   * closed", NOT retried); 'drop-response' = handled as usual, then closed without an answer (the effect happened).
   */
  status: number | 'reset' | 'hangup' | 'drop-response';
  times?: number;
  /** Seconds, as Discord sends it. Default 0.05. */
  retryAfter?: number;
  global?: boolean;
  body?: Json;
}

interface InteractionRecord {
  exchange: InteractionExchange;
  dispatchedAt: number;
  env: InteractionEnv;
  /** The message a component interaction was triggered on. */
  componentMessage?: Json;
  kind: 'command' | 'context' | 'component' | 'autocomplete' | 'modal';
}


export class FakeDiscord {
  readonly appId: string;
  readonly botUser: FakeUser;
  /** The default human who invokes interactions. */
  readonly user: FakeUser = { id: snowflake(), username: 'alice' };
  readonly guilds: FakeGuild[];
  readonly channels = new Map<string, FakeChannel>();
  readonly requests: RecordedRequest[] = [];
  readonly commands = { global: [] as Json[], guild: new Map<string, Json[]>() };
  gateway!: FakeGateway;
  faultsInjected = 0;
  port = 0;
  /** Channel messages, DMs and threads (see messages.ts). */
  readonly messaging: Messaging;

  private readonly server: Server;
  private timeOffsetMs = 0;
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();
  private readonly faults: Array<FaultRule & { left: number }> = [];
  private readonly requestListeners = new Set<() => void>();
  private readonly changed = new Set<InteractionExchange>();
  private latencyMs: number;
  private readonly timeoutMs: number;
  private readonly routes: Route<RecordedRequest>[];

  constructor(private readonly opts: FakeDiscordOptions = {}) {
    this.appId = opts.appId ?? snowflake();
    this.botUser = { id: opts.botUser?.id ?? this.appId, username: opts.botUser?.username ?? 'paperbot', bot: true };
    this.latencyMs = opts.latencyMs ?? 0;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.guilds = (opts.guilds ?? [{}]).map((g, i) => {
      const id = g.id ?? snowflake();
      const channels: FakeChannel[] = (g.channels ?? [{ name: 'general' }]).map((c) => ({
        id: c.id ?? snowflake(),
        name: c.name ?? 'general',
        guildId: id,
        type: c.type ?? 0,
        access: c.access ?? 'ok',
      }));
      for (const c of channels) this.channels.set(c.id, c);
      const roles = (g.roles ?? []).map((r) => ({ id: r.id ?? snowflake(), name: r.name }));
      return { id, name: g.name ?? `Test Guild ${i + 1}`, ownerId: this.user.id, channels, members: [this.botUser, this.user], roles };
    });
    this.messaging = new Messaging(this, opts.nonceTtlMs ?? 5 * 60_000);
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.routes = this.buildRoutes();
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────────────────

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.gateway = new FakeGateway(
      this.server,
      {
        url: () => this.gatewayUrl,
        ready: () => ({
          v: 10,
          user: { ...userPayload(this.botUser), verified: true, mfa_enabled: false, email: null },
          application: { id: this.appId, flags: 0 },
          guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
          private_channels: [],
          relationships: [],
          presences: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
          user_settings: {},
          shard: [0, 1],
          _trace: ['["fake-discord",{"micros":0}]'],
        }),
        guildCreates: () => this.guilds.map((g) => guildCreatePayload(g)),
        tokenRefused: (token) => this.opts.token !== undefined && token !== this.opts.token,
        disallowedIntents: (intents) =>
          this.opts.messageContentIntent === false && intents & INTENTS.MESSAGE_CONTENT ? 'Disallowed intent(s).' : undefined,
      },
      this.opts.heartbeatIntervalMs ?? 10_000,
    );
    return this;
  }

  /** Closes HTTP and WS, terminating open sockets so nothing keeps the test process alive. */
  async close(): Promise<void> {
    this.gateway?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The fake's clock: opts.now (default Date.now) plus everything advanceTime added. Ids, timestamps, nonce ageing and edit records use it. */
  now(): number {
    return (this.opts.now ?? Date.now)() + this.timeOffsetMs;
  }

  /** Move the fake's clock forward (e.g. past the nonce TTL) without waiting. */
  advanceTime(ms: number): void {
    this.timeOffsetMs += ms;
  }

  /** Whether REST message reads carry content: the portal toggle if set, else the latest IDENTIFY's MESSAGE_CONTENT. */
  restHasMessageContent(): boolean {
    return this.opts.messageContentIntent ?? Boolean((this.gateway?.lastIntents ?? 0) & INTENTS.MESSAGE_CONTENT);
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get guildId(): string {
    return this.guilds[0]!.id;
  }

  get channelId(): string {
    const channel = this.guilds[0]!.channels.find((c) => c.type === 0);
    if (!channel) throw new Error('fake-discord: the first guild has no text channel');
    return channel.id;
  }

  /** Spread into `new Client({ intents, ...fake.clientOptions() })`. */
  clientOptions(): { rest: { api: string; globalRequestsPerSecond: number }; ws: { buildIdentifyThrottler: () => Promise<{ waitForIdentify: () => Promise<void> }> } } {
    return {
      rest: { api: this.apiBase, globalRequestsPerSecond: 10_000 },
      // The default throttler spaces identifies 5 s apart per process; tests log in many clients.
      ws: { buildIdentifyThrottler: async () => ({ waitForIdentify: async () => {} }) },
    };
  }

  // ── faults ──────────────────────────────────────────────────────────────────────────────

  failNext(rule: FaultRule): void {
    this.faults.push({ ...rule, left: rule.times ?? 1 });
  }

  /** Forget fault rules not yet used up (a rule with `times: 10` outlives discord.js's 3 retries). */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** How many injected failures are still queued. */
  faultsPending(): number {
    return this.faults.reduce((n, f) => n + f.left, 0);
  }

  dropGateway(code: number | 'abnormal' = 4000): void {
    this.gateway.drop(code);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  dispatch(event: string, data: Json): number[] {
    return this.gateway.dispatch(event, data);
  }

  // ── channel state ───────────────────────────────────────────────────────────────────────

  setChannelAccess(channelId: string, access: ChannelAccess): void {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake-discord: no channel ${channelId}`);
    channel.access = access;
  }

  /** Messages stored in a channel, oldest first (full message objects, full content: what a human sees). */
  messages(channelId: string): Json[] {
    return this.messaging.store.inChannel(channelId);
  }

  /** Seed history without a dispatch, by default from the human user (e.g. a target for a context menu). */
  addMessage(channelId: string, init: { content?: string; embeds?: Json[]; components?: Json[]; author?: FakeUser; id?: string }): Json {
    return this.messaging.userMessage({ ...init, channelId, author: init.author ?? this.user, dispatch: false }, this.channelId, true);
  }

  // ── people writing messages ─────────────────────────────────────────────────────────────

  /** A human writes in a channel/thread/DM channel: stored, then MESSAGE_CREATE to every session whose intents allow it. */
  userMessage(init: UserMessageInit): Json {
    return this.messaging.userMessage(init, this.channelId);
  }

  /** A human writes to the bot in DM (the DM channel is created on first use). No guild_id, no member. */
  dm(init: Omit<UserMessageInit, 'channelId' | 'guildId' | 'authorId' | 'author'> & { userId?: string; username?: string }): Json {
    return this.messaging.dm(init);
  }

  /** `count` messages from other users (rotating among `authors`, default 3), oldest first. Dispatched unless `dispatch: false`. */
  flood(channelId: string, count: number, opts?: { authors?: number; content?: (i: number) => string; dispatch?: boolean }): Json[] {
    return this.messaging.flood(channelId, count, opts);
  }

  /** A known user by id, or a new one (who joins every fake guild). */
  addUser(init: Partial<FakeUser> = {}): FakeUser {
    return this.messaging.userFor(init);
  }

  /** The DM channel object between the bot and a user (created if needed, like POST /users/@me/channels). */
  dmChannel(userId: string = this.user.id): FakeChannel {
    return this.messaging.dmChannelFor(this.messaging.userFor({ id: userId }));
  }

  /** The user stops accepting the bot's DMs: sends to their DM channel → 403 50007. */
  refuseDms(userId: string = this.user.id, refuse = true): void {
    this.messaging.refuseDms(userId, refuse);
  }

  /** Every edit of a message (channel PATCH or interaction webhook PATCH), oldest first, with fake.now() times. */
  messageEdits(messageId: string): MessageEdit[] {
    return this.messaging.messageEdits(messageId);
  }

  /** Thread creations through the API, as first returned (+ top-level auto_archive_duration, starter_message_id). */
  get threads(): Json[] {
    return this.messaging.threadLog;
  }

  /** Current thread channel objects (GET /channels/:id shape, live counts/state) whose parent is `channelId`, oldest first. */
  threadsIn(channelId: string): Json[] {
    return [...this.channels.values()].filter((c) => c.thread && c.parentId === channelId).map((c) => ({ ...this.messaging.channelView(c), starter_message_id: c.id }));
  }

  /** Archive/unarchive or lock/unlock a thread (dispatches THREAD_UPDATE). */
  setThreadState(threadId: string, state: { archived?: boolean; locked?: boolean }): void {
    const thread = this.channels.get(threadId);
    if (!thread) throw new Error(`fake-discord: no thread ${threadId}`);
    this.messaging.setThreadState(thread, state);
  }

  // ── requests ────────────────────────────────────────────────────────────────────────────

  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && pathPattern.test(r.path));
  }

  waitForRequest(method: string, pathPattern: RegExp, timeoutMs = this.timeoutMs): Promise<RecordedRequest> {
    const find = () => this.requests.find((r) => r.method === method.toUpperCase() && pathPattern.test(r.path) && r.status !== undefined);
    const now = find();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        const r = find();
        if (!r) return;
        clearTimeout(timer);
        this.requestListeners.delete(check);
        resolve(r);
      };
      const timer = setTimeout(() => {
        this.requestListeners.delete(check);
        reject(new Error(`fake-discord: no answered ${method} ${pathPattern} within ${timeoutMs}ms.\n  recent requests:\n${this.describeRecent()}`));
      }, timeoutMs);
      this.requestListeners.add(check);
    });
  }

  describeRecent(n = 8): string {
    const lines = this.requests.slice(-n).map((r) => `    ${r.method} ${r.path} → ${r.status ?? 'pending'}`);
    return lines.length ? lines.join('\n') : '    (none)';
  }

  // ── interactions ────────────────────────────────────────────────────────────────────────

  slashCommand(name: string, options?: OptionsInput, ctx?: InteractionContext): InteractionExchange {
    const env = this.env(ctx);
    const command = this.registeredCommand(name, 1, env.guildId);
    const built = buildOptions(options, command?.options);
    const data = { id: command?.id ?? this.stableCommandId(name), name, type: 1, options: built, ...this.resolvedRoles(env, built), ...(command?.guild_id ? { guild_id: command.guild_id } : {}) };
    return this.startInteraction(2, env, data, `/${name}`, 'command');
  }

  subcommand(name: string, sub: string | [group: string, sub: string], options?: OptionsInput, ctx?: InteractionContext): InteractionExchange {
    const env = this.env(ctx);
    const path = typeof sub === 'string' ? [sub] : sub;
    const command = this.registeredCommand(name, 1, env.guildId);
    const leaf = buildOptions(options, optionDefinitionsAt(command, path));
    const data = { id: command?.id ?? this.stableCommandId(name), name, type: 1, options: wrapInSubcommands(path, leaf), ...this.resolvedRoles(env, leaf) };
    return this.startInteraction(2, env, data, `/${name} ${path.join(' ')}`, 'command');
  }

  autocomplete(
    name: string,
    focusedOption: string,
    value: string,
    otherOptions?: OptionsInput,
    ctx?: InteractionContext & { subcommand?: string | [string, string] },
  ): InteractionExchange {
    const env = this.env(ctx);
    const path = ctx?.subcommand === undefined ? [] : typeof ctx.subcommand === 'string' ? [ctx.subcommand] : ctx.subcommand;
    const command = this.registeredCommand(name, 1, env.guildId);
    const defs = optionDefinitionsAt(command, path);
    const focusedType = defs?.find((d) => d.name === focusedOption)?.type ?? OPTION.STRING;
    const leaf = [...buildOptions(otherOptions, defs), { name: focusedOption, type: focusedType, value, focused: true }];
    const data = { id: command?.id ?? this.stableCommandId(name), name, type: 1, options: wrapInSubcommands(path, leaf) };
    return this.startInteraction(4, env, data, `autocomplete /${name} ${focusedOption}=${JSON.stringify(value)}`, 'autocomplete');
  }

  button(customId: string, opts: { message: string | Json }, ctx?: InteractionContext): InteractionExchange {
    return this.component({ custom_id: customId, component_type: 2 }, opts.message, ctx, `button ${customId}`);
  }

  select(customId: string, values: string[], opts: { message: string | Json }, ctx?: InteractionContext): InteractionExchange {
    return this.component({ custom_id: customId, component_type: 3, values }, opts.message, ctx, `select ${customId}`);
  }

  messageContextMenu(name: string, target: { id?: string; content: string; embeds?: Json[]; author?: FakeUser }, ctx?: InteractionContext): InteractionExchange {
    const env = this.env(ctx);
    const existing = target.id ? this.findMessage(target.id) : undefined;
    const message = existing ?? this.addMessage(env.channel.id, { ...target });
    const command = this.registeredCommand(name, 3, env.guildId);
    const data = {
      id: command?.id ?? this.stableCommandId(name),
      name,
      type: 3,
      target_id: message.id,
      resolved: { messages: { [message.id]: message } },
    };
    return this.startInteraction(2, env, data, `context menu "${name}"`, 'context');
  }

  /**
   * The person fills in the form that `shown` answered with (callback type 9) and presses Submit: a MODAL_SUBMIT
   * interaction (type 5) from the same person, channel and guild. Values are keyed by the text inputs' custom ids;
   * Discord's client rules apply (see modals.ts) unless `asTyped`.
   */
  submitModal(shown: InteractionExchange, values: Record<string, string>, opts: { asTyped?: boolean } = {}): InteractionExchange {
    const rec = this.interactions.get(shown.id);
    if (!rec || !shown.modal) throw new Error(`fake-discord: ${shown.label} did not open a modal (callback: ${shown.callbackBody?.type ?? 'none'})`);
    const data = modalSubmitData(shown.modal, values, opts);
    return this.startInteraction(5, rec.env, data, `modal ${String(shown.modal.custom_id)}`, 'modal', rec.componentMessage);
  }

  private component(data: Json, messageRef: string | Json, ctx: InteractionContext | undefined, label: string): InteractionExchange {
    const env = this.env(ctx);
    const message = typeof messageRef === 'string' ? this.findMessage(messageRef) : messageRef;
    if (!message) throw new Error(`fake-discord: ${label}: no message ${String(messageRef)} known to the fake`);
    return this.startInteraction(3, env, data, label, 'component', message);
  }

  private startInteraction(type: number, env: InteractionEnv, data: Json, label: string, kind: InteractionRecord['kind'], componentMessage?: Json): InteractionExchange {
    const payload = interactionBase(type, env, data);
    if (componentMessage) payload.message = componentMessage;
    const exchange = new InteractionExchange(payload.id, payload.token, payload, label, this.timeoutMs, () => this.describeRecent());
    const record: InteractionRecord = { exchange, dispatchedAt: this.now(), env, componentMessage, kind };
    this.interactions.set(payload.id, record);
    this.byToken.set(payload.token, record);
    this.gateway.dispatch('INTERACTION_CREATE', payload);
    return exchange;
  }

  private env(ctx: InteractionContext = {}): InteractionEnv {
    const guildId = ctx.guildId === undefined ? this.guildId : ctx.guildId;
    const user = ctx.userId ? this.messaging.userFor({ id: ctx.userId, username: ctx.username }) : this.user;
    let channel: FakeChannel | undefined;
    if (ctx.channelId) channel = this.channels.get(ctx.channelId);
    else if (guildId) channel = this.guilds.find((g) => g.id === guildId)?.channels.find((c) => c.type === 0 && c.access === 'ok');
    else channel = this.messaging.dmChannelFor(user); // a DM interaction happens in the bot's DM channel with the user
    if (!channel) {
      if (guildId !== null && !ctx.channelId) throw new Error(`fake-discord: no text channel in guild ${guildId}`);
      // Unknown channels given explicitly get a channel record of their own.
      channel = { id: ctx.channelId!, name: 'dm', guildId: null, type: guildId === null ? 1 : 0, access: 'ok' };
      this.channels.set(channel.id, channel);
    }
    return {
      appId: this.appId,
      guildId,
      channel,
      user,
      permissions: resolvePermissions(ctx.permissions),
      roles: ctx.roles ?? [],
      appPermissions: ctx.appPermissions ?? MEMBER_PERMISSIONS,
      locale: ctx.locale ?? 'en-US',
    };
  }

  /** Role options come with the role objects in `resolved.roles`, as Discord sends them (unknown ids are left out). */
  private resolvedRoles(env: InteractionEnv, options: Json[]): { resolved?: Json } {
    const guild = this.guilds.find((g) => g.id === env.guildId);
    const roles: Json = {};
    for (const o of options) {
      if (o.type !== OPTION.ROLE) continue;
      const role = guild?.roles.find((r) => r.id === String(o.value));
      if (role && guild) roles[role.id] = rolePayload(guild.id, 0n, role);
    }
    return Object.keys(roles).length ? { resolved: { roles } } : {};
  }

  private registeredCommand(name: string, type: number, guildId: string | null): Json | undefined {
    const guildCommands = guildId ? this.commands.guild.get(guildId) ?? [] : [];
    return [...guildCommands, ...this.commands.global].find((c) => c.name === name && (c.type ?? 1) === type);
  }

  private readonly commandIds = new Map<string, string>();
  private stableCommandId(name: string): string {
    let id = this.commandIds.get(name);
    if (!id) this.commandIds.set(name, (id = snowflake()));
    return id;
  }

  // ── HTTP plumbing ───────────────────────────────────────────────────────────────────────

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname
      .replace(/^\/api(\/v\d+)?/, '')
      .split('/')
      .map((s) => decodeURIComponent(s))
      .join('/');
    const parsed = await readBody(req).catch(() => ({ body: undefined, files: [] as UploadedFile[] }));
    const record: RecordedRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parsed.body,
      files: parsed.files,
      at: Date.now(),
    };
    this.requests.push(record);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const fault = this.takeFault(record);
    let reply: Reply;
    if (fault === 'drop-response') {
      record.status = (await this.route(record).catch(() => ({ status: 500 }) as Reply)).status;
      req.socket.destroy();
      this.notifyRequest();
      return;
    }
    if (fault === 'reset' || fault === 'hangup') {
      record.status = 0;
      if (fault === 'reset') req.socket.resetAndDestroy();
      else req.socket.destroy();
      this.notifyRequest();
      return;
    } else if (fault) reply = fault;
    else {
      try {
        reply = await this.route(record);
      } catch (err) {
        reply = { status: 500, body: { message: `fake-discord crashed: ${(err as Error).stack}`, code: 0 } };
      }
    }
    record.status = reply.status;
    sendJson(res, reply.status, reply.body, reply.headers);
    this.notifyRequest();
  }

  /** Waiters wake only after the request is answered and its status recorded, so tests see a consistent log. */
  private notifyRequest(): void {
    for (const l of [...this.requestListeners]) l();
    const changed = [...this.changed];
    this.changed.clear();
    for (const ex of changed) ex.notify();
  }

  private takeFault(r: RecordedRequest): Reply | 'reset' | 'hangup' | 'drop-response' | undefined {
    const rule = this.faults.find((f) => f.left > 0 && (!f.method || f.method.toUpperCase() === r.method) && f.pathPattern.test(r.path));
    if (!rule) return undefined;
    rule.left -= 1;
    this.faultsInjected += 1;
    if (rule.status === 'reset' || rule.status === 'hangup' || rule.status === 'drop-response') return rule.status;
    if (rule.status !== 429) return { status: rule.status, body: rule.body ?? { message: `${rule.status}: fake-discord injected failure`, code: 0 } };
    const retryAfter = rule.retryAfter ?? 0.05;
    const headers: Record<string, string> = {
      'retry-after': String(retryAfter),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
      'x-ratelimit-reset-after': String(retryAfter),
      'x-ratelimit-bucket': 'fake-bucket-' + r.path.split('/')[1],
      'x-ratelimit-scope': rule.global ? 'global' : 'user',
    };
    if (rule.global) headers['x-ratelimit-global'] = 'true';
    return { status: 429, headers, body: rule.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global: Boolean(rule.global), code: 0 } };
  }

  private async route(r: RecordedRequest): Promise<Reply> {
    for (const [method, pattern, handler] of this.routes) {
      if (method !== r.method) continue;
      const m = pattern.exec(r.path);
      if (m) {
        if (needsBotAuth(r.path) && !this.authorized(String(r.headers.authorization ?? ''))) return apiError(401, 0, '401: Unauthorized');
        return handler(m, r);
      }
    }
    return apiError(404, 0, 'Unknown route');
  }

  private authorized(header: string): boolean {
    const m = /^Bot (\S+)$/.exec(header);
    return m !== null && (this.opts.token === undefined || m[1] === this.opts.token);
  }

  private buildRoutes(): Route<RecordedRequest>[] {
    const ID = '(\\d+)';
    const TOKEN = '([^/]+)';
    return [
      ['GET', /^\/gateway\/bot$/, () => ({ status: 200, body: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } } })],
      ['GET', /^\/gateway$/, () => ({ status: 200, body: { url: this.gatewayUrl } })],
      ['GET', /^\/users\/@me$/, () => ({ status: 200, body: { ...userPayload(this.botUser), verified: true, mfa_enabled: false } })],
      ['GET', /^\/applications\/@me$/, () => ({ status: 200, body: this.applicationPayload() })],
      ['GET', /^\/oauth2\/applications\/@me$/, () => ({ status: 200, body: this.applicationPayload() })],
      ['POST', re(`^/interactions/${ID}/${TOKEN}/callback$`), (m, r) => this.interactionCallback(m[1]!, m[2]!, r)],
      ['POST', re(`^/webhooks/${ID}/${TOKEN}$`), (m, r) => this.withWebhook(m, (rec) => this.followUp(rec, r))],
      ['GET', re(`^/webhooks/${ID}/${TOKEN}/messages/([^/]+)$`), (m) => this.withWebhook(m, (rec) => this.webhookMessage(rec, m[3]!, 'GET'))],
      ['PATCH', re(`^/webhooks/${ID}/${TOKEN}/messages/([^/]+)$`), (m, r) => this.withWebhook(m, (rec) => this.webhookMessage(rec, m[3]!, 'PATCH', r.body ?? {}))],
      ['DELETE', re(`^/webhooks/${ID}/${TOKEN}/messages/([^/]+)$`), (m) => this.withWebhook(m, (rec) => this.webhookMessage(rec, m[3]!, 'DELETE'))],
      ['GET', re(`^/applications/${ID}/commands$`), (m) => this.withApp(m[1]!, () => ({ status: 200, body: this.commands.global }))],
      ['PUT', re(`^/applications/${ID}/commands$`), (m, r) => this.withApp(m[1]!, () => this.putCommands(null, r.body))],
      ['GET', re(`^/applications/${ID}/guilds/${ID}/commands$`), (m) => this.withApp(m[1]!, () => ({ status: 200, body: this.commands.guild.get(m[2]!) ?? [] }))],
      ['PUT', re(`^/applications/${ID}/guilds/${ID}/commands$`), (m, r) => this.withApp(m[1]!, () => this.putCommands(m[2]!, r.body))],
      ...this.messaging.routes(),
    ];
  }

  private applicationPayload(): Json {
    return {
      id: this.appId,
      name: this.botUser.username,
      icon: null,
      description: 'fake-discord application',
      bot_public: false,
      bot_require_code_grant: false,
      flags: 0,
      owner: userPayload(this.user),
      team: null,
      verify_key: '0'.repeat(64),
      summary: '',
      tags: [],
      bot: userPayload(this.botUser),
      approximate_guild_count: this.guilds.length,
    };
  }

  private withApp(appId: string, fn: () => Reply): Reply {
    return appId === this.appId ? fn() : apiError(403, 50001, 'Missing Access');
  }

  // ── interaction callbacks and webhooks ──────────────────────────────────────────────────

  private interactionCallback(id: string, token: string, r: RecordedRequest): Reply {
    const rec = this.interactions.get(id);
    if (!rec || rec.exchange.token !== token) return apiError(404, 10062, 'Unknown interaction');
    const ex = rec.exchange;
    const deadline = this.opts.callbackDeadlineMs;
    if (deadline !== undefined && this.now() - rec.dispatchedAt > deadline) return apiError(404, 10062, 'Unknown interaction');
    if (ex.callbackBody) return apiError(400, 40060, 'Interaction has already been acknowledged.');
    const body = r.body ?? {};
    const type = Number(body.type);
    const data: Json = body.data ?? {};
    // A modal submit may update the message of the component that opened the form, and cannot open another form.
    const allowed =
      rec.kind === 'autocomplete' ? [8] : rec.kind === 'component' ? [4, 5, 6, 7, 9] : rec.kind === 'modal' ? (rec.componentMessage ? [4, 5, 6, 7] : [4, 5]) : [4, 5, 9];
    if (!allowed.includes(type)) return apiError(400, 50035, `Invalid Form Body: interaction response type ${type} is not valid for this interaction`);
    if (type === 9) {
      const invalid = validateModal(data);
      if (!invalid.ok) return invalidReply(invalid);
      ex.modal = data;
    }

    if (type === 4 || type === 7) {
      const invalid = validateMessageBody(data, { requireSomething: type === 4 && r.files.length === 0 });
      if (!invalid.ok) return invalidReply(invalid);
    }
    if (type === 8) {
      const invalid = validateAutocompleteChoices(data);
      if (!invalid.ok) return invalidReply(invalid);
    }

    if (type === 4 || type === 5) {
      const bodyForMessage = type === 4 ? data : { content: '', flags: (Number(data.flags ?? 0) & EPHEMERAL) | LOADING };
      ex.original = this.responseMessage(rec, bodyForMessage);
      // A public reply, or the public "thinking..." message of a deferral, is a channel message (MESSAGE_CREATE).
      if (!(Number(ex.original.flags) & EPHEMERAL)) this.messaging.addInteractionMessage(ex.original);
    } else if (type === 6) {
      ex.original = rec.componentMessage;
    } else if (type === 7 && rec.componentMessage) {
      ex.original = this.messaging.applyEdit(rec.componentMessage, data);
      this.messaging.recordEdit(ex.original, data, !(Number(ex.original.flags) & EPHEMERAL));
    }
    ex.callbackBody = { type, data: body.data };
    this.changed.add(ex);

    if (r.query.with_response !== 'true') return NO_CONTENT;
    const message = ex.original && type !== 6 ? ex.original : undefined;
    return {
      status: 200,
      body: {
        interaction: {
          id: rec.exchange.id,
          type: rec.exchange.payload.type,
          response_message_id: message?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: Boolean(Number(message?.flags ?? 0) & EPHEMERAL),
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  private responseMessage(rec: InteractionRecord, body: Json): Json {
    const p = rec.exchange.payload;
    return messagePayload({
      channelId: rec.env.channel.id,
      guildId: rec.env.guildId,
      author: this.botUser,
      body,
      type: rec.kind === 'command' ? 20 : rec.kind === 'context' ? 23 : 0,
      at: this.now(),
      extra: {
        ...this.messaging.mentionsFor(rec.env.channel, this.botUser, body),
        webhook_id: this.appId,
        application_id: this.appId,
        interaction_metadata: {
          id: p.id,
          type: p.type,
          user: userPayload(rec.env.user),
          authorizing_integration_owners: p.authorizing_integration_owners,
          ...(p.data?.name ? { name: p.data.name } : {}),
        },
      },
    });
  }

  private withWebhook(m: RegExpExecArray, fn: (rec: InteractionRecord) => Reply): Reply {
    const rec = this.byToken.get(m[2]!);
    if (m[1] !== this.appId || !rec) return apiError(404, 10015, 'Unknown Webhook');
    this.changed.add(rec.exchange);
    return fn(rec);
  }

  private followUp(rec: InteractionRecord, r: RecordedRequest): Reply {
    const ex = rec.exchange;
    if (!ex.callbackBody) return apiError(404, 10015, 'Unknown Webhook');
    const body = r.body ?? {};
    const invalid = validateMessageBody(body, { requireSomething: r.files.length === 0 });
    if (!invalid.ok) return invalidReply(invalid);
    let message: Json;
    if (ex.original && Number(ex.original.flags) & LOADING && !ex.originalDeleted) {
      // Discord turns the deferred "thinking..." message into the first follow-up.
      const keepEphemeral = Number(ex.original.flags) & EPHEMERAL;
      message = this.messaging.applyEdit(ex.original, { ...body, flags: keepEphemeral });
      ex.original = message;
      this.messaging.recordEdit(message, body, !keepEphemeral);
    } else {
      message = this.responseMessage(rec, body);
      if (!(Number(message.flags) & EPHEMERAL)) this.messaging.addInteractionMessage(message);
    }
    ex.followUps.push(message);
    return { status: 200, body: message };
  }

  private webhookMessage(rec: InteractionRecord, messageId: string, method: 'GET' | 'PATCH' | 'DELETE', body: Json = {}): Reply {
    const ex = rec.exchange;
    const isOriginal = messageId === '@original' || (ex.original !== undefined && messageId === ex.original.id);
    if (isOriginal) {
      if (!ex.original || ex.originalDeleted) return apiError(404, 10008, 'Unknown Message');
      if (method === 'GET') return { status: 200, body: ex.original };
      if (method === 'DELETE') {
        ex.originalDeleted = true;
        if (!(Number(ex.original.flags) & EPHEMERAL)) this.messaging.removeMessage(ex.original);
        return NO_CONTENT;
      }
      const invalid = validateMessageBody(body, { requireSomething: false });
      if (!invalid.ok) return invalidReply(invalid);
      const flags = Number(ex.original.flags) & ~LOADING; // an edit resolves "thinking..."; ephemerality is fixed at defer time
      ex.original = this.messaging.applyEdit(ex.original, { ...body, flags });
      ex.edits.push(body);
      this.messaging.recordEdit(ex.original, body, !(flags & EPHEMERAL));
      return { status: 200, body: ex.original };
    }
    const index = ex.followUps.findIndex((f) => f.id === messageId);
    if (index < 0) return apiError(404, 10008, 'Unknown Message');
    if (method === 'GET') return { status: 200, body: ex.followUps[index] };
    if (method === 'DELETE') {
      if (!(Number(ex.followUps[index]!.flags) & EPHEMERAL)) this.messaging.removeMessage(ex.followUps[index]!);
      return NO_CONTENT;
    }
    const invalid = validateMessageBody(body, { requireSomething: false });
    if (!invalid.ok) return invalidReply(invalid);
    const edited = this.messaging.applyEdit(ex.followUps[index]!, body);
    ex.followUps[index] = edited;
    ex.followUpEdits.push({ messageId, body });
    this.messaging.recordEdit(edited, body, !(Number(edited.flags) & EPHEMERAL));
    return { status: 200, body: edited };
  }

  // ── messages ────────────────────────────────────────────────────────────────────────────

  private findMessage(id: string): Json | undefined {
    const stored = this.messaging.store.find(id);
    if (stored) return stored;
    for (const rec of this.interactions.values()) {
      const ex = rec.exchange;
      if (ex.original?.id === id) return ex.original;
      const f = ex.followUps.find((x) => x.id === id);
      if (f) return f;
    }
    return undefined;
  }

  // ── commands ────────────────────────────────────────────────────────────────────────────

  private putCommands(guildId: string | null, body: Json | undefined): Reply {
    if (!Array.isArray(body)) return apiError(400, 50035, 'Invalid Form Body: expected an array of commands');
    const invalid = validateCommands(body);
    if (!invalid.ok) return invalidReply(invalid);
    const previous = guildId ? this.commands.guild.get(guildId) ?? [] : this.commands.global;
    const stored = body.map((c) => {
      const type = c.type ?? 1;
      const old = previous.find((p) => p.name === c.name && p.type === type);
      return {
        ...c,
        id: old?.id ?? this.stableCommandId(c.name),
        application_id: this.appId,
        type,
        description: c.description ?? '',
        version: snowflake(),
        default_member_permissions: c.default_member_permissions ?? null,
        ...(guildId ? { guild_id: guildId } : {}),
      };
    });
    if (guildId) this.commands.guild.set(guildId, stored);
    else this.commands.global = stored;
    return { status: 200, body: stored };
  }
}

export async function startFakeDiscord(opts?: FakeDiscordOptions): Promise<FakeDiscord> {
  return new FakeDiscord(opts).listen();
}

function re(source: string): RegExp {
  return new RegExp(source);
}

function needsBotAuth(path: string): boolean {
  // Interaction callbacks and interaction webhooks are authorised by their token in the path.
  return !path.startsWith('/interactions/') && !path.startsWith('/webhooks/') && path !== '/gateway';
}
