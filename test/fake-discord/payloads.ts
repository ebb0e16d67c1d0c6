/**
 * Builders for the raw (snake_case, API v10) objects the fake hands to discord.js.
 * They carry every field discord.js reads, so its structures come out fully formed.
 */
import { snowflake, snowflakeTime } from './snowflake.js';

/** Permission bits the fake and its tests care about (Discord's values). */
export const PERMISSIONS = {
  ADMINISTRATOR: 1n << 3n,
  MANAGE_CHANNELS: 1n << 4n,
  MANAGE_GUILD: 1n << 5n,
  ADD_REACTIONS: 1n << 6n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  MANAGE_MESSAGES: 1n << 13n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  USE_APPLICATION_COMMANDS: 1n << 31n,
  CREATE_PUBLIC_THREADS: 1n << 35n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
} as const;

/** What an ordinary member (and the bot, via @everyone) may do in the fake guilds. */
export const MEMBER_PERMISSIONS =
  PERMISSIONS.ADD_REACTIONS |
  PERMISSIONS.VIEW_CHANNEL |
  PERMISSIONS.SEND_MESSAGES |
  PERMISSIONS.EMBED_LINKS |
  PERMISSIONS.ATTACH_FILES |
  PERMISSIONS.READ_MESSAGE_HISTORY |
  PERMISSIONS.USE_APPLICATION_COMMANDS |
  PERMISSIONS.CREATE_PUBLIC_THREADS |
  PERMISSIONS.SEND_MESSAGES_IN_THREADS;

/** Everything: what the server owner / an admin sees in `member.permissions`. */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

export type Json = Record<string, any>;

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
}

export function userPayload(u: FakeUser): Json {
  return {
    id: u.id,
    username: u.username,
    global_name: u.bot ? null : u.username,
    discriminator: u.bot ? '0001' : '0',
    avatar: null,
    bot: Boolean(u.bot),
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function memberPayload(user: FakeUser, permissions?: bigint, roles: string[] = []): Json {
  return {
    user: userPayload(user),
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: '2024-01-01T00:00:00.000Z',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions: permissions.toString() }),
  };
}

/**
 * How the fake REST treats a channel (the bot's permissions there):
 *   ok; missing = gone (404 10003 Unknown Channel); hidden = no VIEW_CHANNEL (403 50001 Missing Access, reads too);
 *   forbidden = visible but no SEND_MESSAGES / SEND_MESSAGES_IN_THREADS / CREATE_PUBLIC_THREADS (403 50013; reads work).
 * A thread is as accessible as the worse of itself and its parent (threads inherit the parent's permissions).
 */
export type ChannelAccess = 'ok' | 'missing' | 'hidden' | 'forbidden';

/** Live state of a thread channel (type 11/12). */
export interface ThreadState {
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: number;
  createdAt: number;
  archivedAt: number;
  /** Messages sent in the thread, not counting the starter message (Discord's message_count). */
  messageCount: number;
  totalMessageSent: number;
  /** Thread members (user ids): the creator, and everyone who posted in it. */
  memberIds: Set<string>;
}

export interface FakeChannel {
  id: string;
  name: string;
  guildId: string | null;
  /** 0 = text (default), 1 = DM, 11 = public thread, 2 = voice, 4 = category... */
  type: number;
  parentId?: string | null;
  access: ChannelAccess;
  ownerId?: string;
  /** DM channels: the other user (the bot is the implicit second recipient). */
  recipients?: FakeUser[];
  thread?: ThreadState;
  lastMessageId?: string | null;
}

const SEND_BITS = PERMISSIONS.SEND_MESSAGES | PERMISSIONS.SEND_MESSAGES_IN_THREADS | PERMISSIONS.CREATE_PUBLIC_THREADS;

export function channelPayload(c: FakeChannel, everyoneRoleId?: string): Json {
  if (c.type === 1) {
    return { id: c.id, type: 1, last_message_id: c.lastMessageId ?? null, flags: 0, recipients: (c.recipients ?? []).map(userPayload) };
  }
  // "forbidden" / "hidden" channels deny the bot (via @everyone), so discord.js permission checks agree with the 403s.
  const deny = c.access === 'forbidden' ? SEND_BITS : c.access === 'hidden' ? SEND_BITS | PERMISSIONS.VIEW_CHANNEL : 0n;
  const base: Json = {
    id: c.id,
    type: c.type,
    name: c.name,
    guild_id: c.guildId ?? undefined,
    position: 0,
    flags: 0,
    parent_id: c.parentId ?? null,
    last_message_id: c.lastMessageId ?? null,
    rate_limit_per_user: 0,
    nsfw: false,
    topic: null,
    permission_overwrites: deny && everyoneRoleId ? [{ id: everyoneRoleId, type: 0, allow: '0', deny: deny.toString() }] : [],
  };
  if (c.type === 11 || c.type === 12) {
    const t = c.thread ?? newThreadState(c.ownerId ? [c.ownerId] : [], Date.now());
    base.owner_id = c.ownerId;
    base.message_count = t.messageCount;
    base.member_count = Math.min(50, t.memberIds.size); // Discord stops counting at 50
    base.total_message_sent = t.totalMessageSent;
    base.thread_metadata = {
      archived: t.archived,
      auto_archive_duration: t.autoArchiveDuration,
      archive_timestamp: new Date(t.archivedAt).toISOString(),
      locked: t.locked,
      create_timestamp: new Date(t.createdAt).toISOString(),
    };
    delete base.permission_overwrites;
    delete base.topic;
  }
  return base;
}

export function newThreadState(memberIds: string[], at: number, autoArchiveDuration = 1440): ThreadState {
  return { archived: false, locked: false, autoArchiveDuration, createdAt: at, archivedAt: at, messageCount: 0, totalMessageSent: 0, memberIds: new Set(memberIds) };
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: FakeChannel[];
  members: FakeUser[];
  /** Roles besides @everyone (no permissions of their own). */
  roles: { id: string; name: string }[];
}

export function rolePayload(guildId: string, permissions: bigint, role?: { id: string; name: string; position?: number }): Json {
  return {
    id: role?.id ?? guildId, // @everyone's id is the guild id
    name: role?.name ?? '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role?.position ?? 0,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function guildCreatePayload(g: FakeGuild): Json {
  // Hidden channels are still listed (with VIEW_CHANNEL denied), as Discord lists every channel.
  const visibleChannels = g.channels.filter((c) => c.access !== 'missing');
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: visibleChannels.find((c) => c.type === 0)?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    application_id: null,
    vanity_url_code: null,
    preferred_locale: 'en-US',
    features: [],
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    widget_enabled: false,
    widget_channel_id: null,
    approximate_member_count: g.members.length,
    joined_at: '2024-01-01T00:00:00.000Z',
    large: false,
    unavailable: false,
    member_count: g.members.length,
    roles: [rolePayload(g.id, MEMBER_PERMISSIONS), ...g.roles.map((r, i) => rolePayload(g.id, 0n, { ...r, position: i + 1 }))],
    emojis: [],
    stickers: [],
    channels: visibleChannels.filter((c) => c.type !== 11 && c.type !== 12).map((c) => channelPayload(c, g.id)),
    threads: [],
    members: g.members.map((u) => memberPayload(u)),
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    incidents_data: null,
    hub_type: null,
  };
}

export interface MessageInit {
  channelId: string;
  guildId?: string | null;
  author: FakeUser;
  body: Json;
  id?: string;
  /** 0 default, 19 reply, 20 chat input command, 21 thread starter, 23 context menu command. */
  type?: number;
  extra?: Json;
  /** Creation time (ms) for the id and timestamp. Default: now. */
  at?: number;
}

/** A full message object as the API returns it (nonce is only echoed on create, never on fetch). */
export function messagePayload(m: MessageInit): Json {
  const id = m.id ?? snowflake(m.at);
  const ref = m.body.message_reference;
  return {
    id,
    channel_id: m.channelId,
    ...(m.guildId ? { guild_id: m.guildId } : {}),
    author: userPayload(m.author),
    type: m.type ?? (ref ? 19 : 0),
    ...(ref
      ? {
          message_reference: {
            type: 0,
            channel_id: ref.channel_id ?? m.channelId,
            message_id: ref.message_id,
            ...(m.guildId ? { guild_id: ref.guild_id ?? m.guildId } : {}),
          },
        }
      : {}),
    content: m.body.content ?? '',
    timestamp: new Date(snowflakeTime(id)).toISOString(),
    edited_timestamp: null,
    tts: Boolean(m.body.tts),
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    mention_channels: [],
    attachments: attachmentsFrom(m.body),
    embeds: (m.body.embeds ?? []).map(normaliseEmbed),
    reactions: [],
    pinned: false,
    flags: m.body.flags ?? 0,
    components: m.body.components ?? [],
    sticker_items: [],
    ...(m.extra ?? {}),
  };
}

function attachmentsFrom(body: Json): Json[] {
  const files: Json[] = body.attachments ?? [];
  return files.map((a, i) => {
    const id = a.id === undefined || /^\d{1,2}$/.test(String(a.id)) ? snowflake() : String(a.id);
    const filename = a.filename ?? `file${i}`;
    return {
      id,
      filename,
      size: a.size ?? 0,
      url: a.url ?? `https://cdn.fake-discord.invalid/attachments/${id}/${encodeURIComponent(filename)}`,
      proxy_url: `https://media.fake-discord.invalid/attachments/${id}/${encodeURIComponent(filename)}`,
      content_type: a.content_type ?? 'application/octet-stream',
    };
  });
}

/** The API adds `type: 'rich'` to embeds it stores. */
function normaliseEmbed(e: Json): Json {
  return { type: 'rich', ...e };
}

/** Apply an edit body to a stored message the way PATCH does: only the given fields change. */
export function applyMessageEdit(message: Json, body: Json, at: number = Date.now()): Json {
  const next: Json = { ...message, edited_timestamp: new Date(at).toISOString() };
  if ('content' in body) next.content = body.content ?? '';
  if ('embeds' in body) next.embeds = (body.embeds ?? []).map(normaliseEmbed);
  if ('components' in body) next.components = body.components ?? [];
  if ('attachments' in body) next.attachments = attachmentsFrom(body);
  if ('flags' in body && body.flags !== undefined) next.flags = body.flags;
  return next;
}
