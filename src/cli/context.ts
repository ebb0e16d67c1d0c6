/**
 * The contract between the CLI dispatcher (run.ts) and its commands (commands/<name>.ts):
 * each command is a `CliCommand`; it gets a `CliContext` with the config, a logger on
 * stderr, the streams, and the engine opened on first use (so `ingest`, `--help` and
 * bad input never pay for it).
 */
import type { CoreConfig } from '../config.js';
import type { Embedder } from '../embedding/types.js';
import type { LiveEngine } from '../engine/live.js';
import type { Engine, SearchFilters } from '../engine/types.js';
import { UserFacingError } from '../errors.js';
import type { Library } from '../library/library.js';
import type { UpstreamClients } from '../library/upstream.js';
import type { FormatOptions } from './format.js';
import type { Logger } from '../logger.js';
import type { StateStore } from '../store/state.js';

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The environment to configure from; unset = the process's (src/config.ts reads it). */
  env?: NodeJS.ProcessEnv;
  cwd: string;
  /** Tests pass an embedder (or null) instead of loading EMBEDDING_MODEL. */
  embedder?: Embedder | null;
}

/** A command-line option as node:util parseArgs takes it. */
export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
}

export interface CliContext {
  /** The command's name, as typed. */
  command: string;
  /** Positional arguments after the command name. */
  args: string[];
  config: CoreConfig;
  /** Logs go to stderr; stdout carries results (and JSON for scripts). */
  logger: Logger;
  io: CliIo;
  /** The whole `paperbot --help` text, for "needs a query" style errors. */
  usage: string;
  /** A string option's value, if given. */
  string(name: string): string | undefined;
  /** A boolean option: given or not. */
  flag(name: string): boolean;
  /** How to print text for this terminal (clickable OSC 8 links when it can show them). */
  format: FormatOptions;
  /** Writes `text` to stdout, ending it with a newline. */
  write(text: string): void;
  /**
   * The engine over the live collection (the files plus the state database's additions and
   * removals, when the state file exists), opened (and the index built if needed) on first call.
   */
  engine(): Promise<Engine>;
  /** The engine's LiveEngine (rebuild after a change). */
  live(): Promise<LiveEngine>;
  /** The state database, opened (and created) on first call; closed when the command ends. */
  state(): StateStore;
  /** The state database if its file exists (read-only commands never create it), else undefined. */
  existingState(): StateStore | undefined;
  /** arXiv, Hugging Face and feed clients from the configuration. */
  upstream(): UpstreamClients;
  /** Adding and removing papers (opens the state and the engine). */
  library(): Promise<Library>;
}

export interface CliCommand {
  name: string;
  /** Its line in `paperbot --help`, without the leading "paperbot". */
  usage: string;
  /** The options it reads. (Parsing accepts every command's options, as one table.) */
  options?: Record<string, CliOption>;
  /** Exit code: 0 ok, 2 bad usage or input, 1 failure. Throw UserFacingError for bad input. */
  run(ctx: CliContext): Promise<number>;
}

/** A whole-number option within bounds, or `fallback` when not given. */
export function intOption(ctx: CliContext, name: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number {
  const value = ctx.string(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserFacingError(`--${name} must be a whole number from ${min} to ${max} (got "${value.slice(0, 20)}").`);
  }
  return n;
}

/** The positional text of a query command; "<command> needs <what>" with the usage when there is none. */
export function requiredText(ctx: CliContext, what: string): string {
  const text = ctx.args.join(' ');
  if (!text) throw new UserFacingError(`${ctx.command} needs ${what}.\n\n${ctx.usage}`);
  return text;
}

/** --has-code, --since, --author as search filters (undefined when none is given). */
export function filtersOf(ctx: CliContext): SearchFilters | undefined {
  const filters: SearchFilters = {};
  if (ctx.flag('has-code')) filters.hasCode = true;
  const since = ctx.string('since');
  if (since !== undefined) filters.since = since;
  const author = ctx.string('author');
  if (author !== undefined) filters.author = author;
  return Object.keys(filters).length ? filters : undefined;
}

/** Clickable links when FORCE_HYPERLINK says so, else when stdout is a terminal that is not TERM=dumb. */
export function hyperlinksFor(config: Pick<CoreConfig, 'hyperlinks'>, stdout: { isTTY?: boolean }): boolean {
  const { mode, term } = config.hyperlinks;
  if (mode !== 'auto') return mode === 'on';
  return Boolean(stdout.isTTY) && term !== 'dumb';
}
