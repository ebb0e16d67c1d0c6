/**
 * The `Llm` seam: one chat completion, optionally streamed. Implemented by
 * OpenAiCompatibleLlm (llama.cpp server, Ollama, vLLM, hosted APIs) and by fakes in tests.
 * Nothing here knows about papers, Discord or prompts.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Aborting it ends the call with LlmError kind 'aborted'. */
  signal?: AbortSignal;
}

export interface Llm {
  /** The model name sent to the endpoint (for logs and the answer's footer). */
  readonly model: string;
  /**
   * The whole reply text. `onDelta` (streaming only) receives the text so far after each
   * piece arrives. Rejects with LlmError, never with anything else.
   */
  complete(req: CompletionRequest, onDelta?: (textSoFar: string) => void): Promise<string>;
}

/**
 * - timeout: the whole call (connect, first byte, every byte of a stream) took longer than allowed
 * - aborted: the caller's signal ended it
 * - network: no connection (refused, reset, DNS)
 * - http: a non-2xx answer (`status`; `retryAfterMs` from Retry-After on 429/503), or an error object in the stream
 * - malformed: not the protocol (bad JSON, no choices, wrong content type, too large)
 * - empty: a well-formed reply with no text
 * - refused: the API refused (a `refusal` field or finish_reason "content_filter")
 * - cut-off: the stream ended before `data: [DONE]` or a finish_reason
 */
export type LlmErrorKind = 'timeout' | 'aborted' | 'network' | 'http' | 'malformed' | 'empty' | 'refused' | 'cut-off';

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly kind: LlmErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(kind: LlmErrorKind, message: string, extra: { status?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.kind = kind;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
  }
}

export function isLlmError(err: unknown): err is LlmError {
  return err instanceof LlmError;
}
