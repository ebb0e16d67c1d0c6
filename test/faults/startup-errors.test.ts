/**
 * Fault 6: start-up failures say what happened and what to do, through the logger (so scrubbed),
 * with no stack trace and a meaningful exit code — for the bot (`src/index.ts`) and for
 * `scripts/deploy-commands.ts`:
 *  - a missing PAPERS_PATH file;
 *  - DISCORD_API_BASE on a host name that does not resolve (DNS), on a port nobody listens on
 *    (ECONNREFUSED), and a token the fake Discord does not know (401 / TokenInvalid).
 * A network failure must not blame the token; a rejected token must not blame the network.
 */
import { createServer } from 'node:net';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { FAKE_BOT_TOKEN, botEnv, expectNoSecrets, report, repoRoot, spawnBot, spawnTs, tempDir, type Proc } from './support.js';

let fake: FakeDiscord;
let dir: string;
let refusedPort: number;
let captured = '';
const UNRESOLVABLE = 'http://paperbot-no-such-host.invalid/api'; // .invalid never resolves (RFC 6761)
/** A stack frame as Node prints it ("    at fn (file:line:col)"). */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

beforeAll(async () => {
  fake = await startFakeDiscord({ token: FAKE_BOT_TOKEN });
  dir = tempDir('startup');
  // A port that was just free: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  refusedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(proc: Proc): Promise<{ code: number | null; output: string; fatal?: Record<string, unknown> }> {
  const exit = await proc.exited;
  captured += proc.output;
  return { code: exit.code, output: proc.output, fatal: proc.logs().find((l) => l.level === 60) };
}

const bot = (extra: NodeJS.ProcessEnv) => run(spawnBot(botEnv(fake, dir, extra)));
const deploy = (extra: NodeJS.ProcessEnv) =>
  run(
    spawnTs(path.join(repoRoot, 'scripts/deploy-commands.ts'), [], {
      DISCORD_TOKEN: FAKE_BOT_TOKEN,
      DISCORD_APP_ID: fake.appId,
      DISCORD_API_BASE: fake.apiBase,
      ...extra,
    }),
  );

function expectClean(r: { output: string }): void {
  expect(r.output, 'no stack trace').not.toMatch(STACK_FRAME);
  expect(r.output).not.toMatch(/Node\.js v\d+/); // Node's "uncaught" trailer
}

describe('bot start-up failures', () => {
  it('a missing PAPERS_PATH: one fatal log line naming the file, exit 2, no stack', async () => {
    const r = await bot({ PAPERS_PATH: path.join(dir, 'no-such-papers.txt') });
    report(`startup missing-papers exit=${r.code} fatal=${JSON.stringify(r.fatal?.msg)}`);
    expect(r.code).toBe(2);
    expect(r.fatal?.msg).toMatch(/cannot load the paper collection: Collection file not found: .*no-such-papers\.txt/);
    expect(r.output).toMatch(/^paperbot: cannot load the paper collection/m);
    expectClean(r);
  });

  it('an unresolvable DISCORD_API_BASE host: says DNS, names the host and the setting, not the token; exit 1', async () => {
    const r = await bot({ DISCORD_API_BASE: UNRESOLVABLE });
    report(`startup dns exit=${r.code} kind=${String(r.fatal?.kind)} code=${String(r.fatal?.code)}`);
    expect(r.code).toBe(1);
    expect(r.fatal).toMatchObject({ kind: 'dns' });
    expect(String(r.fatal?.code)).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    expect(r.fatal?.msg).toMatch(/could not be resolved \(DNS .*paperbot-no-such-host\.invalid|paperbot-no-such-host\.invalid could not be resolved/);
    expect(r.fatal?.msg).toContain('DISCORD_API_BASE');
    expect(r.fatal?.msg).toContain('not about the token');
    expectClean(r);
  });

  it('a refused port: says nothing listens there and to check DISCORD_API_BASE; exit 1', async () => {
    const r = await bot({ DISCORD_API_BASE: `http://127.0.0.1:${refusedPort}/api` });
    report(`startup refused exit=${r.code} kind=${String(r.fatal?.kind)}`);
    expect(r.code).toBe(1);
    expect(r.fatal).toMatchObject({ kind: 'refused', code: 'ECONNREFUSED' });
    expect(r.fatal?.msg).toContain(`127.0.0.1:${refusedPort} refused the connection`);
    expect(r.fatal?.msg).toContain('not about the token');
    expectClean(r);
  });

  it('a token Discord does not know: says so and where to get a new one; exit 2', async () => {
    const r = await bot({ DISCORD_TOKEN: 'not-the-token-Discord-knows.abcdef' });
    report(`startup bad-token exit=${r.code} kind=${String(r.fatal?.kind)}`);
    expect(r.code).toBe(2);
    expect(r.fatal).toMatchObject({ kind: 'invalid-token' });
    expect(r.fatal?.msg).toMatch(/rejected the bot token.*DISCORD_TOKEN.*Reset Token/);
    expect(r.fatal?.msg).not.toMatch(/DNS|refused|network/i);
    expectClean(r);
  });
});

describe('deploy-commands failures', () => {
  it('unresolvable host → DNS, not "Discord refused"; exit 1', async () => {
    const r = await deploy({ DISCORD_API_BASE: UNRESOLVABLE });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/Could not register the commands: the name paperbot-no-such-host\.invalid could not be resolved/);
    expect(r.output).not.toMatch(/Discord refused|rejected the bot token/);
    expectClean(r);
  });

  it('refused port → nothing listening; exit 1', async () => {
    const r = await deploy({ DISCORD_API_BASE: `http://127.0.0.1:${refusedPort}/api` });
    expect(r.code).toBe(1);
    expect(r.output).toContain(`127.0.0.1:${refusedPort} refused the connection (ECONNREFUSED)`);
    expectClean(r);
  });

  it('unknown token → rejected token and where to get one; exit 2', async () => {
    const r = await deploy({ DISCORD_TOKEN: 'not-the-token-Discord-knows.abcdef' });
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/Could not register the commands: Discord rejected the bot token \(401 Unauthorized\)/);
    expectClean(r);
  });

  it('the right token still registers', async () => {
    const r = await deploy({});
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Registered \d+ commands/);
  });
});

describe('secrets', () => {
  it('never logs the bot token', () => {
    expectNoSecrets('startup-errors', captured, [FAKE_BOT_TOKEN, 'not-the-token-Discord-knows.abcdef']);
  });
});
