import { createInterface } from 'node:readline';
import { isUserFacingError } from '../errors.js';
import type { CliContext } from './context.js';

/**
 * `--json` with no query: one query per stdin line, one JSON object per line on stdout, in
 * order, each answered as soon as its line is read (a program can write a line, read the
 * answer, then write the next); a bad line yields `{ "error": … }`, not a stop. Exit 2 only
 * when every line failed.
 */
export async function runBatch(ctx: CliContext, answer: (line: string) => Promise<unknown>): Promise<number> {
  let failures = 0;
  let lines = 0;
  for await (const line of createInterface({ input: ctx.io.stdin, crlfDelay: Infinity })) {
    lines++;
    try {
      ctx.io.stdout.write(JSON.stringify(await answer(line)) + '\n');
    } catch (err) {
      failures++;
      const message = isUserFacingError(err) ? err.message : `failed: ${(err as Error).message}`;
      ctx.io.stdout.write(JSON.stringify({ error: message }) + '\n');
    }
  }
  return failures && failures === lines ? 2 : 0;
}
