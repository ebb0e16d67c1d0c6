import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { dailySettingsMessage } from '../src/bot/views/daily-settings.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { UserFacingError } from '../src/errors.js';
import { isDailyCount, MAX_DAILY_COUNT, MIN_DAILY_COUNT } from '../src/rules/daily.js';
import { canonicalTimeZone, parseTimeOfDay } from '../src/rules/time.js';
import type { GuildSettings } from '../src/store/daily-store.js';

const POSTABLE_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

export const data = new SlashCommandBuilder()
  .setName('daily')
  .setDescription('Configure the daily paper picks for this server')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setDMPermission(false)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('set')
      .setDescription('Change where, when and how many')
      .addChannelOption((o) => o.setName('channel').setDescription('Text channel to post in').addChannelTypes(...POSTABLE_CHANNELS))
      .addStringOption((o) => o.setName('time').setDescription('Post time, HH:MM (24-hour)').setMaxLength(5))
      .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Europe/Berlin').setMaxLength(64))
      .addIntegerOption((o) => o.setName('count').setDescription(`Papers per day (${MIN_DAILY_COUNT}–${MAX_DAILY_COUNT})`).setMinValue(MIN_DAILY_COUNT).setMaxValue(MAX_DAILY_COUNT)),
  )
  .addSubcommand((s) => s.setName('show').setDescription('Show the current settings'))
  .addSubcommand((s) => s.setName('pause').setDescription('Stop posting until resumed'))
  .addSubcommand((s) => s.setName('resume').setDescription('Start posting again'));

/** "9:05" → "09:05"; anything outside 00:00–23:59 is refused. */
export function parseTime(raw: string): string {
  const time = parseTimeOfDay(raw);
  if (time === null) {
    throw new UserFacingError(`The time must be HH:MM between 00:00 and 23:59 (e.g. 09:30), not “${raw.slice(0, 20)}”.`);
  }
  return time;
}

/** A typed zone in its canonical IANA spelling; anything Intl does not know is refused. */
export function checkTimeZone(raw: string): string {
  const zone = canonicalTimeZone(raw);
  if (zone === null) {
    throw new UserFacingError(`“${raw.trim().slice(0, 64)}” is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`);
  }
  return zone;
}

export function checkCount(count: number): number {
  if (!isDailyCount(count)) throw new UserFacingError(`The count must be a whole number from ${MIN_DAILY_COUNT} to ${MAX_DAILY_COUNT}.`);
  return count;
}

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const guildId = interaction.guildId;
  if (!guildId) throw new UserFacingError('/daily only works inside a server.');
  // Discord hides the command from non-managers; check again in case permissions were overridden.
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserFacingError('You need the Manage Server permission to change the daily picks.');
  }
  const { dailyDefaults } = services;
  const store = services.state.daily;
  const sub = interaction.options.getSubcommand();
  let settings: GuildSettings;
  let note: string;
  if (sub === 'show') {
    await interaction.reply(dailySettingsMessage(store.getSettings(guildId, dailyDefaults)));
    return;
  } else if (sub === 'pause' || sub === 'resume') {
    settings = store.updateSettings(guildId, { paused: sub === 'pause' }, dailyDefaults);
    note = sub === 'pause' ? 'Daily picks paused.' : 'Daily picks resumed.';
  } else {
    const patch: Partial<Omit<GuildSettings, 'guildId'>> = {};
    // Resolved data normally carries the channel; fall back to the guild's cache by id.
    const channelOption = interaction.options.get('channel');
    const channelId = channelOption?.value === undefined ? null : String(channelOption.value);
    const channel = channelOption?.channel ?? (channelId ? (interaction.guild?.channels.cache.get(channelId) ?? null) : null);
    if (channelId && !channel) throw new UserFacingError('I cannot see that channel — check that I have access to it.');
    const time = interaction.options.getString('time');
    const timezone = interaction.options.getString('timezone');
    const count = interaction.options.getInteger('count');
    if (channel) {
      if (!('type' in channel) || !(POSTABLE_CHANNELS as readonly ChannelType[]).includes(channel.type)) {
        throw new UserFacingError('Daily picks can only go to a text or announcement channel.');
      }
      patch.channelId = channel.id;
    }
    if (time !== null) patch.time = parseTime(time);
    if (timezone !== null) patch.timezone = checkTimeZone(timezone);
    if (count !== null) patch.count = checkCount(count);
    if (Object.keys(patch).length === 0) throw new UserFacingError('Give at least one of channel, time, timezone or count.');
    settings = store.updateSettings(guildId, patch, dailyDefaults);
    note = 'Saved.';
  }
  services.daily.reschedule(guildId);
  await interaction.reply(dailySettingsMessage(settings, note));
}

export default { data, execute } satisfies Command;
