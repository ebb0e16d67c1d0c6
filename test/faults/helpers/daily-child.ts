/**
 * The daily post over several days, for the kill -9 test: the real DailyService,
 * DiscordDailyPoster (a discord.js Client logged in to the fake Discord) and a real
 * StateStore, with a fake clock set to noon UTC of each given date in turn.
 *
 *   DISCORD_API_BASE=... DISCORD_TOKEN=... STATE_PATH=... GUILD_IDS=a,b CHANNEL_IDS=x,y \
 *     node --import tsx test/faults/helpers/daily-child.ts <date>...
 * Prints "ready", then "day <date> <guild>=<outcome>..." per date, then "done".
 */
import { Client, GatewayIntentBits } from 'discord.js';
import { DiscordDailyPoster } from '../../../src/bot/discord-poster.js';
import { DailyService } from '../../../src/bot/daily.js';
import { fixedClock } from '../../../src/clock.js';
import { loadCollection } from '../../../src/collection/load.js';
import { dailyPicks } from '../../../src/engine/picks.js';
import { createLogger } from '../../../src/logger.js';
import { StateStore } from '../../../src/store/state.js';

const dates = process.argv.slice(2);
const env = process.env;
const guildIds = env.GUILD_IDS!.split(',');
const channelIds = env.CHANNEL_IDS!.split(',');
const logger = createLogger({ level: 'info', secrets: [env.DISCORD_TOKEN!] });

const collection = await loadCollection([env.PAPERS_PATH!]);
const byId = new Map(collection.papers.map((p) => [p.id, p]));
const engine = {
  picks: (date: string, n: number, history: readonly string[]) => dailyPicks(collection.papers, date, n, history),
  paper: (id: string) => byId.get(id),
};

const state = StateStore.open(env.STATE_PATH!);
const defaults = { channelId: null, time: '09:00', timezone: 'UTC', count: 3 };
guildIds.forEach((g, i) => state.daily.updateSettings(g, { channelId: channelIds[i]! }, defaults));

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env.DISCORD_API_BASE! }, allowedMentions: { parse: [] } });
await client.login(env.DISCORD_TOKEN!);
const clock = fixedClock(`${dates[0]}T12:00:00Z`);
const daily = new DailyService({ store: state.daily, engine, poster: new DiscordDailyPoster(client, logger), clock, logger, defaults, guildIds: () => guildIds });
process.stdout.write('ready\n');
for (const date of dates) {
  clock.set(`${date}T12:00:00Z`);
  const outcomes = await daily.runDue();
  process.stdout.write(`day ${date} ${[...outcomes].map(([g, o]) => `${g}=${o}`).join(' ')}\n`);
}
await client.destroy();
state.close();
process.stdout.write('done\n');
