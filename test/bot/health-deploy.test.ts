import { afterEach, describe, expect, it } from 'vitest';
import { deployOptionsFromEnv } from '../../scripts/deploy-commands.js';
import { startHealthServer, type HealthServer } from '../../src/health.js';

describe('health endpoint', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 503 until ready, then 200, on /healthz and /health', async () => {
    let ready = false;
    server = await startHealthServer(0, () => ({ ready, details: { papers: 3 } }), '127.0.0.1');
    const base = `http://127.0.0.1:${server.port}`;
    const before = await fetch(`${base}/healthz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'not ready', details: { papers: 3 } });
    ready = true;
    for (const path of ['/healthz', '/health']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect((await res.json()).status).toBe('ready');
    }
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });

  it('a throwing status check is "not ready", not a crash', async () => {
    server = await startHealthServer(0, () => {
      throw new Error('engine gone');
    }, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(res.status).toBe(503);
  });
});

describe('deploy-commands environment', () => {
  it('names each missing variable and where to get it', () => {
    expect(() => deployOptionsFromEnv({})).toThrow(/DISCORD_TOKEN is not set[\s\S]*Developer Portal[\s\S]*DISCORD_APP_ID is not set/);
  });
  it('rejects a non-numeric app id and a bad guild id; blank guild id means global', () => {
    expect(() => deployOptionsFromEnv({ DISCORD_TOKEN: 'x'.repeat(30), DISCORD_APP_ID: 'abc' })).toThrow(/DISCORD_APP_ID must be a numeric id/);
    expect(() => deployOptionsFromEnv({ DISCORD_TOKEN: 'x'.repeat(30), DISCORD_APP_ID: '123456789012345678', DISCORD_GUILD_ID: 'nope' })).toThrow(/DISCORD_GUILD_ID/);
    expect(deployOptionsFromEnv({ DISCORD_TOKEN: 'x'.repeat(30), DISCORD_APP_ID: '123456789012345678', DISCORD_GUILD_ID: ' ' })).toEqual({
      token: 'x'.repeat(30),
      appId: '123456789012345678',
      guildId: undefined,
      apiBase: undefined,
    });
  });
});
