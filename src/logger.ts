import pino, { type Logger } from 'pino';
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';

export type { Logger };

/**
 * Secrets must never reach a log line, whatever path they take (a field, an error
 * message, a REST URL inside a stack). So besides pino's path redaction, every
 * line is scrubbed on its way out: the known secrets verbatim, and interaction /
 * webhook tokens in Discord URLs.
 */
const TOKEN_IN_URL = /(\/(?:interactions\/\d+|webhooks\/\d+))\/[A-Za-z0-9._\-]{20,}/g;
const BOT_TOKEN_SHAPE = /\b[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,38}\b/g;
const AUTH_HEADER = /("?authorization"?\s*[:=]\s*"?)(Bot |Bearer )?[^",\s}\\]+/gi;

export function makeScrubber(secrets: readonly string[]): (line: string) => string {
  const literal = secrets.filter((s) => s && s.length >= 6);
  return (line) => {
    let out = line;
    for (const s of literal) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    return out
      .replace(TOKEN_IN_URL, '$1/[REDACTED]')
      .replace(BOT_TOKEN_SHAPE, '[REDACTED]')
      .replace(AUTH_HEADER, '$1[REDACTED]');
  };
}

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  /** Values that must never appear in output (the bot token). */
  secrets?: readonly string[];
  /** Where lines go: stdout for the bot, stderr for the CLI (stdout carries results). */
  destination?: NodeJS.WritableStream;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const scrub = makeScrubber(options.secrets ?? []);
  const out = options.destination ?? process.stdout;
  // pino-pretty runs in-process and after the scrubber, so pretty output is scrubbed too.
  const target: NodeJS.WritableStream = options.pretty
    ? prettyStream()({ destination: out, colorize: Boolean((out as { isTTY?: boolean }).isTTY), sync: true })
    : out;
  const stream = { write: (line: string) => target.write(scrub(line)) };
  return pino(
    {
      name: options.name ?? 'paperbot',
      level: options.level ?? 'info',
      redact: {
        paths: [
          'token',
          '*.token',
          'config.discordToken',
          'discordToken',
          'headers.authorization',
          '*.headers.authorization',
          'req.headers.authorization',
          'interaction.token',
        ],
        censor: '[REDACTED]',
      },
      serializers: { err: pino.stdSerializers.err },
    },
    stream,
  );
}

/** pino-pretty, loaded only when pretty logs are asked for (it adds ~30 ms to every start otherwise). */
function prettyStream(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}
