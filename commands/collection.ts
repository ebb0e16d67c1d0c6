import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { librarySettingsMessage } from '../src/bot/views/library.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { UserFacingError } from '../src/errors.js';
import type { AddPolicy, LibrarySettings } from '../src/store/library-store.js';

export const data = new SlashCommandBuilder()
  .setName('collection')
  .setDescription('Who may add and remove papers on this server')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => s.setName('show').setDescription('Show who may add and remove papers'))
  .addSubcommand((s) =>
    s
      .setName('set')
      .setDescription('Set the curator role and who may add papers')
      .addRoleOption((o) => o.setName('curator_role').setDescription('Members with this role may remove papers (besides Manage Server)'))
      .addStringOption((o) =>
        o
          .setName('who_can_add')
          .setDescription('Who may use /add')
          .addChoices({ name: 'everyone', value: 'everyone' }, { name: 'curators only', value: 'curators' }),
      ),
  )
  .addSubcommand((s) => s.setName('clear-role').setDescription('Remove the curator role (only Manage Server remains)'));

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const guildId = interaction.guildId;
  if (!guildId) throw new UserFacingError('/collection only works inside a server.');
  // Discord hides the command from non-managers; check again in case permissions were overridden.
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserFacingError('You need the Manage Server permission to change who may add and remove papers.');
  }
  const store = services.state.library;
  const sub = interaction.options.getSubcommand();
  if (sub === 'show') {
    await interaction.reply(librarySettingsMessage(store.settings(guildId)));
    return;
  }
  let settings: LibrarySettings;
  if (sub === 'clear-role') {
    settings = store.updateSettings(guildId, { curatorRoleId: null });
  } else {
    const patch: Partial<Omit<LibrarySettings, 'guildId'>> = {};
    const role = interaction.options.get('curator_role');
    if (role?.value !== undefined) {
      if (String(role.value) === guildId) throw new UserFacingError('Pick a role other than @everyone (to let everyone add papers, use who_can_add:everyone).');
      patch.curatorRoleId = String(role.value);
    }
    const who = interaction.options.getString('who_can_add');
    if (who !== null) {
      if (who !== 'everyone' && who !== 'curators') throw new UserFacingError('who_can_add is "everyone" or "curators".');
      patch.addPolicy = who as AddPolicy;
    }
    if (Object.keys(patch).length === 0) throw new UserFacingError('Give curator_role, who_can_add, or both.');
    settings = store.updateSettings(guildId, patch);
  }
  await interaction.reply(librarySettingsMessage(settings, 'Saved.'));
}

export default { data, execute } satisfies Command;
