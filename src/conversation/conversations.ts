/**
 * The conversation brain: one reply per message, remembering per conversation which
 * papers are being discussed so that "it", "the second one" and "anything similar?"
 * mean something. Discord-free: the bot, the CLI and the evaluation all call `reply`.
 *
 * Understanding is in pure modules (input, references, names, route, resolve, follow-on);
 * turns.ts reads each message against the conversation and picks what answers it;
 * capabilities.ts and questions.ts produce the replies (composed in compose.ts); this file
 * keeps the state: loading, expiry, one message at a time per conversation, remembering.
 */
import type { Paper } from '../collection/types.js';
import { systemClock, type Clock } from '../clock.js';
import type { Engine } from '../engine/types.js';
import { isUserFacingError } from '../errors.js';
import { inertMentions } from '../text.js';
import { Capabilities } from './capabilities.js';
import * as compose from './compose.js';
import { cleanMessage } from './input.js';
import { NameIndex } from './names.js';
import { Questions } from './questions.js';
import { Turns } from './turns.js';
import { route } from './route.js';
import { result, type Outcome } from './turn.js';
import type { Answerer, ConversationState, ConversationStore, ConversationTurnResult, ReplyOptions, StoredTurn } from './types.js';

export { LOST_THREAD } from './capabilities.js';
export { onePaper } from './questions.js';

export const DEFAULT_IDLE_MS = 4 * 60 * 60 * 1000;
const MAX_ID_CHARS = 200;
/** Prune idle conversations at most this often. */
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export interface ConversationsOptions {
  engine: Engine;
  store: ConversationStore;
  clock?: Clock;
  /** A conversation idle longer than this is forgotten (default 4 hours). */
  idleMs?: number;
  /** Today's picks for a date (YYYY-MM-DD); default: the engine's picks without history. */
  picks?: (date: string) => Paper[];
  /** Unexpected errors (bugs, a failing store): the reply apologises, this gets the details. */
  onError?: (err: unknown, context: { conversationId: string; stage: string }) => void;
  /** Optional: writes ask-type replies generatively (an LLM); the extractive reply is its fallback. */
  answerer?: Answerer;
}

/** Papers handed to an Answerer as sources, at most. */
const MAX_SOURCES = 5;

function validId(id: unknown): id is string {
  return typeof id === 'string' && Boolean(id.trim()) && id.length <= MAX_ID_CHARS;
}

export class Conversations {
  private readonly engine: Engine;
  private readonly store: ConversationStore;
  private readonly clock: Clock;
  private readonly idleMs: number;
  private readonly capabilities: Capabilities;
  private readonly questions: Questions;
  private readonly turns: Turns;
  private lastPrune = 0;
  /** The last pending reply per conversation: the next message waits for it. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly options: ConversationsOptions) {
    this.engine = options.engine;
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.capabilities = new Capabilities(this.engine, options.picks);
    this.questions = new Questions(
      this.engine,
      (targets) => this.capabilities.detail(targets),
      (papers, topic) => this.capabilities.filterAmong(papers, topic, false),
    );
    this.turns = new Turns(this.engine, this.capabilities, this.questions, this.clock);
  }

  /** Builds the name index now instead of on the first message. */
  warm(): void {
    NameIndex.for(this.engine.papers);
  }

  /**
   * The reply to one message in one conversation. Never throws: bad input, a failing engine
   * or store all give a reply (kind 'error' for failures). Messages of one conversation are
   * answered one at a time, in arrival order, so each sees the state the previous one left.
   */
  async reply(conversationId: string, message: string, options: ReplyOptions = {}): Promise<ConversationTurnResult> {
    if (!validId(conversationId)) {
      return result('error', false, compose.plain(`A conversation id must be 1–${MAX_ID_CHARS} characters.`));
    }
    return this.serially(conversationId, () => this.replyNow(conversationId, message, options));
  }

  /**
   * Records an exchange answered elsewhere (the /ask command) as the latest turn of a
   * conversation, so that follow-ups can point at its papers ("does it have code?").
   */
  async record(conversationId: string, message: string, reply: ConversationTurnResult): Promise<void> {
    if (!validId(conversationId)) return;
    await this.serially(conversationId, async () => {
      const now = this.clock.now().getTime();
      const { state } = this.load(conversationId, now);
      this.remember(state, message, reply, { result: reply, focus: [...reply.citations.map((c) => c.paper), ...reply.papers], shown: reply.papers }, now);
    });
  }

  /** Runs `work` after the work already queued for this conversation. */
  private serially<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    const before = this.inFlight.get(conversationId) ?? Promise.resolve();
    const run = before.then(work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(conversationId, settled);
    void settled.then(() => {
      if (this.inFlight.get(conversationId) === settled) this.inFlight.delete(conversationId);
    });
    return run;
  }

  /** The stored state, or a fresh one when there is none or it expired. */
  private load(conversationId: string, now: number): { state: ConversationState; expired: boolean } {
    let stored: ConversationState | undefined;
    try {
      stored = this.store.get(conversationId);
    } catch (err) {
      this.options.onError?.(err, { conversationId, stage: 'load' });
    }
    const expired = Boolean(stored && now - stored.updatedAt > this.idleMs);
    const state = stored && !expired ? stored : { id: conversationId, turns: [], focus: [], lastShown: [], createdAt: now, updatedAt: now };
    return { state, expired };
  }

  private async replyNow(conversationId: string, message: string, options: ReplyOptions): Promise<ConversationTurnResult> {
    const now = this.clock.now().getTime();
    const { state, expired } = this.load(conversationId, now);

    let outcome: Outcome;
    try {
      outcome = await this.turns.turn(state, message, expired);
    } catch (err) {
      if (!isUserFacingError(err)) this.options.onError?.(err, { conversationId, stage: 'reply' });
      const text = isUserFacingError(err) ? err.message : 'Sorry, something went wrong on my side. Please try again.';
      outcome = { result: result('error', false, compose.plain(text)) };
    }
    if (this.options.answerer && outcome.result.kind === 'ask') outcome = await this.generate(state, message, outcome, options);
    const reply: ConversationTurnResult = { ...outcome.result, reply: inertMentions(outcome.result.reply) };

    this.remember(state, message, reply, outcome, now);
    this.prune(now);
    return reply;
  }

  private remember(state: ConversationState, message: string, reply: ConversationTurnResult, outcome: Outcome, now: number): void {
    const shownIds = reply.papers.map((p) => p.id);
    const user: StoredTurn = { role: 'user', text: typeof message === 'string' ? message : '', at: now };
    const bot: StoredTurn = { role: 'bot', text: reply.reply, at: now, kind: reply.kind, paperIds: [...new Set([...reply.citations.map((c) => c.paper.id), ...shownIds])] };
    const next: ConversationState = {
      ...state,
      turns: [...state.turns, user, bot],
      focus: outcome.focus ? [...new Set([...outcome.focus.map((p) => p.id), ...state.focus])] : state.focus,
      lastShown: outcome.shown ? outcome.shown.map((p) => p.id) : state.lastShown,
      updatedAt: now,
    };
    try {
      this.store.put(next);
    } catch (err) {
      this.options.onError?.(err, { conversationId: state.id, stage: 'save' });
    }
  }

  private prune(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS && this.lastPrune !== 0) return;
    this.lastPrune = now;
    try {
      this.store.pruneIdle(now - this.idleMs);
    } catch (err) {
      this.options.onError?.(err, { conversationId: '', stage: 'prune' });
    }
  }

  /** The Answerer's reply in place of the extractive one (which it falls back to). */
  private async generate(state: ConversationState, message: string, outcome: Outcome, options: ReplyOptions): Promise<Outcome> {
    const r = outcome.result;
    const candidates = [...r.citations.map((c) => c.paper), ...r.papers, ...(outcome.focus ?? []), ...this.papersOf(state.focus)];
    const sources = [...new Map(candidates.map((p) => [p.id, p])).values()].slice(0, MAX_SOURCES);
    try {
      const written = await this.options.answerer!.answer({
        question: cleanMessage(message).text,
        turns: state.turns,
        sources,
        extractive: r,
        ...(options.onPartial ? { onPartial: options.onPartial } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // The papers the model cited come first in focus: "it" in the next message means what it talked about.
      const cited = written.answeredBy?.path === 'llm' ? written.citations.map((c) => c.paper) : [];
      return { ...outcome, result: written, ...(cited.length ? { focus: [...cited, ...(outcome.focus ?? [])] } : {}) };
    } catch (err) {
      this.options.onError?.(err, { conversationId: state.id, stage: 'answerer' });
      return outcome;
    }
  }

  private papersOf(ids: readonly string[]): Paper[] {
    return ids.map((id) => this.engine.paper(id)).filter((p): p is Paper => Boolean(p) && ids.includes(p!.id));
  }

}
