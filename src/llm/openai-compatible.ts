/**
 * An `Llm` over any OpenAI-compatible chat-completions endpoint: llama.cpp server,
 * Ollama (/v1), vLLM, LM Studio or a hosted API. Streams by default (SSE), reads a
 * plain JSON reply too. One timeout covers the whole call, including a stream that
 * stalls half-way. Every failure is an LlmError; the API key goes only into the
 * Authorization header and never into a message.
 */
import { checkBaseUrl, parseRetryAfter } from '../upstream/http.js';
import { SseReader } from './sse.js';
import { LlmError, type CompletionRequest, type Llm } from './types.js';

export interface OpenAiCompatibleOptions {
  /** Up to and including the version segment, e.g. http://127.0.0.1:8080/v1 */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string;
  /** Whole call, first byte to last. */
  timeoutMs: number;
  /** Ask for a stream (default true). A server that answers with plain JSON anyway is understood. */
  stream?: boolean;
  /** Replies larger than this are refused as malformed (default 1 MB). */
  maxResponseBytes?: number;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1_000_000;
const ERROR_BODY_BYTES = 4096;
const MESSAGE_EXCERPT = 200;

type Json = Record<string, unknown>;

export class OpenAiCompatibleLlm implements Llm {
  readonly model: string;
  private readonly endpoint: string;
  /** The base URL's query (some gateways want e.g. ?api-version=…); kept out of messages. */
  private readonly query: string;
  private readonly label: string;

  private constructor(private readonly options: OpenAiCompatibleOptions) {
    this.model = options.model;
    const base = checkBaseUrl(options.baseUrl, 'LLM_BASE_URL');
    if (base.username || base.password) throw new Error('LLM_BASE_URL must not contain credentials; put the key in LLM_API_KEY');
    base.pathname = base.pathname.replace(/\/+$/, '');
    this.endpoint = `${base.origin}${base.pathname}`;
    this.query = base.search;
    this.label = this.endpoint; // no query string, no credentials: safe for messages
    if (!(options.timeoutMs > 0)) throw new TypeError('LLM timeout must be a positive number of milliseconds');
  }

  static create(options: OpenAiCompatibleOptions): OpenAiCompatibleLlm {
    return new OpenAiCompatibleLlm(options);
  }

  /** The model ids the endpoint lists (GET /models), for a start-up check. */
  async models(signal?: AbortSignal): Promise<string[]> {
    return this.call(signal, async (ctl) => {
      const res = await this.send(`${this.endpoint}/models${this.query}`, { method: 'GET', headers: this.headers('application/json'), signal: ctl });
      const body = await this.readJson(res, ctl);
      const data = body.data;
      if (!Array.isArray(data)) throw new LlmError('malformed', `${this.label}/models did not return a model list`);
      return data.flatMap((m) => (isObject(m) && typeof m.id === 'string' ? [m.id] : []));
    });
  }

  complete(req: CompletionRequest, onDelta?: (textSoFar: string) => void): Promise<string> {
    const stream = this.options.stream ?? true;
    const body: Json = { model: this.model, messages: req.messages, stream };
    if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
    if (req.temperature !== undefined) body.temperature = req.temperature;
    return this.call(req.signal, async (ctl) => {
      const res = await this.send(`${this.endpoint}/chat/completions${this.query}`, {
        method: 'POST',
        headers: { ...this.headers(stream ? 'text/event-stream, application/json' : 'application/json'), 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: ctl,
      });
      const type = res.headers.get('content-type') ?? '';
      if (type.includes('text/event-stream')) return this.readStream(res, ctl, onDelta);
      if (type.includes('json')) return completionText(await this.readJson(res, ctl), this.label);
      await res.body?.cancel().catch(() => undefined);
      throw new LlmError('malformed', `${this.label} answered with content type "${excerpt(type) || 'none'}", not JSON or an event stream`);
    });
  }

  // -------------------------------------------------------------------------

  /** Runs `work` under one timeout and the caller's signal; turns every failure into a key-free LlmError. */
  private async call<T>(callerSignal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const onCallerAbort = () => controller.abort();
    if (callerSignal?.aborted) controller.abort();
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      return await work(controller.signal);
    } catch (err) {
      throw this.scrub(this.classify(err, timedOut, Boolean(callerSignal?.aborted)));
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private classify(err: unknown, timedOut: boolean, callerAborted: boolean): LlmError {
    if (timedOut) return new LlmError('timeout', `${this.label} did not finish within ${this.options.timeoutMs} ms`);
    if (callerAborted) return new LlmError('aborted', `call to ${this.label} was cancelled`);
    if (err instanceof LlmError) return err;
    return new LlmError('network', `could not reach ${this.label}: ${describe(err)}`);
  }

  private scrub(err: LlmError): LlmError {
    const key = this.options.apiKey;
    if (!key || !err.message.includes(key)) return err;
    return new LlmError(err.kind, err.message.split(key).join('[REDACTED]'), err);
  }

  private headers(accept: string): Record<string, string> {
    const headers: Record<string, string> = { accept };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    return headers;
  }

  /** fetch, with non-2xx answers turned into 'http' errors (server message and Retry-After kept). */
  private async send(url: string, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
    const res = await (this.options.fetch ?? fetch)(url, init);
    if (res.ok) return res;
    const text = await readCapped(res, init.signal, ERROR_BODY_BYTES, false).catch(() => '');
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    const detail = serverMessage(text);
    throw new LlmError('http', `${this.label} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`, {
      status: res.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  private async readJson(res: Response, signal: AbortSignal): Promise<Json> {
    const text = await readCapped(res, signal, this.maxBytes(), true).catch((err: unknown) => {
      throw bodyError(err, this.label);
    });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new LlmError('malformed', `${this.label} sent a reply that is not valid JSON`);
    }
    if (!isObject(body)) throw new LlmError('malformed', `${this.label} sent JSON that is not an object`);
    const error = errorOf(body);
    if (error) throw streamedError(error, this.label);
    return body;
  }

  private async readStream(res: Response, signal: AbortSignal, onDelta?: (textSoFar: string) => void): Promise<string> {
    if (!res.body) throw new LlmError('malformed', `${this.label} sent an empty stream`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    const sse = new SseReader();
    let text = '';
    let bytes = 0;
    let finished = false;
    const handle = (data: string): void => {
      if (finished || data.trim() === '') return; // an empty event is a keep-alive
      if (data.trim() === '[DONE]') {
        finished = true;
        return;
      }
      const before = text.length;
      const chunk = parseChunk(data, this.label);
      text += chunk.content;
      if (chunk.finishReason !== undefined) {
        if (chunk.finishReason === 'content_filter') throw new LlmError('refused', `${this.label} withheld the answer (content filter)`);
        finished = true;
      }
      if (text.length > before) onDelta?.(text);
    };
    try {
      while (!finished) {
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (err) {
          throw bodyError(err, this.label);
        }
        if (step.done) {
          const rest = sse.push(decoder.decode());
          rest.forEach(handle);
          const pending = sse.end();
          if (pending !== undefined && isWhole(pending)) handle(pending);
          break;
        }
        bytes += step.value.byteLength;
        if (bytes > this.maxBytes()) throw new LlmError('malformed', `${this.label} sent more than ${this.maxBytes()} bytes`);
        for (const data of sse.push(decoder.decode(step.value, { stream: true }))) {
          handle(data);
          if (finished) break;
        }
      }
    } finally {
      if (!signal.aborted) reader.cancel().catch(() => undefined);
    }
    if (!finished) throw new LlmError('cut-off', `${this.label} ended the stream before it was complete`);
    if (text.trim() === '') throw new LlmError('empty', `${this.label} returned an empty answer`);
    return text;
  }

  private maxBytes(): number {
    return this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }
}

// ---------------------------------------------------------------------------
// Protocol

function parseChunk(data: string, label: string): { content: string; finishReason?: string } {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    throw new LlmError('malformed', `${label} sent a stream chunk that is not valid JSON`);
  }
  if (!isObject(event)) throw new LlmError('malformed', `${label} sent a stream chunk that is not an object`);
  const error = errorOf(event);
  if (error) throw streamedError(error, label);
  const choice = firstChoice(event);
  if (!choice) return { content: '' }; // a usage-only or keep-alive chunk
  const delta = isObject(choice.delta) ? choice.delta : {};
  if (typeof delta.refusal === 'string' && delta.refusal.trim()) {
    throw new LlmError('refused', `${label} refused: ${excerpt(delta.refusal)}`);
  }
  const content = typeof delta.content === 'string' ? delta.content : '';
  const reason = typeof choice.finish_reason === 'string' && choice.finish_reason ? choice.finish_reason : undefined;
  return reason === undefined ? { content } : { content, finishReason: reason };
}

function completionText(body: Json, label: string): string {
  const choice = firstChoice(body);
  if (!choice || !isObject(choice.message)) throw new LlmError('malformed', `${label} sent a reply without choices[0].message`);
  const message = choice.message;
  if (typeof message.refusal === 'string' && message.refusal.trim()) {
    throw new LlmError('refused', `${label} refused: ${excerpt(message.refusal)}`);
  }
  if (choice.finish_reason === 'content_filter') throw new LlmError('refused', `${label} withheld the answer (content filter)`);
  const content = message.content;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    throw new LlmError('malformed', `${label} sent a reply whose content is not text`);
  }
  if (!content || !content.trim()) throw new LlmError('empty', `${label} returned an empty answer`);
  return content;
}

function firstChoice(body: Json): Json | undefined {
  if (!Array.isArray(body.choices)) return undefined;
  const choices = body.choices.filter(isObject);
  return choices.find((c) => (c.index ?? 0) === 0) ?? choices[0];
}

/** `{ "error": { … } }` (OpenAI, llama.cpp) or `{ "object": "error", "message", "code" }` (vLLM). */
function errorOf(body: Json): Json | undefined {
  if (isObject(body.error)) return body.error;
  return body.object === 'error' ? body : undefined;
}

/** An error object as a body or inside a stream. */
function streamedError(error: Json, label: string): LlmError {
  const status = typeof error.code === 'number' ? error.code : typeof error.status === 'number' ? error.status : undefined;
  const message = typeof error.message === 'string' ? excerpt(error.message) : 'unknown error';
  return new LlmError('http', `${label} reported an error: ${message}`, status === undefined ? {} : { status });
}

/** A pending event at end of stream that is whole on its own (not a torn JSON object). */
function isWhole(data: string): boolean {
  if (data.trim() === '[DONE]') return true;
  try {
    JSON.parse(data);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Helpers

async function readCapped(res: Response, signal: AbortSignal, maxBytes: number, strict: boolean): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      bytes += step.value.byteLength;
      if (bytes > maxBytes) {
        if (strict) throw new LlmError('malformed', `reply larger than ${maxBytes} bytes`);
        text += decoder.decode(step.value.subarray(0, Math.max(0, step.value.byteLength - (bytes - maxBytes))));
        break;
      }
      text += decoder.decode(step.value, { stream: true });
    }
  } finally {
    if (!signal.aborted) reader.cancel().catch(() => undefined);
  }
  return text + decoder.decode();
}

/** A body that broke off while being read (socket closed, reset). */
function bodyError(err: unknown, label: string): LlmError {
  if (err instanceof LlmError) return err;
  return new LlmError('cut-off', `${label} closed the connection mid-reply (${describe(err)})`);
}

function serverMessage(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    if (isObject(body)) {
      if (isObject(body.error) && typeof body.error.message === 'string') return excerpt(body.error.message);
      if (typeof body.error === 'string') return excerpt(body.error);
      if (typeof body.message === 'string') return excerpt(body.message);
    }
  } catch {
    // not JSON: a proxy's HTML or plain text
  }
  return excerpt(text.replace(/<[^>]*>/g, ' '));
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = isObject(cause) && typeof cause.code === 'string' ? cause.code : undefined;
  const causeMessage = cause instanceof Error ? cause.message : undefined;
  return excerpt(code ?? causeMessage ?? err.message);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MESSAGE_EXCERPT ? `${flat.slice(0, MESSAGE_EXCERPT - 1)}…` : flat;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
