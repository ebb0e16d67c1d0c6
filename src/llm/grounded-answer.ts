/**
 * A generative answer grounded in retrieved sources, with the extractive answer as the
 * safety net: whatever goes wrong (no endpoint, a timeout, an error, a refusal, an empty
 * or uncitable reply), the caller gets the extractive answer and a reason for its log.
 *
 *   const result = await answerWithFallback({ llm, question, conversation, sources: hits.map(h => h.paper),
 *     timeoutMs, extractive: () => engine.ask(question), onPartial: throttle(editReply, 1000) });
 *   result.path === 'llm' ? result.answer.text / .citations[i].source : result.answer (extractive), result.reason
 */
import { checkAnswer, cleanPartial, type GroundedAnswer, type NotAnsweredReason } from './grounded-check.js';
import { buildGroundedPrompt, type ConversationTurn, type GroundedSource } from './grounded-prompt.js';
import { LlmError, type Llm, type LlmErrorKind } from './types.js';

export { inertMentions } from '../text.js';
export { checkAnswer, cleanPartial, isRefusal, DEFAULT_MAX_ANSWER_CHARS } from './grounded-check.js';
export type { GroundedAnswer, GroundedCitation, NotAnsweredReason } from './grounded-check.js';
export { buildGroundedPrompt, NOT_ANSWERED_SENTENCE, PROMPT_LIMITS } from './grounded-prompt.js';
export type { ConversationTurn, GroundedSource, PromptInput } from './grounded-prompt.js';
export { throttle, type Throttled } from './throttle.js';

/** Enough for five cited sentences (plus a reasoning model's preamble, which is discarded). */
export const DEFAULT_MAX_TOKENS = 700;
const DEFAULT_TEMPERATURE = 0.2;
/** Partial text is cleaned at most this often (a display edits about once a second) … */
const PARTIAL_EVERY_MS = 50;
/** … and from at most this much of the reply, so a runaway stream cannot cost quadratic time. */
const PARTIAL_WINDOW_CHARS = 16_000;

/**
 * Why the extractive answer was used:
 * disabled (no Llm configured), no-sources (nothing retrieved), an LlmErrorKind, 'error'
 * (an Llm that threw something other than LlmError), or what the check found (refusal,
 * uncited, empty).
 */
export type FallbackReason = 'disabled' | 'no-sources' | 'error' | LlmErrorKind | NotAnsweredReason;

export interface FallbackInput<S extends GroundedSource, E> {
  /** Undefined or null: generative answers are off; the extractive answer is returned at once. */
  llm: Llm | null | undefined;
  question: string;
  conversation?: readonly ConversationTurn[];
  /** Numbered 1..n in this order; a Paper fits. */
  sources: readonly S[];
  /** The whole LLM attempt, streaming included. */
  timeoutMs: number;
  extractive: () => Promise<E>;
  /**
   * Cleaned partial text (mentions inert, invalid citations hidden) while the reply streams, at most
   * every 50 ms; best effort — the final text is the result's. Never called after the promise settles.
   */
  onPartial?: (text: string) => void;
  /** Cancels the LLM attempt (then the extractive answer is returned, reason 'aborted'). */
  signal?: AbortSignal;
  maxChars?: number;
  maxTokens?: number;
  temperature?: number;
}

export type FallbackResult<S, E> =
  | { path: 'llm'; answer: GroundedAnswer<S>; model: string; tookMs: number }
  | { path: 'extractive'; answer: E; reason: FallbackReason; detail: string; model?: string; tookMs: number };

export async function answerWithFallback<S extends GroundedSource, E>(input: FallbackInput<S, E>): Promise<FallbackResult<S, E>> {
  const started = performance.now();
  const { llm } = input;
  const fallback = async (reason: FallbackReason, detail: string): Promise<FallbackResult<S, E>> => {
    const answer = await input.extractive();
    return {
      path: 'extractive',
      answer,
      reason,
      detail,
      ...(llm ? { model: llm.model } : {}),
      tookMs: Math.round(performance.now() - started),
    };
  };
  if (!llm) return fallback('disabled', 'no LLM configured');
  if (input.sources.length === 0) return fallback('no-sources', 'nothing retrieved to answer from');

  const attempt = await generate(llm, input);
  if ('failure' in attempt) return fallback(attempt.failure, attempt.detail);
  const answer = checkAnswer(attempt.text, input.sources, input.maxChars === undefined ? {} : { maxChars: input.maxChars });
  if (!answer.answered) return fallback(answer.reason ?? 'uncited', describeUnanswered(answer, attempt.text));
  return { path: 'llm', answer, model: llm.model, tookMs: Math.round(performance.now() - started) };
}

/** One call, bounded by timeoutMs even if the Llm ignores its signal. */
async function generate<S extends GroundedSource, E>(
  llm: Llm,
  input: FallbackInput<S, E>,
): Promise<{ text: string } | { failure: FallbackReason; detail: string }> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  input.signal?.addEventListener('abort', onAbort, { once: true });
  if (input.signal?.aborted) controller.abort();
  let settled = false;
  let lastPartial = '';
  let lastPartialAt = Number.NEGATIVE_INFINITY;
  const partialOptions = input.maxChars === undefined ? {} : { maxChars: input.maxChars };
  const onDelta = input.onPartial
    ? (textSoFar: string) => {
        const now = performance.now();
        if (settled || now - lastPartialAt < PARTIAL_EVERY_MS) return;
        lastPartialAt = now;
        const text = cleanPartial(textSoFar.slice(0, PARTIAL_WINDOW_CHARS), input.sources.length, partialOptions);
        if (!text || text === lastPartial) return;
        lastPartial = text;
        try {
          input.onPartial?.(text);
        } catch {
          // the caller's display trouble must not cost the answer
        }
      }
    : undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new LlmError('timeout', `no complete answer within ${input.timeoutMs} ms`));
    }, input.timeoutMs);
  });
  try {
    const text = await Promise.race([
      llm.complete(
        {
          messages: buildGroundedPrompt(input),
          maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS,
          temperature: input.temperature ?? DEFAULT_TEMPERATURE,
          signal: controller.signal,
        },
        onDelta,
      ),
      deadline,
    ]);
    return { text };
  } catch (err) {
    if (err instanceof LlmError) return { failure: err.kind, detail: err.message };
    return { failure: 'error', detail: err instanceof Error ? err.message : String(err) };
  } finally {
    settled = true;
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
  }
}

function describeUnanswered(answer: GroundedAnswer<unknown>, raw: string): string {
  const chars = raw.trim().length;
  switch (answer.reason) {
    case 'refusal':
      return 'the model said the sources do not answer';
    case 'empty':
      return `no visible text in the reply (${chars} chars before cleaning)`;
    default:
      return `no sentence cited a given source (${answer.droppedSentences} dropped)`;
  }
}
