/** `paperbot <args>` in-process (runCli), with captured stdout/stderr and a given environment. */
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/run.js';
import type { Embedder } from '../../src/embedding/types.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => (text += c.toString()));
  return { stream, text: () => text };
}

export async function runPaperbot(args: string[], env: Record<string, string>, opts: { cwd: string; stdin?: string; embedder?: Embedder | null }): Promise<CliRun> {
  const out = sink();
  const err = sink();
  const code = await runCli(args, {
    stdin: Readable.from(opts.stdin !== undefined ? [opts.stdin] : []),
    stdout: out.stream,
    stderr: err.stream,
    env,
    cwd: opts.cwd,
    embedder: opts.embedder === undefined ? null : opts.embedder,
  });
  return { code, stdout: out.text(), stderr: err.text() };
}
