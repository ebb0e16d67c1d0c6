/**
 * The gateway's part of /healthz: ready only while every shard's session is live. discord.js's
 * client-level status stays "Ready" for good once reached, so this reads each shard's status,
 * which follows drops, resumes, re-identifies and unrecoverable closes (4004 bad token, 4014
 * disallowed intents… after which discord.js gives up and the session is dead until a restart).
 */
import { Events, Status, type Client } from 'discord.js';
import type { HealthCheck } from '../health.js';

export interface GatewayCheck extends HealthCheck {
  /** ready, connecting, resuming, identifying, disconnected (gave up), … or "not logged in". */
  status: string;
  /** When the gateway last became ready or lost its session (ISO), if it has yet. */
  since?: string;
  /** The last close discord.js will not recover from, if any. */
  lastFatalClose?: { code: number; at: string };
}

export function gatewayCheck(client: Client, now: () => Date = () => new Date()): () => GatewayCheck {
  let since: string | undefined;
  let lastFatalClose: GatewayCheck['lastFatalClose'];
  const changed = () => (since = now().toISOString());
  client.on(Events.ShardReady, changed);
  client.on(Events.ShardResume, changed);
  client.on(Events.ShardReconnecting, changed);
  client.on(Events.ShardDisconnect, (event) => {
    changed();
    lastFatalClose = { code: event.code, at: since! };
  });
  return () => {
    const statuses = [...client.ws.shards.values()].map((shard) => shard.status);
    const ok = statuses.length > 0 && statuses.every((s) => s === Status.Ready);
    const worst = statuses.find((s) => s !== Status.Ready);
    const status = statuses.length === 0 ? 'not logged in' : ok ? 'ready' : String(Status[worst!] ?? worst).toLowerCase();
    return { ok, status, ...(since ? { since } : {}), ...(lastFatalClose ? { lastFatalClose } : {}) };
  };
}
