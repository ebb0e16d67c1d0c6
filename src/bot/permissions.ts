/**
 * Who may change the collection from Discord (one collection per bot, settings per server):
 *   - curators: members with Manage Server, or with the server's curator role (/collection set);
 *   - /remove and the daily post's "Add to collection" button: curators only;
 *   - /add: everyone by default, or curators only (/collection set who_can_add:curators).
 */
import { PermissionFlagsBits, type BaseInteraction, type GuildMemberRoleManager } from 'discord.js';

/** Any interaction (commands, buttons, forms). */
type Interaction = BaseInteraction;
import { UserFacingError } from '../errors.js';
import type { LibrarySettings } from '../store/library-store.js';

function hasRole(interaction: Interaction, roleId: string): boolean {
  const roles = interaction.member?.roles;
  if (!roles) return false;
  // A cached GuildMember has a role manager; an uncached member arrives as raw role ids.
  return Array.isArray(roles) ? roles.includes(roleId) : (roles as GuildMemberRoleManager).cache.has(roleId);
}

export function isCurator(interaction: Interaction, settings: LibrarySettings): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  return settings.curatorRoleId !== null && hasRole(interaction, settings.curatorRoleId);
}

function curatorsPhrase(interaction: Interaction, settings: LibrarySettings): string {
  if (!settings.curatorRoleId) return 'the Manage Server permission';
  // Error replies render mentions inert, so the role is named, not mentioned.
  const name = interaction.guild?.roles.cache.get(settings.curatorRoleId)?.name;
  return `the Manage Server permission or the ${name ? `"${name}"` : 'curator'} role`;
}

/** Throws a UserFacingError unless the member is a curator; `what` completes "You need … to …". */
export function requireCurator(interaction: Interaction, settings: LibrarySettings, what: string): void {
  if (!interaction.inGuild()) throw new UserFacingError(`The collection can only be changed inside a server.`);
  if (!isCurator(interaction, settings)) throw new UserFacingError(`You need ${curatorsPhrase(interaction, settings)} to ${what}.`);
}

export function requireMayAdd(interaction: Interaction, settings: LibrarySettings): void {
  if (!interaction.inGuild()) throw new UserFacingError('Papers can only be added inside a server.');
  if (settings.addPolicy === 'curators') requireCurator(interaction, settings, 'add papers on this server');
}
