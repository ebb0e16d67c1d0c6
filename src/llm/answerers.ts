/**
 * Generative answers where the bot (and any other front end) needs them, each over
 * answerWithFallback: the extractive answer stays the safety net.
 *
 *  - LlmAnswerer: the conversation layer's `Answerer` for ask-type turns (recent turns +
 *    the papers of the extractive reply and the focus as sources).
 *  - askGenerative: /ask — sources retrieved with `find`, the extractive `ask` as fallback,
 *    the result in the AskResult shape the views already render.
 */
import type { Paper } from '../collection/types.js';
import * as compose from '../conversation/compose.js';
import type { AnsweredBy, Answerer, AnswererInput, ConversationTurnResult } from '../conversation/types.js';
import type { AskResult, Engine } from '../engine/types.js';
import { answerWithFallback, type FallbackResult, type ConversationTurn } from './grounded-answer.js';
import type { Llm } from './types.js';

/** Papers retrieved as sources for /ask. */
export const ASK_SOURCES = 5;

export interface GenerativeOptions {
  llm: Llm;
  /** The whole generative attempt; then the extractive answer. */
  timeoutMs: number;
}

function answeredBy(result: FallbackResult<unknown, unknown>): AnsweredBy {
  return result.path === 'llm'
    ? { path: 'llm', model: result.model, tookMs: result.tookMs }
    : { path: 'extractive', reason: result.reason, detail: result.detail, ...(result.model ? { model: result.model } : {}), tookMs: result.tookMs };
}

export class LlmAnswerer implements Answerer {
  constructor(private readonly options: GenerativeOptions) {}

  async answer(input: AnswererInput): Promise<ConversationTurnResult> {
    const conversation: ConversationTurn[] = input.turns.map((t) => ({ role: t.role === 'bot' ? 'assistant' : 'user', text: t.text }));
    const result = await answerWithFallback<Paper, ConversationTurnResult>({
      llm: this.options.llm,
      question: input.question,
      conversation,
      sources: input.sources,
      timeoutMs: this.options.timeoutMs,
      extractive: async () => input.extractive,
      ...(input.onPartial ? { onPartial: input.onPartial } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    if (result.path === 'extractive') return { ...result.answer, answeredBy: answeredBy(result) };
    const cited = [...result.answer.citations].sort((a, b) => a.n - b.n).map((c) => c.source);
    // The model's sentences with their sources listed under them, and the other papers of the extractive reply after.
    const composed = compose.answer(result.answer.text, cited, input.extractive.papers);
    return { ...composed, answered: true, kind: 'ask', answeredBy: answeredBy(result) };
  }
}

/** /ask with a model: the answer in AskResult's shape, and how it was written. */
export async function askGenerative(
  engine: Engine,
  question: string,
  options: GenerativeOptions & { onPartial?: (text: string) => void },
): Promise<{ result: AskResult; by: AnsweredBy }> {
  const started = performance.now();
  const sources = (await engine.find(question, { k: ASK_SOURCES })).hits.map((h) => h.paper);
  const result = await answerWithFallback<Paper, AskResult>({
    llm: options.llm,
    question,
    sources,
    timeoutMs: options.timeoutMs,
    extractive: () => engine.ask(question),
    ...(options.onPartial ? { onPartial: options.onPartial } : {}),
  });
  if (result.path === 'extractive') return { result: result.answer, by: answeredBy(result) };
  const citations = [...result.answer.citations].sort((a, b) => a.n - b.n).map((c) => ({ n: c.n, paper: c.source }));
  return {
    result: { answered: true, answer: result.answer.text, citations, mode: engine.mode, tookMs: performance.now() - started },
    by: answeredBy(result),
  };
}
