/**
 * The CLI dispatcher: parse the arguments, load the config, make the logger, hand the
 * command a context, and turn what it throws into a message and an exit code. Each
 * command lives in src/cli/commands/<name>.ts.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadCoreConfig, type CoreConfig } from '../config.js';
import { openEngine, type OpenedEngine } from '../engine/open.js';
import { isUserFacingError, UserFacingError } from '../errors.js';
import { Library } from '../library/library.js';
import { createUpstreamClients, type UpstreamClients } from '../library/upstream.js';
import { createLogger, type Logger } from '../logger.js';
import { StateStore } from '../store/state.js';
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

  let opened: Promise<OpenedEngine> | undefined;
  let state: StateStore | undefined;
  let upstream: UpstreamClients | undefined;
  const openState = () => (state ??= StateStore.open(config.statePath));
  const existingState = () => (state || existsSync(config.statePath) ? openState() : undefined);
  // One progress display for every index build of the command (opening, then rebuilds after an add).
  const progress = makeProgress(io.stderr, logger);
  const open = () =>
    (opened ??= (async () => {
      // Read-only commands do not create a state file; with one, its additions are part of the collection.
      const library = existingState()?.library;
      const result = await openEngine({ config, logger, embedder: io.embedder, onProgress: progress.update, ...(library ? { library } : {}) });
      progress.stop();
      return result;
    })());
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
    engine: async () => (await open()).engine,
    live: async () => (await open()).live,
    state: openState,
    existingState,
    upstream: () => (upstream ??= createUpstreamClients(config.upstream, logger)),
    library: async () => {
      const store = openState().library;
      const { live } = await open();
      return new Library({ store, live, arxiv: () => ctx.upstream().arxiv, logger });
    },
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
  } finally {
    progress.stop();
    if (opened) await opened.then((o) => o.live.close(), () => undefined);
    state?.close();
  }
}
