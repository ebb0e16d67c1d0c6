/**
 * The node:http server under every upstream fake here (arXiv, Hugging Face, RSS): a random port on
 * 127.0.0.1, a record of every request (arrival time, User-Agent), and faults on demand.
 *
 *   const server = await startHttpFake(handler)      // handler(url, ctx) → { status, body, headers? }
 *   server.origin                                    // http://127.0.0.1:PORT
 *   server.requests                                  // [{ at (performance.now()), method, path, query, userAgent, status }]
 *   server.fail({ kind: 'status', status: 429, retryAfter: 1, times: 2 })   // then normal answers
 *   server.fail({ kind: 'status', status: 503, times: Infinity })           // for ever
 *   server.fail({ kind: 'slow', delayMs: 500 })      // answers, but only after delayMs
 *   server.fail({ kind: 'hangup' })                  // closes the socket without an answer
 *   server.fail({ kind: 'malformed' })               // 200 with a broken body (or `body`)
 *   server.fail({ kind: 'truncated' })               // promises the full length, sends half, drops the connection
 *   server.fail({ kind: 'truncated', mode: 'body' }) // a complete answer holding half the document
 *   server.fail({ kind: 'duplicate' })               // passed to the handler (ctx.fault): list items twice
 *   server.down('refuse' | 'reset'); server.up()     // connection refused / accepted then dropped
 *   server.faultsPending(); server.clearFaults(); await server.close()
 * Faults queue in order; each applies to the next `times` requests (default 1).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number | string; body?: string; times?: number }
  | { kind: 'slow'; delayMs: number; times?: number }
  | { kind: 'hangup'; times?: number }
  | { kind: 'malformed'; body?: string; times?: number }
  | { kind: 'truncated'; mode?: 'socket' | 'body'; times?: number }
  | { kind: 'duplicate'; times?: number };

export interface RecordedRequest {
  /** performance.now() when the request arrived. */
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  userAgent: string | undefined;
  /** The status sent, or what happened instead. */
  status: number | 'hangup' | 'truncated' | 'reset';
}

export interface FakeAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface HandlerContext {
  /** A fault the generic layer does not apply itself (e.g. 'duplicate'), for this request. */
  fault?: Fault;
}

export type FakeHandler = (url: URL, ctx: HandlerContext) => FakeAnswer;

export interface HttpFake {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  fail(fault: Fault): void;
  faultsPending(): number;
  clearFaults(): void;
  down(mode?: 'refuse' | 'reset'): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Breaks a document so no parser accepts it: XML gets a mangled closing tag, JSON a dangling comma. */
export function corrupt(body: string): string {
  if (/^\s*[[{]/.test(body)) return `${body.trimEnd().slice(0, -1)},`;
  const i = body.indexOf('</', body.indexOf('<entry') + 1);
  return i === -1 ? `${body}<` : `${body.slice(0, i)}</ ${body.slice(i + 2)}`;
}

export async function startHttpFake(handler: FakeHandler): Promise<HttpFake> {
  const requests: RecordedRequest[] = [];
  const faults: (Fault & { left: number })[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let resetting = false;
  let port = 0;

  function takeFault(): Fault | undefined {
    const f = faults[0];
    if (!f) return undefined;
    f.left--;
    if (f.left <= 0) faults.shift();
    return f;
  }

  function answer(res: ServerResponse, rec: RecordedRequest, a: FakeAnswer): void {
    rec.status = a.status;
    const body = Buffer.from(a.body, 'utf8');
    res.writeHead(a.status, { 'content-length': String(body.length), ...a.headers });
    res.end(body);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: RecordedRequest = {
      at: performance.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      userAgent: req.headers['user-agent'],
      status: 0,
    };
    requests.push(rec);
    const fault = takeFault();
    const normal = (ctx: HandlerContext = {}) => handler(url, ctx);
    switch (fault?.kind) {
      case undefined:
        return answer(res, rec, normal());
      case 'status': {
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        return answer(res, rec, { status: fault.status, body: fault.body ?? 'Rate exceeded.', headers });
      }
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer(res, rec, normal());
        }, fault.delayMs);
        timers.add(timer);
        req.socket.once('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'hangup':
        rec.status = 'hangup';
        req.socket.destroy();
        return;
      case 'malformed': {
        const a = normal();
        return answer(res, rec, { ...a, status: 200, body: fault.body ?? corrupt(a.body) });
      }
      case 'truncated': {
        const a = normal();
        const full = Buffer.from(a.body, 'utf8');
        const half = full.subarray(0, Math.floor(full.length / 2));
        if (fault.mode === 'body') return answer(res, rec, { ...a, body: half.toString('utf8') });
        rec.status = 'truncated';
        res.writeHead(a.status, { ...a.headers, 'content-length': String(full.length) });
        res.write(half, () => res.socket?.destroy());
        return;
      }
      default:
        return answer(res, rec, normal({ fault }));
    }
  }

  const server: Server = createServer(handle);
  server.keepAliveTimeout = 1000;
  server.on('connection', (socket: Socket) => {
    if (resetting) {
      requests.push({ at: performance.now(), method: '?', path: '?', query: new URLSearchParams(), userAgent: undefined, status: 'reset' });
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  function stop(): Promise<void> {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  await listen();
  return {
    get origin() {
      return `http://127.0.0.1:${port}`;
    },
    requests,
    fail(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    faultsPending: () => faults.reduce((n, f) => n + (Number.isFinite(f.left) ? f.left : 1e9), 0),
    clearFaults() {
      faults.length = 0;
    },
    async down(mode = 'refuse') {
      if (mode === 'reset') {
        resetting = true;
        for (const s of sockets) s.destroy();
      } else {
        await stop();
      }
    },
    async up() {
      resetting = false;
      if (!server.listening) await listen();
    },
    close: stop,
  };
}
