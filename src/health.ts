/** A tiny HTTP health endpoint for orchestrators: GET /healthz (or /health). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One part of readiness (the process, the gateway, the engine): ok or not, plus what it saw. */
export interface HealthCheck {
  ok: boolean;
  [detail: string]: unknown;
}

/**
 * Ready when every check is ok; the details name each check's state, so a 503 says why. A check
 * that throws is not ok. Checks may be added to `checks` later (as the parts they watch start).
 */
export function readiness(checks: Record<string, () => HealthCheck>): () => { ready: boolean; details: Record<string, HealthCheck> } {
  return () => {
    const details: Record<string, HealthCheck> = {};
    for (const [name, check] of Object.entries(checks)) {
      try {
        details[name] = check();
      } catch (err) {
        details[name] = { ok: false, error: (err as Error).message };
      }
    }
    return { ready: Object.values(details).every((d) => d.ok), details };
  };
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(port: number, status: () => { ready: boolean; details?: object }, host = '0.0.0.0'): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/healthz' && path !== '/health') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
      return;
    }
    let body: object;
    let code: number;
    try {
      const s = status();
      code = s.ready ? 200 : 503;
      body = { status: s.ready ? 'ready' : 'not ready', ...(s.details ? { details: s.details } : {}) };
    } catch (err) {
      code = 503;
      body = { status: 'not ready', error: (err as Error).message };
    }
    res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
