/** A tiny HTTP health endpoint for orchestrators: GET /healthz (or /health). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
