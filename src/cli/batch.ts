import { createInterface } from 'node:readline';
import { isUserFacingError } from '../errors.js';
import type { CliContext } from './context.js';

async function readLines(stdin: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: stdin, crlfDelay: Infinity })) lines.push(line);
  return lines;
}

/**
 * `--json` with no query: one query per stdin line, one JSON object per line on stdout, in
 * order; a bad line yields `{ "error": … }`, not a stop. Exit 2 only when every line failed.
 */
export async function runBatch(ctx: CliContext, answer: (line: string) => Promise<unknown>): Promise<number> {
  const lines = await readLines(ctx.io.stdin);
  let failures = 0;
  for (const line of lines) {
    try {
      ctx.io.stdout.write(JSON.stringify(await answer(line)) + '\n');
    } catch (err) {
      failures++;
      const message = isUserFacingError(err) ? err.message : `failed: ${(err as Error).message}`;
      ctx.io.stdout.write(JSON.stringify({ error: message }) + '\n');
    }
  }
  return failures && failures === lines.length ? 2 : 0;
}
