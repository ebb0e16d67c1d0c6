import { SlashCommandBuilder } from 'discord.js';
import { aboutMessage } from '../src/bot/views/about.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';

export const data = new SlashCommandBuilder().setName('about').setDescription('What paperbot knows: collection size, search mode, model, index age, uptime');

export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  const last = services.state.feeds.lastRun();
  await interaction.reply(
    aboutMessage(services.engine.info(), {
      now: services.clock.now(),
      startedAt: services.startedAt,
      library: services.state.library.counts(),
      ...(last ? { feeds: { finishedAt: last.finishedAt, fresh: last.fresh, failed: last.failures.length } } : {}),
    }),
  );
}

export default { data, execute } satisfies Command;
