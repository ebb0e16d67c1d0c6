/**
 * Builders for the raw (snake_case, API v10) objects the fake hands to discord.js.
 * They carry every field discord.js reads, so its structures come out fully formed.
 */
import { snowflake } from './snowflake.js';

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

export function memberPayload(user: FakeUser, permissions?: bigint): Json {
  return {
    user: userPayload(user),
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
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

/** How the fake REST treats a channel: ok, gone (404 Unknown Channel) or no permission (403 Missing Permissions). */
export type ChannelAccess = 'ok' | 'missing' | 'forbidden';

export interface FakeChannel {
  id: string;
  name: string;
  guildId: string | null;
  /** 0 = text (default), 11 = public thread, 2 = voice, 4 = category... */
  type: number;
  parentId?: string | null;
  access: ChannelAccess;
  ownerId?: string;
}

export function channelPayload(c: FakeChannel, everyoneRoleId?: string): Json {
  const base: Json = {
    id: c.id,
    type: c.type,
    name: c.name,
    guild_id: c.guildId ?? undefined,
    position: 0,
    flags: 0,
    parent_id: c.parentId ?? null,
    last_message_id: null,
    rate_limit_per_user: 0,
    nsfw: false,
    topic: null,
    permission_overwrites:
      // A "forbidden" channel denies the bot (via @everyone) sending, so discord.js permission checks agree with the 403s.
      c.access === 'forbidden' && everyoneRoleId
        ? [
            {
              id: everyoneRoleId,
              type: 0,
              allow: '0',
              deny: (PERMISSIONS.SEND_MESSAGES | PERMISSIONS.SEND_MESSAGES_IN_THREADS | PERMISSIONS.CREATE_PUBLIC_THREADS).toString(),
            },
          ]
        : [],
  };
  if (c.type === 11 || c.type === 12) {
    base.owner_id = c.ownerId;
    base.message_count = 0;
    base.member_count = 1;
    base.total_message_sent = 0;
    base.thread_metadata = {
      archived: false,
      auto_archive_duration: 1440,
      archive_timestamp: new Date().toISOString(),
      locked: false,
      create_timestamp: new Date().toISOString(),
    };
    delete base.permission_overwrites;
  }
  return base;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: FakeChannel[];
  members: FakeUser[];
}

export function rolePayload(guildId: string, permissions: bigint): Json {
  return {
    id: guildId, // @everyone's id is the guild id
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function guildCreatePayload(g: FakeGuild): Json {
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
    roles: [rolePayload(g.id, MEMBER_PERMISSIONS)],
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
  /** 0 default, 19 reply, 20 chat input command, 23 context menu command. */
  type?: number;
  extra?: Json;
}

/** A full message object as the API returns it (nonce is only echoed on create, never on fetch). */
export function messagePayload(m: MessageInit): Json {
  const now = new Date().toISOString();
  return {
    id: m.id ?? snowflake(),
    channel_id: m.channelId,
    ...(m.guildId ? { guild_id: m.guildId } : {}),
    author: userPayload(m.author),
    type: m.type ?? (m.body.message_reference ? 19 : 0),
    ...(m.body.message_reference ? { message_reference: { type: 0, channel_id: m.channelId, ...m.body.message_reference } } : {}),
    content: m.body.content ?? '',
    timestamp: now,
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
  return files.map((a, i) => ({
    id: String(a.id ?? i),
    filename: a.filename ?? `file${i}`,
    size: a.size ?? 0,
    url: `https://cdn.fake-discord.invalid/attachments/${a.filename ?? i}`,
    proxy_url: `https://media.fake-discord.invalid/attachments/${a.filename ?? i}`,
    content_type: a.content_type ?? 'application/octet-stream',
  }));
}

/** The API adds `type: 'rich'` to embeds it stores. */
function normaliseEmbed(e: Json): Json {
  return { type: 'rich', ...e };
}

/** Apply an edit body to a stored message the way PATCH does: only the given fields change. */
export function applyMessageEdit(message: Json, body: Json): Json {
  const next: Json = { ...message, edited_timestamp: new Date().toISOString() };
  if ('content' in body) next.content = body.content ?? '';
  if ('embeds' in body) next.embeds = (body.embeds ?? []).map(normaliseEmbed);
  if ('components' in body) next.components = body.components ?? [];
  if ('attachments' in body) next.attachments = attachmentsFrom(body);
  if ('flags' in body && body.flags !== undefined) next.flags = body.flags;
  return next;
}
