/**
 * INTERACTION_CREATE payload builders (slash command, subcommand, autocomplete,
 * button/select, message context menu). Option types come from the registered
 * command definition when the bot registered one, else they are inferred.
 */
import { randomBytes } from 'node:crypto';
import { snowflake } from './snowflake.js';
import { channelPayload, memberPayload, userPayload, ALL_PERMISSIONS, MEMBER_PERMISSIONS, type FakeChannel, type FakeUser, type Json } from './payloads.js';

export type OptionValues = Record<string, string | number | boolean>;
/** Either a name → value record, or the raw API option array (`[{ name, type, value, focused? }]`). */
export type OptionsInput = OptionValues | Json[];

export interface InteractionContext {
  /** Guild to run in; `null` for a DM. Default: the first guild. */
  guildId?: string | null;
  /** Default: the first text channel of the guild. */
  channelId?: string;
  /** The invoking user. Default: the fake's human user. */
  userId?: string;
  username?: string;
  /** The invoking member's permissions (bit field). Default: an ordinary member; `'admin'` = all permissions. */
  permissions?: bigint | 'admin';
  /** The invoking member's role ids (guild only). Default: none. */
  roles?: string[];
  /** The bot's permissions in the channel (`app_permissions`). Default: an ordinary member's. */
  appPermissions?: bigint;
  locale?: string;
}

export interface InteractionEnv {
  appId: string;
  guildId: string | null;
  channel: FakeChannel;
  user: FakeUser;
  permissions: bigint;
  roles: string[];
  appPermissions: bigint;
  locale: string;
}

export const OPTION = { SUB_COMMAND: 1, SUB_COMMAND_GROUP: 2, STRING: 3, INTEGER: 4, BOOLEAN: 5, USER: 6, CHANNEL: 7, ROLE: 8, MENTIONABLE: 9, NUMBER: 10, ATTACHMENT: 11 } as const;

export function resolvePermissions(p: bigint | 'admin' | undefined): bigint {
  if (p === 'admin') return ALL_PERMISSIONS;
  return p ?? MEMBER_PERMISSIONS;
}

/** Fields every interaction carries. */
export function interactionBase(type: number, env: InteractionEnv, data: Json): Json {
  const id = snowflake();
  const token = `fake-${type}-${randomBytes(24).toString('base64url')}`;
  const inGuild = env.guildId !== null;
  return {
    id,
    application_id: env.appId,
    type,
    token,
    version: 1,
    data,
    channel_id: env.channel.id,
    channel: { ...channelPayload(env.channel), permissions: env.permissions.toString() },
    ...(inGuild
      ? {
          guild_id: env.guildId,
          guild: { id: env.guildId, locale: 'en-US', features: [] },
          guild_locale: 'en-US',
          member: memberPayload(env.user, env.permissions, env.roles),
          authorizing_integration_owners: { '0': env.guildId },
          context: 0,
        }
      : {
          user: userPayload(env.user),
          authorizing_integration_owners: { '1': env.user.id },
          context: 1,
        }),
    app_permissions: env.appPermissions.toString(),
    locale: env.locale,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

/** Turn `{ query: 'x', k: 3 }` into API options, using the registered definition's types when known. */
export function buildOptions(input: OptionsInput | undefined, definitions: Json[] | undefined): Json[] {
  if (!input) return [];
  if (Array.isArray(input)) return input;
  return Object.entries(input).map(([name, value]) => {
    const def = definitions?.find((d) => d.name === name);
    return { name, type: def?.type ?? inferType(value), value };
  });
}

function inferType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return OPTION.BOOLEAN;
  if (typeof value === 'number') return Number.isInteger(value) ? OPTION.INTEGER : OPTION.NUMBER;
  return OPTION.STRING;
}

/** The definition's options under a subcommand path (`['set']` or `['group', 'set']`). */
export function optionDefinitionsAt(command: Json | undefined, path: string[]): Json[] | undefined {
  let options: Json[] | undefined = command?.options;
  for (const name of path) options = options?.find((o) => o.name === name)?.options;
  return options;
}

/** Nest leaf options under subcommand (group) layers. */
export function wrapInSubcommands(path: string[], leaf: Json[]): Json[] {
  if (path.length === 0) return leaf;
  if (path.length === 1) return [{ name: path[0], type: OPTION.SUB_COMMAND, options: leaf }];
  return [{ name: path[0], type: OPTION.SUB_COMMAND_GROUP, options: [{ name: path[1], type: OPTION.SUB_COMMAND, options: leaf }] }];
}
