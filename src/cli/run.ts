/**
 * The CLI dispatcher: parse the arguments, load the config, make the logger, hand the
 * command a context, and turn what it throws into a message and an exit code. Each
 * command lives in src/cli/commands/<name>.ts.
 */
import { parseArgs } from 'node:util';
import { loadCoreConfig, type CoreConfig } from '../config.js';
import { openEngine } from '../engine/open.js';
import type { Engine } from '../engine/types.js';
import { isUserFacingError, UserFacingError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { CLI_COMMANDS } from './commands/index.js';
import { hyperlinksFor, type CliCommand, type CliContext, type CliIo, type CliOption } from './context.js';
import { makeProgress } from './progress.js';

export type { CliIo } from './context.js';

export function usageText(commands: readonly CliCommand[] = CLI_COMMANDS): string {
  return `Usage: paperbot <command> [options]

Commands:
${commands.map((c) => `  ${c.usage}`).join('\n')}

With --json and no query, find and ask read one query per line from stdin
and print one JSON object per line.
Exit codes: 0 ok, 2 bad usage or input, 1 failure.`;
}

export const USAGE = usageText();

/** One option table for every command (so any command accepts, and ignores, another's options). */
function optionTable(commands: readonly CliCommand[]): Record<string, CliOption> {
  const table: Record<string, CliOption> = { help: { type: 'boolean', short: 'h' } };
  for (const command of commands) Object.assign(table, command.options);
  return table;
}

export async function runCli(argv: string[], io: CliIo, commands: readonly CliCommand[] = CLI_COMMANDS): Promise<number> {
  const usage = commands === CLI_COMMANDS ? USAGE : usageText(commands);
  const write = (s: string) => io.stdout.write(s.endsWith('\n') ? s : s + '\n');
  const fail = (s: string) => io.stderr.write(`paperbot: ${s}\n`);

  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionTable(commands), allowPositionals: true, strict: true });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [name, ...args] = positionals;
  if (values.help || !name || name === 'help') {
    (values.help || name === 'help' ? write : fail)(usage);
    return values.help || name === 'help' ? 0 : 2;
  }

  let config: CoreConfig;
  let logger: Logger;
  try {
    config = loadCoreConfig(io.env, io.cwd);
    // Logs go to stderr: stdout carries results (and JSON for scripts).
    logger = createLogger({ level: config.logLevel, pretty: config.logPretty || Boolean(io.stderr.isTTY), destination: io.stderr, name: 'paperbot' });
  } catch (err) {
    fail((err as Error).message);
    return 2;
  }

  let engine: Promise<Engine> | undefined;
  const ctx: CliContext = {
    command: name,
    args,
    config,
    logger,
    io,
    usage,
    string: (option) => {
      const value = values[option];
      return typeof value === 'string' ? value : undefined;
    },
    flag: (option) => values[option] === true,
    format: { hyperlinks: hyperlinksFor(config, io.stdout) },
    write,
    engine: () =>
      (engine ??= (async () => {
        const progress = makeProgress(io.stderr, logger);
        try {
          return (await openEngine({ config, logger, embedder: io.embedder, onProgress: progress.update })).engine;
        } finally {
          progress.stop();
        }
      })()),
  };

  try {
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UserFacingError(`unknown command "${name.slice(0, 40)}".\n\n${usage}`);
    return await command.run(ctx);
  } catch (err) {
    if (isUserFacingError(err)) {
      fail(err.message);
      return err.exitCode;
    }
    logger.error({ err, command: name }, 'command failed');
    fail(`${name} failed: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}
