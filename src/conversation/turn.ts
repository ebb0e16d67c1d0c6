/**
 * What one message is understood to be (`Turn`) and what answering it produced
 * (`Outcome`), shared by the orchestrator and the capabilities.
 */
import type { Paper } from '../collection/types.js';
import type { Composed } from './compose.js';
import type { NamedPaper } from './names.js';
import type { ReadReference } from './references.js';
import type { Resolution } from './resolve.js';
import type { Route } from './route.js';
import type { ConversationState, ConversationTurnResult, TurnKind } from './types.js';

/** What a capability produced: the result, and how the conversation's focus moves. */
export interface Outcome {
  result: ConversationTurnResult;
  /** New focus (most salient first); undefined leaves it as it was. */
  focus?: Paper[];
  /** New "last shown" list; undefined leaves it as it was. */
  shown?: Paper[];
}

/** One message, understood in the context of its conversation. */
export interface Turn {
  state: ConversationState;
  expired: boolean;
  /** The cleaned message. */
  text: string;
  reference: ReadReference;
  named: NamedPaper[];
  route: Route;
  /** The papers in focus and the last shown list, as papers. */
  focus: Paper[];
  shown: Paper[];
  /** The previous reply was a list (search results, similar papers, picks). */
  lastWasList: boolean;
  /** The previous reply was about one paper (an answer, its details, its code). */
  aboutOne?: boolean;
  resolution: Resolution;
  /** The previous message re-asked about new papers ("and the second one?"). */
  replayed?: boolean;
}

/** Search results shown per list. */
export const LIST_SIZE = 5;

export function result(kind: TurnKind, answered: boolean, composed: Composed): ConversationTurnResult {
  return { kind, answered, reply: composed.reply, citations: composed.citations, papers: composed.papers };
}
