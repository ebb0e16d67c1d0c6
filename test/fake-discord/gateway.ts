/**
 * The gateway half of the fake: a `ws` server sharing the REST port.
 * Speaks plain JSON (discord.js only asks for zlib-stream when `zlib-sync` is installed; it is not).
 * Sessions outlive sockets, so a dropped client can RESUME and get the dispatches it missed.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import type { Json } from './payloads.js';

export interface GatewayEvent {
  op: 0;
  t: string;
  s: number;
  d: Json;
}

interface Session {
  id: string;
  seq: number;
  /** Every dispatch of this session, for replay on RESUME. */
  log: GatewayEvent[];
  socket: WebSocket | undefined;
  intents: number;
}

export interface GatewayHooks {
  /** READY payload for a fresh session (session_id and resume url are filled in by the gateway). */
  ready(): Json;
  /** GUILD_CREATE payloads sent right after READY. */
  guildCreates(): Json[];
  url(): string;
  /** True when Discord does not know this IDENTIFY token (the session is then closed with 4004). */
  tokenRefused?(token: string): boolean;
  /** Why these IDENTIFY intents are not allowed (the session is then closed with 4014), or undefined if they are. */
  disallowedIntents?(intents: number): string | undefined;
}

export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  /** Query strings the client connected with (e.g. `v=10&encoding=json`). */
  readonly connectQueries: string[] = [];
  identifies = 0;
  resumes = 0;
  /** Raw frames received from the client (op, d), for assertions. */
  readonly received: Json[] = [];
  private readonly listeners = new Set<() => void>();
  private lastIdentifiedIntents = 0;
  private refusing = false;

  constructor(
    server: Server,
    private readonly hooks: GatewayHooks,
    private readonly heartbeatIntervalMs: number,
  ) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.refusing) {
        socket.destroy(); // as if the gateway host were unreachable: the client's connect attempt fails
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
    });
  }

  /** True once some client identified and its socket is open. */
  get connected(): boolean {
    return [...this.sessions.values()].some((s) => s.socket?.readyState === WebSocket.OPEN);
  }

  /** Send a dispatch to every session (buffered for replay if its socket is down). Returns the sequence numbers used. */
  dispatch(event: string, data: Json): number[] {
    if (this.sessions.size === 0) throw new Error(`fake-discord: cannot dispatch ${event}: no client has identified on the gateway yet (log a client in first)`);
    return [...this.sessions.values()].map((s) => this.sendDispatch(s, event, data));
  }

  /**
   * Send each session its own view of an event, built from the intents it identified with; `build` returns
   * undefined to send that session nothing. No sessions → nothing happens (unlike `dispatch`, which throws).
   */
  dispatchFor(event: string, build: (intents: number) => Json | undefined): void {
    for (const s of this.sessions.values()) {
      const data = build(s.intents);
      if (data !== undefined) this.sendDispatch(s, event, data);
    }
  }

  /** Dispatches sent (or buffered) so far, across live sessions, optionally only of one event type, in order. */
  sent(event?: string): GatewayEvent[] {
    const all = [...this.sessions.values()].flatMap((s) => s.log);
    return event ? all.filter((e) => e.t === event) : all;
  }

  /** The intents of the most recent IDENTIFY (0 before any). */
  get lastIntents(): number {
    return this.lastIdentifiedIntents;
  }

  /** Close every client socket: `code` 4000 (or any resumable code) makes discord.js resume; 'abnormal' kills the TCP socket (1006). */
  drop(code: number | 'abnormal' = 4000): void {
    for (const s of this.sessions.values()) {
      const ws = s.socket;
      s.socket = undefined;
      if (!ws) continue;
      if (code === 'abnormal') ws.terminate();
      else ws.close(code, 'fake-discord drop');
    }
  }

  /**
   * While on, new gateway connections fail at once (the socket is destroyed on upgrade), as when the
   * gateway is unreachable; connected sockets are not touched (drop them with `drop`).
   */
  refuseConnections(refuse = true): void {
    this.refusing = refuse;
  }

  /** Send op 9 INVALID_SESSION: resumable → the client RESUMEs on the same socket; not → it reconnects and IDENTIFYs anew. */
  invalidateSession(resumable = false): void {
    for (const [id, s] of this.sessions) {
      if (s.socket) send(s.socket, { op: 9, d: resumable, s: null, t: null });
      if (!resumable) this.sessions.delete(id);
    }
  }

  /** Send op 7 RECONNECT: the client closes the socket itself and resumes on a new one. */
  requestReconnect(): void {
    for (const s of this.sessions.values()) if (s.socket) send(s.socket, { op: 7, d: null, s: null, t: null });
  }

  /** Resolves when `identifies` reaches `count` (default: one more than now). */
  waitForIdentify(count = this.identifies + 1, timeoutMs = 5000): Promise<void> {
    return this.waitUntil(() => this.identifies >= count, `identify #${count}`, timeoutMs);
  }

  /** Resolves when `resumes` reaches `count` (default: one more than now). */
  waitForResume(count = this.resumes + 1, timeoutMs = 5000): Promise<void> {
    return this.waitUntil(() => this.resumes >= count, `resume #${count}`, timeoutMs);
  }

  waitUntil(cond: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!cond()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`fake-discord gateway: no ${what} within ${timeoutMs}ms (identifies: ${this.identifies}, resumes: ${this.resumes})`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.sessions.clear();
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    this.connectQueries.push(new URL(req.url ?? '/', 'http://x').search.slice(1));
    send(ws, { op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null });
    ws.on('message', (raw) => {
      let frame: Json;
      try {
        frame = JSON.parse(raw.toString());
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      this.received.push(frame);
      this.onFrame(ws, frame);
    });
    ws.on('error', () => {}); // a terminated client is normal here
  }

  private onFrame(ws: WebSocket, frame: Json): void {
    switch (frame.op) {
      case 1: // heartbeat
        send(ws, { op: 11, d: null, s: null, t: null });
        return;
      case 2: // identify
        this.identify(ws, frame.d);
        return;
      case 6: // resume
        this.resume(ws, frame.d);
        return;
      default: // presence (3), voice (4), request members (8): accepted, ignored
        return;
    }
  }

  private identify(ws: WebSocket, d: Json): void {
    if (this.hooks.tokenRefused?.(String(d?.token ?? '').replace(/^Bot /, ''))) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    const intents = Number(d?.intents ?? 0);
    const refusal = this.hooks.disallowedIntents?.(intents);
    if (refusal) {
      ws.close(4014, refusal);
      return;
    }
    this.lastIdentifiedIntents = intents;
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, log: [], socket: ws, intents };
    this.sessions.set(session.id, session);
    this.identifies += 1;
    ws.on('close', () => {
      if (session.socket === ws) session.socket = undefined;
    });
    this.sendDispatch(session, 'READY', { ...this.hooks.ready(), session_id: session.id, resume_gateway_url: this.hooks.url() });
    for (const guild of this.hooks.guildCreates()) this.sendDispatch(session, 'GUILD_CREATE', guild);
    this.changed();
  }

  private resume(ws: WebSocket, d: Json): void {
    const session = this.sessions.get(String(d?.session_id));
    if (!session) {
      send(ws, { op: 9, d: false, s: null, t: null }); // invalid session: client re-identifies
      return;
    }
    session.socket = ws;
    ws.on('close', () => {
      if (session.socket === ws) session.socket = undefined;
    });
    const seq = Number(d?.seq ?? 0);
    for (const event of session.log) if (event.s > seq) send(ws, event);
    this.resumes += 1;
    this.sendDispatch(session, 'RESUMED', {});
    this.changed();
  }

  private sendDispatch(session: Session, event: string, data: Json): number {
    session.seq += 1;
    const frame: GatewayEvent = { op: 0, t: event, s: session.seq, d: data };
    session.log.push(frame);
    if (session.socket?.readyState === WebSocket.OPEN) send(session.socket, frame);
    return session.seq;
  }
}

function send(ws: WebSocket, frame: Json): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}
