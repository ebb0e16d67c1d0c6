/**
 * Conversation state in memory, for the CLI and tests. Same contract as the SQLite store:
 * bounded per conversation and in number (least recently updated pruned first), and it
 * hands out copies, so a caller's later edits never leak into what is stored.
 */
import { boundState, DEFAULT_LIMITS, type ConversationLimits, type ConversationState, type ConversationStore } from './types.js';

export class MemoryConversationStore implements ConversationStore {
  /** Insertion order = last `put` order, so the first key is the least recently updated. */
  private readonly states = new Map<string, ConversationState>();

  constructor(private readonly limits: ConversationLimits = DEFAULT_LIMITS) {}

  get(id: string): ConversationState | undefined {
    const state = this.states.get(id);
    return state ? structuredClone(state) : undefined;
  }

  put(state: ConversationState): void {
    this.states.delete(state.id);
    this.states.set(state.id, structuredClone(boundState(state, this.limits)));
    while (this.states.size > this.limits.conversations) {
      const oldest = this.oldestId();
      if (oldest === undefined) break;
      this.states.delete(oldest);
    }
  }

  delete(id: string): void {
    this.states.delete(id);
  }

  pruneIdle(before: number): number {
    let removed = 0;
    for (const [id, state] of this.states) {
      if (state.updatedAt < before) {
        this.states.delete(id);
        removed++;
      }
    }
    return removed;
  }

  count(): number {
    return this.states.size;
  }

  /** The least recently updated; ties (and an injected clock that went back) fall to put order. */
  private oldestId(): string | undefined {
    let oldest: ConversationState | undefined;
    for (const state of this.states.values()) if (!oldest || state.updatedAt < oldest.updatedAt) oldest = state;
    return oldest?.id;
  }
}
