/**
 * The conversation layer's contracts: what one turn returns, what is remembered per
 * conversation, and the store seam (SQLite for the bot, memory for the CLI).
 * Nothing here knows about Discord.
 */
import type { Paper } from '../collection/types.js';

export type TurnKind = 'find' | 'similar' | 'paper' | 'ask' | 'today' | 'help' | 'compare' | 'code' | 'clarify' | 'error';

export interface ConversationTurnResult {
  /** Plain text, readable on its own; [n] markers point at `citations`. Mentions are already inert. */
  reply: string;
  /** False when the collection does not say, nothing matched, or the message could not be understood. */
  answered: boolean;
  /** The papers behind the [n] markers of `reply`, numbered from 1. */
  citations: { n: number; paper: Paper }[];
  /** Papers shown as a list (or the paper shown), in rank order; the Discord layer renders these as embeds. */
  papers: Paper[];
  kind: TurnKind;
  /** Set when an `Answerer` was asked to write this reply: how it was written (for logs). */
  answeredBy?: AnsweredBy;
}

/** How an ask-type reply was written: by the model, or extractively after the model could not (and why). */
export interface AnsweredBy {
  path: 'llm' | 'extractive';
  model?: string;
  /** Why the extractive reply was kept: timeout, http, refusal, uncited, … */
  reason?: string;
  detail?: string;
  tookMs: number;
}

/**
 * Optional: writes ask-type replies generatively (e.g. an LLM grounded in `sources`), keeping
 * the extractive reply when it cannot. Never throws; returns the reply to use.
 */
export interface Answerer {
  answer(input: AnswererInput): Promise<ConversationTurnResult>;
}

export interface AnswererInput {
  /** The user's message, cleaned (mentions and markdown out). */
  question: string;
  /** The conversation before this message, oldest first. */
  turns: readonly StoredTurn[];
  /** What to answer from: the papers the extractive reply cited or showed, then the papers in focus. */
  sources: readonly Paper[];
  /** The extractive reply, to return when generating fails. */
  extractive: ConversationTurnResult;
  /** Partial text while the reply is being written (see ReplyOptions). */
  onPartial?: (text: string) => void;
  signal?: AbortSignal;
}

/** Per-message options of `Conversations.reply`. */
export interface ReplyOptions {
  /** With an Answerer: the reply so far, cleaned, while it is written (for a display that edits a message). */
  onPartial?: (text: string) => void;
  /** Cancels a generative attempt (the extractive reply is used). */
  signal?: AbortSignal;
}

export interface StoredTurn {
  role: 'user' | 'bot';
  /** Cut to `ConversationLimits.turnChars`. */
  text: string;
  /** Epoch milliseconds. */
  at: number;
  /** For bot turns: what kind of reply it was. */
  kind?: TurnKind;
  /** For bot turns: the ids of the papers cited or shown. */
  paperIds?: string[];
}

/** Everything remembered about one conversation (a Discord thread, a DM channel, a CLI session). */
export interface ConversationState {
  id: string;
  /** Most recent last; at most `ConversationLimits.turns`. */
  turns: StoredTurn[];
  /**
   * Paper ids in focus, most salient first: focus[0] is what "it" means. Updated on every
   * reply that cites or shows papers. At most `ConversationLimits.focus`.
   */
  focus: string[];
  /** The last list shown, in the order shown: what "the second one" and "#3" index into. */
  lastShown: string[];
  createdAt: number;
  /** Epoch milliseconds of the last turn; a conversation idle longer than the configured time has expired. */
  updatedAt: number;
}

export interface ConversationLimits {
  /** Turns kept per conversation (user and bot turns each count). */
  turns: number;
  /** Characters kept per turn text. */
  turnChars: number;
  /** Paper ids kept in focus and in the last shown list. */
  focus: number;
  /** Conversations kept in all; the least recently used are pruned beyond this. */
  conversations: number;
}

export const DEFAULT_LIMITS: ConversationLimits = { turns: 20, turnChars: 1000, focus: 10, conversations: 5000 };

/** Where conversation state lives. Implementations enforce `ConversationLimits` on `put`. */
export interface ConversationStore {
  /** The stored state, expired or not (the caller decides; it must know a conversation existed to say it lost the thread). */
  get(id: string): ConversationState | undefined;
  /** Replaces the stored state, cutting it to the limits, and prunes the least recently used beyond the cap. */
  put(state: ConversationState): void;
  delete(id: string): void;
  /** Removes conversations last updated before `before` (epoch ms); returns how many. */
  pruneIdle(before: number): number;
  /** How many conversations are stored. */
  count(): number;
}

/** Cuts a state to the limits: the newest turns, each turn's text, the first focus/list entries. */
export function boundState(state: ConversationState, limits: ConversationLimits): ConversationState {
  return {
    ...state,
    turns: state.turns.slice(-limits.turns).map((t) => ({
      ...t,
      text: cutText(t.text, limits.turnChars),
      ...(t.paperIds ? { paperIds: t.paperIds.slice(0, limits.focus) } : {}),
    })),
    focus: [...new Set(state.focus)].slice(0, limits.focus),
    lastShown: [...new Set(state.lastShown)].slice(0, limits.focus),
  };
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}
