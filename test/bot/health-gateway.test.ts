/**
 * /healthz follows the live gateway session (src/bot/gateway-health.ts + src/health.ts, wired as
 * src/index.ts wires them): 200 while the session is live, 503 while it is dropped and cannot
 * reconnect, 200 again once it resumes or re-identifies, and 503 for good after a close discord.js
 * will not recover from (4004).
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayCheck } from '../../src/bot/gateway-health.js';
import { readiness, startHealthServer, type HealthCheck, type HealthServer } from '../../src/health.js';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';

let fake: FakeDiscord | undefined;
let client: Client | undefined;
let server: HealthServer | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  await server?.close();
  fake = undefined;
  client = undefined;
  server = undefined;
});

async function setUp() {
  fake = await startFakeDiscord();
  client = new Client({ intents: [GatewayIntentBits.Guilds], ...fake.clientOptions() });
  const checks: Record<string, () => HealthCheck> = { process: () => ({ ok: true }), gateway: gatewayCheck(client) };
  server = await startHealthServer(0, readiness(checks), '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}/healthz`;
  const get = async () => {
    const res = await fetch(url);
    return { status: res.status, body: (await res.json()) as { status: string; details: { gateway: { status: string; lastFatalClose?: { code: number } } } } };
  };
  /** Polls until /healthz answers `status` (the gateway changes state asynchronously). */
  const until = async (status: number, timeoutMs = 5000) => {
    const end = Date.now() + timeoutMs;
    let last = await get();
    while (last.status !== status && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
      last = await get();
    }
    expect(last.status, JSON.stringify(last.body)).toBe(status);
    return last;
  };
  return { fake, client, get, until };
}

describe('/healthz and the gateway session', () => {
  it('503 before login, 200 once ready; a dropped session that cannot reconnect is 503 until it is back', async () => {
    const t = await setUp();
    expect((await t.get()).body.details.gateway.status).toBe('not logged in');
    expect((await t.get()).status).toBe(503);
    const ready = new Promise((r) => t.client.once(Events.ClientReady, r));
    await t.client.login('token');
    await ready;
    await t.until(200);

    t.fake.gateway.refuseConnections();
    t.fake.dropGateway('abnormal');
    const down = await t.until(503);
    expect(down.body.details.gateway.status).toMatch(/connecting|resuming|identifying/);
    await new Promise((r) => setTimeout(r, 600)); // still down while the gateway is unreachable
    expect((await t.get()).status).toBe(503);
    t.fake.gateway.refuseConnections(false);
    const back = await t.until(200, 10_000);
    expect(back.body.details.gateway.status).toBe('ready');
  });

  it('an invalidated (non-resumable) session is 503 until re-identified, then 200', async () => {
    const t = await setUp();
    const ready = new Promise((r) => t.client.once(Events.ClientReady, r));
    await t.client.login('token');
    await ready;
    await t.until(200);
    const identifies = t.fake.gateway.identifies;
    t.fake.gateway.refuseConnections();
    t.fake.gateway.invalidateSession(false);
    await t.until(503);
    t.fake.gateway.refuseConnections(false);
    await t.until(200, 10_000);
    expect(t.fake.gateway.identifies).toBe(identifies + 1);
  });

  it('a close discord.js will not recover from (4004 authentication failed) stays 503 and says so', async () => {
    const t = await setUp();
    const ready = new Promise((r) => t.client.once(Events.ClientReady, r));
    await t.client.login('token');
    await ready;
    await t.until(200);
    t.fake.dropGateway(4004);
    const dead = await t.until(503);
    expect(dead.body.details.gateway).toMatchObject({ status: 'disconnected', lastFatalClose: { code: 4004 } });
    await new Promise((r) => setTimeout(r, 800));
    expect((await t.get()).status).toBe(503);
  });
});
