/**
 * Registers the bot's slash commands and context menu with Discord.
 *   DISCORD_TOKEN=... DISCORD_APP_ID=... [DISCORD_GUILD_ID=...] npx tsx scripts/deploy-commands.ts
 * With DISCORD_GUILD_ID the commands appear in that server at once; without it they are global.
 */
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { commands } from '../commands/index.js';
import { describeDiscordFailure } from '../src/bot/discord-failure.js';
import type { Command } from '../src/bot/types.js';
import { isSnowflake } from '../src/rules/ids.js';


const EnvSchema = z.object({
  DISCORD_TOKEN: z
    .string({ error: 'DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal (your application → Bot → Reset Token).' })
    .min(1, 'DISCORD_TOKEN is empty: copy the bot token from the Discord Developer Portal (application → Bot).'),
  DISCORD_APP_ID: z
    .string({ error: 'DISCORD_APP_ID is not set: it is the "Application ID" on the General Information page of your application in the Discord Developer Portal.' })
    .refine(isSnowflake, 'DISCORD_APP_ID must be a numeric id: the "Application ID" on the General Information page in the Discord Developer Portal.'),
  DISCORD_GUILD_ID: z
    .string()
    .refine(isSnowflake, 'DISCORD_GUILD_ID must be a numeric server id (Discord: Settings → Advanced → Developer Mode, then right-click the server → Copy Server ID). Leave it unset to register globally.')
    .optional(),
  DISCORD_API_BASE: z.url('DISCORD_API_BASE must be a URL such as http://127.0.0.1:8080/api (only for testing against a fake Discord).').optional(),
});

export interface DeployOptions {
  token: string;
  appId: string;
  guildId?: string;
  apiBase?: string;
}

/** Reads and checks the environment; throws an Error naming each bad variable and how to get it. */
export function deployOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeployOptions {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== '').map(([k, v]) => [k, v!.trim()]));
  const parsed = EnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `- ${i.message}`).join('\n'));
  const e = parsed.data;
  return { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, guildId: e.DISCORD_GUILD_ID, apiBase: e.DISCORD_API_BASE };
}

/** PUTs the command list (replacing what was registered); returns what Discord stored. */
export async function deployCommands(opts: DeployOptions & { commands: readonly Command[] }): Promise<{ scope: string; registered: { id: string; name: string; type: number }[] }> {
  const rest = new REST(opts.apiBase ? { api: opts.apiBase } : {}).setToken(opts.token);
  const body = opts.commands.map((c) => c.data.toJSON());
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.appId, opts.guildId) : Routes.applicationCommands(opts.appId);
  const result = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return {
    scope: opts.guildId ? `guild ${opts.guildId}` : 'global (may take up to an hour to show everywhere)',
    registered: result.map((c) => ({ id: c.id, name: c.name, type: c.type })),
  };
}

async function main(): Promise<void> {
  let opts: DeployOptions;
  try {
    opts = deployOptionsFromEnv();
  } catch (err) {
    console.error(`Cannot register commands:\n${(err as Error).message}`);
    process.exitCode = 2;
    return;
  }
  try {
    const { scope, registered } = await deployCommands({ ...opts, commands });
    console.log(`Registered ${registered.length} commands (${scope}):`);
    for (const c of registered) console.log(`  ${c.type === 1 ? '/' : '[menu] '}${c.name}  (id ${c.id})`);
  } catch (err) {
    const failure = describeDiscordFailure(err, { action: 'register the commands', apiBase: opts.apiBase });
    console.error(failure.message);
    process.exitCode = failure.kind === 'invalid-token' ? 2 : 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
