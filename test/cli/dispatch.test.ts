import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { intOption, requiredText, type CliCommand, type CliContext } from '../../src/cli/context.js';
import { CLI_COMMANDS } from '../../src/cli/commands/index.js';
import { runCli, usageText } from '../../src/cli/run.js';
import { UserFacingError } from '../../src/errors.js';

function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => (text += c.toString()));
  return { stream, text: () => text };
}

async function run(args: string[], commands: CliCommand[]) {
  const out = sink();
  const err = sink();
  // PAPERS_PATH does not exist: a command that never asks for the engine must not notice.
  const env = { PAPERS_PATH: '/nonexistent/papers.txt', INDEX_DIR: '/nonexistent/index', LOG_LEVEL: 'silent' };
  const code = await runCli(args, { stdin: Readable.from([]), stdout: out.stream, stderr: err.stream, env, cwd: '/tmp' }, commands);
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('CLI dispatcher and command contract', () => {
  const seen: CliContext[] = [];
  const echo: CliCommand = {
    name: 'echo',
    usage: 'echo <words> [--times N] [--loud]',
    options: { times: { type: 'string' }, loud: { type: 'boolean' } },
    async run(ctx) {
      seen.push(ctx);
      const text = requiredText(ctx, 'some words');
      const times = intOption(ctx, 'times', { min: 1, max: 3, fallback: 1 });
      ctx.write(Array.from({ length: times }, () => (ctx.flag('loud') ? text.toUpperCase() : text)).join(' '));
      return 0;
    },
  };
  const broken: CliCommand = {
    name: 'broken',
    usage: 'broken',
    async run() {
      throw new Error('kaput');
    },
  };

  it('routes to the named command with its positionals and options, without opening the engine', async () => {
    const r = await run(['echo', 'hi', 'there', '--times', '2', '--loud'], [echo, broken]);
    expect(r).toMatchObject({ code: 0, stdout: 'HI THERE HI THERE\n' });
    expect(seen.at(-1)!.args).toEqual(['hi', 'there']);
    expect(seen.at(-1)!.command).toBe('echo');
  });

  it('bad input from a command: its message, exit 2; usage lists every command', async () => {
    const none = await run(['echo'], [echo, broken]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/echo needs some words[\s\S]*echo <words> \[--times N\][\s\S]*\n {2}broken\n/);
    const bad = await run(['echo', 'x', '--times', '9'], [echo]);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/--times must be a whole number from 1 to 3/);
    expect((await run(['nope'], [echo])).stderr).toMatch(/unknown command "nope"/);
    expect((await run(['echo', 'x', '--bogus'], [echo])).stderr).toMatch(/Unknown option/);
  });

  it('an unexpected error: exit 1 and "<command> failed"', async () => {
    const r = await run(['broken'], [echo, broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken failed: kaput/);
  });

  it('the real commands: unique names, each with a usage line, in --help', () => {
    const names = CLI_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['find', 'similar', 'ask', 'today', 'paper', 'add', 'remove', 'feed', 'ingest', 'console', 'chat']);
    for (const c of CLI_COMMANDS) expect(usageText()).toContain(`  ${c.usage}`);
    expect(() => requiredText({ command: 'x', args: [], usage: 'U' } as unknown as CliContext, 'a thing')).toThrow(UserFacingError);
  });
});
