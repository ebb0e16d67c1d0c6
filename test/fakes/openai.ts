/**
 * Fake OpenAI-compatible server (node:http on 127.0.0.1, random port) speaking the real
 * chat-completions protocol, for the LLM client and the grounded answerer. No network.
 *
 *   const fake = await startFakeOpenAi({ apiKey: 'sk-test', models: ['fake-model'] });
 *   const llm = OpenAiCompatibleLlm.create({ baseUrl: fake.baseUrl, model: 'fake-model', apiKey: 'sk-test', timeoutMs: 500 });
 *   fake.script({ kind: 'reply', text: 'Answer [1].', chunkSize: 3 });   // one script per chat request, in order
 *   ...; fake.requests / fake.chatRequests() / userPrompt(req); await fake.close();
 *
 * Routes: POST /v1/chat/completions (stream: true → SSE `data: {chunk}` events, a role-only first delta,
 * content deltas, a finish_reason chunk, `data: [DONE]`; otherwise one chat.completion JSON), GET /v1/models.
 * Like the real service: a wrong/missing key → 401 (OpenAI error JSON), unknown model → 404 model_not_found,
 * a body that is not JSON or has no messages → 400, max_tokens cuts the reply (≈ one token per word) with
 * finish_reason "length", unknown routes → 404. Requests are recorded (headers lower-cased, body parsed).
 * When no script is queued, `defaultScript` answers (a fixed cited reply unless set).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string with its "?", or "". */
  query: string;
  headers: Record<string, string>;
  /** Parsed JSON body, when it was JSON. */
  body: unknown;
  at: number;
  /** The client went away before the response was complete (its timeout or abort closed the connection). */
  abandoned: boolean;
}

export type ReplyText = string | ((req: RecordedRequest) => string);

interface StreamShape {
  /** Content characters per SSE event (default 8). */
  chunkSize?: number;
  /** Pause between events (default 0). */
  delayMs?: number;
  /** Pause before the status line (a slow first byte). */
  firstByteDelayMs?: number;
  /** CRLF line ends instead of LF. */
  crlf?: boolean;
  /** A `: keep-alive` comment before every event. */
  keepAlives?: boolean;
  /** Write the wire bytes in slices of this many bytes (split anywhere, even inside UTF-8). */
  splitBytes?: number;
}

export type Script =
  /**
   * A normal reply. `finishReason` default "stop"; `omitDone` leaves out `data: [DONE]`, `omitFinish` the
   * finish_reason chunk (both: a stream that ends cleanly but incomplete); `usageChunk` adds a choices-less usage chunk.
   */
  | ({ kind: 'reply'; text: ReplyText; finishReason?: 'stop' | 'length' | 'content_filter'; omitDone?: boolean; omitFinish?: boolean; usageChunk?: boolean } & StreamShape)
  /** An error status with an OpenAI error body (e.g. 429 with Retry-After, 500, 503). */
  | { kind: 'status'; status: number; retryAfter?: string; message?: string; rawBody?: string; contentType?: string }
  /** Streams the first `afterChars` of the text, then never sends another byte (connection stays open). */
  | ({ kind: 'stall'; text: ReplyText; afterChars: number } & StreamShape)
  /** After `afterChars`, an event whose JSON is broken. */
  | ({ kind: 'malformed'; text: ReplyText; afterChars: number } & StreamShape)
  /** After `afterChars`, the socket is destroyed: no finish_reason, no [DONE]. */
  | ({ kind: 'cut-off'; text: ReplyText; afterChars: number } & StreamShape)
  /** After `afterChars`, an `{ error }` object in the stream (as vLLM and llama.cpp send). */
  | ({ kind: 'stream-error'; text: ReplyText; afterChars: number; message: string } & StreamShape)
  /** The API's own refusal (`refusal` field instead of content). */
  | { kind: 'refusal-field'; refusal: string }
  /** Accepts the connection and the request, never answers. */
  | { kind: 'black-hole' };

export interface FakeOpenAiOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  models?: string[];
  /** A 401 echoes the key it was given in full (some proxies do), to test that clients never repeat it. */
  echoKeyInErrors?: boolean;
}

export interface FakeOpenAi {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Queue scripts; each chat request takes the next one. */
  script(...scripts: Script[]): void;
  defaultScript: Script;
  chatRequests(): RecordedRequest[];
  /** Forget queued scripts and recorded requests (between tests). */
  reset(): void;
  /** Open connections right now (idle keep-alive ones included). */
  openConnections(): number;
  close(): Promise<void>;
}

export const DEFAULT_REPLY = 'The sources describe the method [1].';

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const models = options.models ?? ['fake-model'];
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let counter = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      const url = new URL(req.url ?? '/', 'http://x');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search, headers, body, at: Date.now(), abandoned: false };
      requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) recorded.abandoned = true;
      });
      void route(recorded, raw, res).catch(() => res.destroy());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const fake: FakeOpenAi = {
    baseUrl: '',
    port: 0,
    requests,
    script: (...scripts) => queue.push(...scripts),
    defaultScript: { kind: 'reply', text: DEFAULT_REPLY },
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    openConnections: () => sockets.size,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function route(req: RecordedRequest, raw: string, res: http.ServerResponse): Promise<void> {
    if (!authorised(req)) {
      const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      const shown = options.echoKeyInErrors ? given : `${given.slice(0, 3)}…${given.slice(-4)}`;
      return sendError(res, 401, `Incorrect API key provided: ${shown}`, 'invalid_request_error', 'invalid_api_key');
    }
    if (req.method === 'GET' && req.path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
    }
    if (req.path !== '/v1/chat/completions') return sendError(res, 404, `Unknown route ${req.method} ${req.path}`, 'invalid_request_error', null);
    if (req.method !== 'POST') return sendError(res, 405, 'Method not allowed', 'invalid_request_error', null);
    const problem = validate(req.body, raw);
    if (problem) return sendError(res, problem.status, problem.message, 'invalid_request_error', problem.code);
    const script = queue.shift() ?? fake.defaultScript;
    const body = req.body as { model: string; stream?: boolean; max_tokens?: number };
    await play(script, req, body, res);
  }

  function authorised(req: RecordedRequest): boolean {
    if (!options.apiKey) return true;
    return req.headers.authorization === `Bearer ${options.apiKey}`;
  }

  function validate(body: unknown, raw: string): { status: number; message: string; code: string | null } | undefined {
    if (body === undefined || typeof body !== 'object' || body === null) {
      return { status: 400, message: raw ? 'We could not parse the JSON body of your request.' : 'Request body is required.', code: null };
    }
    const b = body as Record<string, unknown>;
    if (typeof b.model !== 'string' || !b.model) return { status: 400, message: "Missing required parameter: 'model'.", code: null };
    if (!models.includes(b.model)) return { status: 404, message: `The model \`${b.model}\` does not exist.`, code: 'model_not_found' };
    const messages = b.messages;
    if (!Array.isArray(messages) || messages.length === 0) return { status: 400, message: "'messages' must be a non-empty array.", code: null };
    for (const m of messages) {
      const ok = typeof m === 'object' && m !== null && ['system', 'user', 'assistant', 'developer', 'tool'].includes((m as { role?: string }).role ?? '') &&
        typeof (m as { content?: unknown }).content === 'string';
      if (!ok) return { status: 400, message: "Each message needs a valid 'role' and string 'content'.", code: null };
    }
    if (b.max_tokens !== undefined && (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 1)) {
      return { status: 400, message: "'max_tokens' must be a positive integer.", code: null };
    }
    return undefined;
  }

  async function play(script: Script, req: RecordedRequest, body: { model: string; stream?: boolean; max_tokens?: number }, res: http.ServerResponse): Promise<void> {
    if (script.kind === 'black-hole') return; // never answer; the socket stays open until the client gives up
    if (script.kind === 'status') {
      if (script.retryAfter !== undefined) res.setHeader('retry-after', script.retryAfter);
      if (script.rawBody !== undefined) {
        res.writeHead(script.status, { 'content-type': script.contentType ?? 'text/html' });
        res.end(script.rawBody);
        return;
      }
      const type = script.status === 429 ? 'rate_limit_exceeded' : script.status >= 500 ? 'server_error' : 'invalid_request_error';
      return sendError(res, script.status, script.message ?? http.STATUS_CODES[script.status] ?? 'error', type, null);
    }
    const id = `chatcmpl-fake${++counter}`;
    const created = Math.floor(Date.now() / 1000);
    if (script.kind === 'refusal-field') {
      if (!body.stream) {
        return sendJson(res, 200, completion(id, created, body.model, { role: 'assistant', content: null, refusal: script.refusal }, 'stop'));
      }
      await stream(res, {}, [JSON.stringify(chunk(id, created, body.model, { role: 'assistant', content: null, refusal: script.refusal }, 'stop')), '[DONE]']);
      res.end();
      return;
    }

    let text = typeof script.text === 'function' ? script.text(req) : script.text;
    let finish: string = script.kind === 'reply' ? (script.finishReason ?? 'stop') : 'stop';
    if (body.max_tokens !== undefined) {
      const tokens = text.match(/\s*\S+/g) ?? [];
      if (tokens.length > body.max_tokens) {
        text = tokens.slice(0, body.max_tokens).join('');
        finish = 'length';
      }
    }
    await sleep(script.firstByteDelayMs ?? 0);
    if (res.destroyed) return;

    const limit = script.kind === 'reply' ? text.length : Math.min(script.afterChars, text.length);
    if (!body.stream) return playWhole(script, res, text, limit, completion(id, created, body.model, { role: 'assistant', content: text, refusal: null }, finish));

    const size = Math.max(1, script.chunkSize ?? 8);
    const events: string[] = [JSON.stringify(chunk(id, created, body.model, { role: 'assistant', content: '' }, null))];
    for (let i = 0; i < limit; i += size) {
      events.push(JSON.stringify(chunk(id, created, body.model, { content: text.slice(i, Math.min(limit, i + size)) }, null)));
    }
    if (script.kind === 'reply') {
      if (!script.omitFinish) events.push(JSON.stringify(chunk(id, created, body.model, {}, finish)));
      if (script.usageChunk) events.push(JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
      if (!script.omitDone) events.push('[DONE]');
    } else if (script.kind === 'malformed') {
      events.push(`{"id":"${id}","choices":[{"index":0,"delta":{"content":"oops"`);
    } else if (script.kind === 'stream-error') {
      events.push(JSON.stringify({ error: { message: script.message, type: 'server_error', code: 500 } }));
    }
    await stream(res, script, events);
    if (res.destroyed) return;
    if (script.kind === 'stall') return; // headers and some events sent; nothing more, ever
    if (script.kind === 'cut-off') return destroyAfterFlush(res);
    res.end();
  }

  /** A non-streamed reply: whole, or broken like its script says. */
  function playWhole(script: Script, res: http.ServerResponse, text: string, limit: number, whole: object): void {
    if (script.kind === 'reply') return sendJson(res, 200, whole);
    const json = JSON.stringify(whole);
    const open = '"content":"';
    const partial = json.slice(0, json.indexOf(open) + open.length) + JSON.stringify(text.slice(0, limit)).slice(1, -1);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (script.kind === 'stall') {
      res.write(partial);
      return;
    }
    if (script.kind === 'cut-off') {
      res.write(partial);
      return destroyAfterFlush(res);
    }
    if (script.kind === 'stream-error') return void res.end(JSON.stringify({ error: { message: script.message, type: 'server_error', code: 500 } }));
    res.end(`${partial}"oops`); // malformed
  }

  async function stream(res: http.ServerResponse, shape: StreamShape, events: string[]): Promise<void> {
    const nl = shape.crlf ? '\r\n' : '\n';
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    for (const [i, event] of events.entries()) {
      if (res.destroyed) return;
      if (i > 0) await sleep(shape.delayMs ?? 0);
      if (res.destroyed) return;
      const wire = Buffer.from(`${shape.keepAlives ? `: keep-alive${nl}${nl}` : ''}data: ${event}${nl}${nl}`, 'utf8');
      const step = shape.splitBytes ?? wire.length;
      for (let at = 0; at < wire.length; at += step) {
        res.write(wire.subarray(at, at + step));
        if (step < wire.length) await new Promise((r) => setImmediate(r));
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  fake.port = port;
  fake.baseUrl = `http://127.0.0.1:${port}/v1`;
  return fake;
}

function chunk(id: string, created: number, model: string, delta: object, finish: string | null): object {
  return { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

function completion(id: string, created: number, model: string, message: object, finish: string): object {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

/** Close the socket mid-response once what was written has left (no final chunk, no [DONE]). */
function destroyAfterFlush(res: http.ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  socket.write('', () => socket.destroy());
}

function sendJson(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: http.ServerResponse, status: number, message: string, type: string, code: string | null): void {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

/** The messages of a recorded chat request. */
export function messagesOf(req: RecordedRequest): { role: string; content: string }[] {
  return ((req.body as { messages?: { role: string; content: string }[] } | undefined)?.messages ?? []).slice();
}

/** The last user message of a recorded chat request (where the grounded prompt puts its data). */
export function userPrompt(req: RecordedRequest): string {
  return messagesOf(req).filter((m) => m.role === 'user').at(-1)?.content ?? '';
}
