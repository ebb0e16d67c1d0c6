import { SlashCommandBuilder } from 'discord.js';
import { picksMessage } from '../src/bot/views/picks.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import { localDate } from '../src/rules/time.js';
import { guildKey } from './shared.js';

export const data = new SlashCommandBuilder().setName('today').setDescription("Today's paper picks");

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  const guildId = guildKey(interaction.guildId);
  const settings = services.state.daily.getSettings(guildId, services.dailyDefaults);
  const papers = services.daily.todaysPicks(guildId);
  // The same new arrivals as the day's post (chosen with the picks).
  const arrivals = services.daily.todaysArrivals?.(guildId) ?? [];
  await interaction.reply(picksMessage(papers, { date: localDate(services.clock.now(), settings.timezone), arrivals }));
}

export default { data, execute } satisfies Command;
