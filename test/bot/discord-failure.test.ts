import { describe, expect, it } from 'vitest';
import { describeDiscordFailure } from '../../src/bot/discord-failure.js';

/** undici's shape: TypeError('fetch failed') with the system error as its cause. */
function fetchFailed(cause: Error & Record<string, unknown>): TypeError {
  return new TypeError('fetch failed', { cause });
}
function sysError(message: string, fields: Record<string, unknown>): Error & Record<string, unknown> {
  return Object.assign(new Error(message), fields);
}

const login = { action: 'log in to Discord' };

describe('describeDiscordFailure', () => {
  it('a rejected token (discord.js TokenInvalid, REST 401, gateway close 4004) → invalid-token, pointing at DISCORD_TOKEN', () => {
    const cases = [
      Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' }),
      Object.assign(new Error('401: Unauthorized'), { status: 401, code: 0 }),
      Object.assign(new Error('Authentication failed.'), { code: 4004 }),
    ];
    for (const err of cases) {
      const f = describeDiscordFailure(err, login);
      expect(f.kind).toBe('invalid-token');
      expect(f.message).toMatch(/^Could not log in to Discord: Discord rejected the bot token.*DISCORD_TOKEN/);
    }
  });

  it('DNS (ENOTFOUND, EAI_AGAIN) → names the host, says the token was not checked, mentions DISCORD_API_BASE only when set', () => {
    const err = fetchFailed(sysError('getaddrinfo EAI_AGAIN discord.com', { code: 'EAI_AGAIN', hostname: 'discord.com' }));
    const plain = describeDiscordFailure(err, login);
    expect(plain).toMatchObject({ kind: 'dns', code: 'EAI_AGAIN' });
    expect(plain.message).toMatch(/discord\.com could not be resolved \(DNS EAI_AGAIN, temporary\).*not about the token/);
    expect(plain.message).not.toContain('DISCORD_API_BASE');
    const proxied = describeDiscordFailure(fetchFailed(sysError('getaddrinfo ENOTFOUND proxy.lan', { code: 'ENOTFOUND', hostname: 'proxy.lan' })), {
      ...login,
      apiBase: 'http://proxy.lan/api',
    });
    expect(proxied.message).toContain('DISCORD_API_BASE (http://proxy.lan/api)');
  });

  it('ECONNREFUSED → the address that refused; timeouts and resets → "did not answer", with the network to check', () => {
    const refused = describeDiscordFailure(fetchFailed(sysError('connect ECONNREFUSED 10.0.0.5:443', { code: 'ECONNREFUSED', address: '10.0.0.5', port: 443 })), login);
    expect(refused).toMatchObject({ kind: 'refused', code: 'ECONNREFUSED' });
    expect(refused.message).toContain('10.0.0.5:443 refused the connection');
    expect(refused.message).toContain('proxy, firewall');
    const timeouts = [
      fetchFailed(Object.assign(sysError('Connect Timeout Error', { code: 'UND_ERR_CONNECT_TIMEOUT' }), { name: 'ConnectTimeoutError' })),
      Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), // @discordjs/rest's request timeout
      fetchFailed(sysError('read ECONNRESET', { code: 'ECONNRESET' })),
    ];
    for (const err of timeouts) {
      const f = describeDiscordFailure(err, login);
      expect(f.kind).toBe('timeout');
      expect(f.message).toMatch(/did not answer in time or dropped the connection.*not about the token.*discordstatus/);
    }
  });

  it("TLS, Discord's own 5xx and anything else are told apart too", () => {
    expect(describeDiscordFailure(fetchFailed(sysError('certificate has expired', { code: 'CERT_HAS_EXPIRED' })), login)).toMatchObject({ kind: 'tls' });
    const outage = describeDiscordFailure(Object.assign(new Error('Service Unavailable'), { status: 503 }), login);
    expect(outage).toMatchObject({ kind: 'discord-error', code: '503' });
    expect(outage.message).toMatch(/on Discord's side.*discordstatus/);
    expect(describeDiscordFailure(new Error('something odd'), login)).toEqual({ kind: 'unknown', code: undefined, message: 'Could not log in to Discord: something odd' });
  });
});
