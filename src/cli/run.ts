import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadCoreConfig, type CoreConfig } from '../config.js';
import type { Embedder } from '../embedding/types.js';
import { openEngine, reportCollection, resolveEmbedder } from '../engine/open.js';
import { ingest } from '../engine/ingest.js';
import { loadCollection } from '../collection/load.js';
import { isIsoDate } from '../rules/time.js';
import type { Engine } from '../engine/types.js';
import { isUserFacingError, UserFacingError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { answerJson, formatAnswer, formatPaper, formatPicks, formatResults, paperJson, resultJson } from './format.js';
import { makeProgress } from './progress.js';
import { runConsole } from './console.js';

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The environment to configure from; unset = the process's (src/config.ts reads it). */
  env?: NodeJS.ProcessEnv;
  cwd: string;
  /** Tests pass an embedder (or null) instead of loading EMBEDDING_MODEL. */
  embedder?: Embedder | null;
}

export const USAGE = `Usage: paperbot <command> [options]

Commands:
  find "<query>" [--k 10] [--has-code] [--since YYYY-MM-DD] [--author NAME] [--json]
  similar <id|title|text> [--k 10] [--json]
  ask "<question>" [--json]
  today [--date YYYY-MM-DD] [--count 3] [--json]
  paper <id|title> [--json]
  ingest [--force] [--require-model] [files...]
  console                     an interactive prompt: /find, /similar, /ask, /today, /paper

With --json and no query, find and ask read one query per line from stdin
and print one JSON object per line.
Exit codes: 0 ok, 2 bad usage or input, 1 failure.`;

const OPTIONS = {
  k: { type: 'string' },
  json: { type: 'boolean' },
  'has-code': { type: 'boolean' },
  since: { type: 'string' },
  author: { type: 'string' },
  date: { type: 'string' },
  count: { type: 'string' },
  force: { type: 'boolean' },
  'require-model': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function intOption(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserFacingError(`--${name} must be a whole number from ${min} to ${max} (got "${value.slice(0, 20)}").`);
  }
  return n;
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

async function readLines(stdin: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: stdin, crlfDelay: Infinity })) lines.push(line);
  return lines;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const write = (s: string) => io.stdout.write(s.endsWith('\n') ? s : s + '\n');
  const fail = (s: string) => io.stderr.write(`paperbot: ${s}\n`);

  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    (values.help || command === 'help' ? write : fail)(USAGE);
    return values.help || command === 'help' ? 0 : 2;
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

  try {
    if (command === 'ingest') return await runIngest(rest, { force: Boolean(values.force), requireModel: Boolean(values['require-model']) }, config, logger, io);
    const known = ['find', 'similar', 'ask', 'today', 'paper', 'console'];
    if (!known.includes(command)) throw new UserFacingError(`unknown command "${command.slice(0, 40)}".\n\n${USAGE}`);

    const text = rest.join(' ');
    const batch = values.json && !text && (command === 'find' || command === 'ask');
    if (!text && ['find', 'similar', 'ask', 'paper'].includes(command) && !batch) {
      throw new UserFacingError(`${command} needs ${command === 'ask' ? 'a question' : command === 'find' ? 'a query' : 'a paper id or title'}.\n\n${USAGE}`);
    }
    const k = intOption(values.k, 'k', 1, 50, 10);
    if (values.date !== undefined && !isIsoDate(values.date)) {
      throw new UserFacingError(`--date must be a real date like 2026-11-27 (got "${values.date.slice(0, 20)}").`);
    }
    const count = intOption(values.count, 'count', 1, 10, 3);

    const progress = makeProgress(io.stderr, logger);
    const { engine } = await openEngine({ config, logger, embedder: io.embedder, onProgress: progress.update });
    progress.stop();

    switch (command) {
      case 'console':
        return await runConsole(engine, io);
      case 'find':
      case 'ask':
        if (batch) return await runBatch(command, engine, io);
        if (command === 'find') {
          const filters = { hasCode: values['has-code'], since: values.since, author: values.author };
          const result = await engine.find(text, { k, filters });
          write(values.json ? JSON.stringify(resultJson(result)) : formatResults(result, `Papers for "${text}"`));
        } else {
          const result = await engine.ask(text);
          write(values.json ? JSON.stringify(answerJson(result)) : formatAnswer(result));
        }
        return 0;
      case 'similar': {
        const result = await engine.similar(text, { k });
        const target = engine.paper(text);
        write(values.json ? JSON.stringify(resultJson(result)) : formatResults(result, `Similar to "${target?.title ?? text}"`));
        return 0;
      }
      case 'paper': {
        const paper = engine.paper(text);
        if (!paper) throw new UserFacingError(`No paper matches "${text.slice(0, 80)}". Try: paperbot find "${text.slice(0, 40)}"`);
        const similar = await engine.similar(paper.id, { k: 3 });
        write(values.json ? JSON.stringify({ ...paperJson(paper), similar: resultJson(similar).results }) : formatPaper(paper, similar));
        return 0;
      }
      case 'today': {
        const date = values.date ?? todayIso();
        const picks = engine.picks(date, count, []);
        write(values.json ? JSON.stringify({ date, picks: picks.map(paperJson) }) : formatPicks(date, picks));
        return 0;
      }
    }
    return 0;
  } catch (err) {
    if (isUserFacingError(err)) {
      fail(err.message);
      return err.exitCode;
    }
    logger.error({ err, command }, 'command failed');
    fail(`${command} failed: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}

async function runBatch(command: 'find' | 'ask', engine: Engine, io: CliIo): Promise<number> {
  const lines = await readLines(io.stdin);
  let failures = 0;
  for (const line of lines) {
    // One output line per input line, in order; a bad query yields an error object, not a stop.
    try {
      const out = command === 'find' ? resultJson(await engine.find(line)) : answerJson(await engine.ask(line));
      io.stdout.write(JSON.stringify(out) + '\n');
    } catch (err) {
      failures++;
      const message = isUserFacingError(err) ? err.message : `failed: ${(err as Error).message}`;
      io.stdout.write(JSON.stringify({ error: message }) + '\n');
    }
  }
  return failures && failures === lines.length ? 2 : 0;
}

async function runIngest(
  files: string[],
  { force, requireModel }: { force: boolean; requireModel: boolean },
  config: CoreConfig,
  logger: Logger,
  io: CliIo,
): Promise<number> {
  const paths = files.length ? files.map((f) => (f.startsWith('/') ? f : `${io.cwd}/${f}`)) : config.papersPaths;
  const collection = await loadCollection(paths);
  reportCollection(collection, logger);
  const { embedder } = await resolveEmbedder(config, logger, io.embedder);
  // The image build asks for this: an image that silently lost its model would be worse than a failed build.
  if (requireModel && config.embeddingModel && !embedder) {
    throw new UserFacingError(`--require-model: the embedding model "${config.embeddingModel}" could not be loaded (see the warning above).`, 1);
  }
  const progress = makeProgress(io.stderr, logger);
  const result = await ingest({ collection, indexDir: config.indexDir, embedder, force, logger, onProgress: progress.update });
  progress.stop();
  io.stdout.write(
    result.upToDate
      ? `Index is up to date: ${collection.papers.length} papers (${embedder ? embedder.modelId : 'lexical only'}).\n`
      : `Indexed ${collection.papers.length} papers in ${(result.tookMs / 1000).toFixed(1)} s: ${result.embedded} embedded, ${result.reused} reused, ${result.removed} removed (${embedder ? embedder.modelId : 'lexical only'}).\n`,
  );
  if (collection.problems.length) io.stdout.write(`${collection.problems.length} malformed record(s) skipped; see the warnings above.\n`);
  return 0;
}
