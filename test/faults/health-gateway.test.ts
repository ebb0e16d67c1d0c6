/**
 * Fault 7: /healthz of the real bot process (`src/index.ts`) follows the gateway session.
 * Ready → 200; the gateway drops and cannot be reached → 503 until the session is back → 200;
 * a close discord.js will not recover from (4004) → 503 for good (an orchestrator restarts it).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { FAKE_BOT_TOKEN, botEnv, expectNoSecrets, report, sleep, spawnReadyBot, stopBot, tempDir, type Proc } from './support.js';

let fake: FakeDiscord;
let bot: Proc;
let dir: string;
let url: string;

beforeAll(async () => {
  fake = await startFakeDiscord({ timeoutMs: 20_000 });
  dir = tempDir('health');
  const started = await spawnReadyBot(botEnv(fake, dir, { DAILY_TIME: '23:59' }));
  bot = started.bot;
  url = `http://127.0.0.1:${started.healthPort}/healthz`;
});
afterAll(async () => {
  await stopBot(bot);
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function status(): Promise<{ code: number; body: { details?: { gateway?: { status?: string } } } }> {
  const res = await fetch(url);
  return { code: res.status, body: (await res.json()) as never };
}

async function until(code: number, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  let last = await status();
  while (last.code !== code && Date.now() < end) {
    await sleep(25);
    last = await status();
  }
  return last;
}

describe('/healthz of the real bot follows the gateway', () => {
  it('200 → gateway unreachable: 503 → back: 200 → 4004: 503 and stays', async () => {
    const seen: string[] = [];
    const first = await until(200);
    seen.push(`ready:${first.code}`);
    expect(first.code).toBe(200);

    fake.gateway.refuseConnections();
    fake.dropGateway('abnormal');
    const down = await until(503);
    seen.push(`dropped:${down.code}/${down.body.details?.gateway?.status}`);
    expect(down.code).toBe(503);
    await sleep(1000);
    const stillDown = await status();
    seen.push(`still-unreachable:${stillDown.code}`);
    expect(stillDown.code).toBe(503);

    fake.gateway.refuseConnections(false);
    const back = await until(200, 20_000);
    seen.push(`reachable:${back.code}`);
    expect(back.code).toBe(200);

    fake.dropGateway(4004);
    const dead = await until(503);
    seen.push(`4004:${dead.code}/${dead.body.details?.gateway?.status}`);
    expect(dead.code).toBe(503);
    await sleep(1500);
    const stays = await status();
    seen.push(`4004+1.5s:${stays.code}`);
    expect(stays.code).toBe(503);
    report(`health-gateway ${seen.join(' ')}`);
    expect(bot.exitInfo).toBeNull();
  });

  it('never logs the bot token', () => {
    expectNoSecrets('health-gateway', bot.output, [FAKE_BOT_TOKEN]);
  });
});
