/**
 * The conversation brain: one reply per message, remembering per conversation which
 * papers are being discussed so that "it", "the second one" and "anything similar?"
 * mean something. Discord-free: the bot, the CLI and the evaluation all call `reply`.
 *
 * Understanding is in pure modules (input, references, names, route, resolve, follow-on);
 * capabilities.ts and questions.ts produce the replies (composed in compose.ts); this file
 * only keeps the state and dispatches.
 */
import type { Paper } from '../collection/types.js';
import { systemClock, type Clock } from '../clock.js';
import type { Engine } from '../engine/types.js';
import { isUserFacingError } from '../errors.js';
import { inertMentions } from '../text.js';
import { Capabilities, clarify } from './capabilities.js';
import * as compose from './compose.js';
import { replay } from './follow-on.js';
import { contentTerms, paperFit } from './evidence.js';
import { cleanMessage, expandShorthand, MAX_MESSAGE_CHARS } from './input.js';
import { NameIndex } from './names.js';
import { Questions } from './questions.js';
import { pickPositions, readReference } from './references.js';
import { resolveTargets, type Resolution } from './resolve.js';
import { describedPaper, splitSubject } from './subject.js';
import { followsOn, isThanks, route, withoutHedges } from './route.js';
import { LIST_SIZE, result, type Outcome, type Turn } from './turn.js';
import type { Answerer, ConversationState, ConversationStore, ConversationTurnResult, ReplyOptions, StoredTurn } from './types.js';

export { LOST_THREAD } from './capabilities.js';
export { onePaper } from './questions.js';

/** What a message is read against: the conversation so far. */
interface Context {
  state: ConversationState;
  expired: boolean;
  focus: Paper[];
  shown: Paper[];
  lastWasList: boolean;
  aboutOne: boolean;
}

/** "and the X?" after an answer about one paper stays on it when the paper covers this much of X (see evidence.paperFit). */
const ELLIPSIS_FIT = 0.5;

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
      outcome = await this.turn(state, message, expired);
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

  // -------------------------------------------------------------------------

  private async turn(state: ConversationState, message: string, expired: boolean): Promise<Outcome> {
    const clean = cleanMessage(message);
    if (!clean.text) return { result: result('help', true, compose.greeting()) };
    if (!clean.hasWords) {
      return { result: result('help', false, compose.plain(`I couldn't find any words in that to search for.\n\n${compose.HELP_TEXT}`)) };
    }
    const lastBot = [...state.turns].reverse().find((t) => t.role === 'bot');
    const context: Context = {
      state,
      expired,
      focus: this.papersOf(state.focus),
      shown: this.papersOf(state.lastShown),
      lastWasList: lastBot?.kind === 'find' || lastBot?.kind === 'similar' || lastBot?.kind === 'today',
      aboutOne: (lastBot?.kind === 'ask' || lastBot?.kind === 'paper' || lastBot?.kind === 'code') && (lastBot.paperIds?.length ?? 0) <= 1,
    };
    const text = expandShorthand(withoutHedges(clean.text));
    const t = (await this.aboutSubject(text, context)) ?? (await this.understand(text, context));
    const outcome = await this.dispatch(replay(t, NameIndex.for(this.engine.papers)) ?? t);
    // A message naming several papers makes them the list that "the last one" indexes next.
    const named = NameIndex.for(this.engine.papers).match(clean.text).map((n) => n.paper);
    if (!outcome.shown && named.length >= 2) outcome.shown = named;
    if (clean.truncated) {
      outcome.result.reply += `\n\n(Your message was long: I read its first ${MAX_MESSAGE_CHARS} characters.)`;
    }
    return outcome;
  }

  /** The message read as it stands: what it points at, names and asks for. */
  private async understand(text: string, c: Context): Promise<Turn> {
    const reference = readReference(text);
    const named = NameIndex.for(this.engine.papers).match(text);
    let r = route(text, reference.rest, {
      refers: reference.reference.kind !== 'none',
      names: named.length,
      strongNames: named.filter((n) => n.strength === 'strong').length,
      hasFocus: c.focus.length > 0,
    });
    let resolution = resolveTargets({
      reference: reference.reference,
      named,
      intent: r.intent,
      focus: c.focus,
      shown: c.shown,
      lastWasList: c.lastWasList,
      hasTopic: contentTerms(r.topic).length > 0,
      contentWords: contentTerms(reference.rest).length,
    });
    // "and the gain on retrieval?" right after an answer about one paper that speaks of it: still that paper.
    if (r.intent === 'find' && followsOn(text) && c.aboutOne && c.focus[0] && paperFit(r.topic, c.focus[0], this.engine.papers) >= ELLIPSIS_FIT) {
      r = { ...r, intent: 'ask', wantsList: false };
    }
    const ref = reference.reference;
    if (ref.kind === 'described') {
      const described = await this.describe(ref.words, c, Boolean(ref.relative));
      const withFocus = ref.withFocus && r.intent === 'compare' && c.focus[0] && c.focus[0].id !== described?.id;
      if (described) resolution = { targets: withFocus ? [c.focus[0]!, described] : [described], source: 'described' };
    }
    return { state: c.state, expired: c.expired, text, reference, named, route: r, focus: c.focus, shown: c.shown, lastWasList: c.lastWasList, aboutOne: c.aboutOne, resolution };
  }

  /** The paper a few words describe: of the list or focus when one fits, else of the collection. */
  private async describe(words: string, c: Context, fromList = false): Promise<Paper | undefined> {
    const hits = (await this.engine.find(words, { k: 5 })).hits.map((h) => h.paper);
    const listed = [...new Map([...c.shown, ...c.focus].map((p) => [p.id, p])).values()];
    return describedPaper(words, listed, hits, this.engine.papers, fromList);
  }

  /**
   * "EuroBERT - max seq length?", "the MAT one, how does it …", "what about stable diffusion, how
   * sparse …": the subject says which paper, the rest is the question about it. Undefined when the
   * message has no such shape or its subject points at no paper.
   */
  private async aboutSubject(text: string, c: Context): Promise<Turn | undefined> {
    const split = splitSubject(text);
    if (!split) return undefined;
    const names = NameIndex.for(this.engine.papers);
    const subjectRef = readReference(split.subject);
    const subjectNamed = names.match(split.subject);
    const messageNamed = names.match(text).map((n) => n.paper);
    let targets: Paper[] = [];
    let source: Resolution['source'] = 'named';
    const kind = subjectRef.reference.kind;
    if (subjectRef.reference.kind === 'ordinal') {
      const list = messageNamed.length >= 2 ? messageNamed : c.shown.length ? c.shown : c.focus;
      targets = pickPositions(subjectRef.reference.positions, list.length).map((i) => list[i]!);
      source = 'ordinal';
    } else if (subjectNamed.length) {
      targets = subjectNamed.map((n) => n.paper);
    } else if (kind === 'described' || kind === 'none') {
      const ref = subjectRef.reference;
      const described = await this.describe(ref.kind === 'described' ? ref.words : split.subject, c, ref.kind === 'described' && Boolean(ref.relative));
      if (described) targets = [described];
      source = 'described';
    }
    if (targets.length === 0) return undefined;
    const reference = readReference(split.question);
    const r = route(split.question, reference.rest, { refers: true, names: targets.length });
    // What the subject names is what the question is about, however weakly it names it.
    const named = targets.map((paper) => ({ paper, strength: 'strong' as const, span: split.subject }));
    return {
      state: c.state,
      expired: c.expired,
      text: split.question,
      reference,
      named,
      route: r,
      focus: c.focus,
      shown: c.shown,
      lastWasList: c.lastWasList,
      resolution: { targets, source },
    };
  }

  /** "more", "next": the next page of the last search; after anything else, more about the paper in focus. */
  private async more(t: Turn): Promise<Outcome> {
    const turns = t.state.turns;
    let pages = 1;
    let i = turns.length - 1;
    // Walk back over earlier "more" pages to the search that started them.
    while (i >= 1 && turns[i]!.role === 'bot' && turns[i]!.kind === 'find' && turns[i - 1]!.role === 'user') {
      const asked = cleanMessage(turns[i - 1]!.text).text;
      const read = readReference(asked);
      const r = route(asked, read.rest, { refers: read.reference.kind !== 'none', names: 0 });
      if (r.intent === 'more') {
        pages++;
        i -= 2;
        continue;
      }
      if (r.intent === 'find' && r.topic) return this.capabilities.search(r.topic, r.hasCode, pages * LIST_SIZE);
      break;
    }
    return t.focus[0] ? this.capabilities.detail([t.focus[0]]) : clarify(t);
  }

  private async dispatch(t: Turn): Promise<Outcome> {
    const { route: r, resolution } = t;
    switch (r.intent) {
      case 'greeting':
        return { result: result('help', true, isThanks(t.text) ? compose.plain("You're welcome! Ask me anything else about the papers.") : compose.greeting()) };
      case 'help':
        return { result: result('help', true, compose.plain(compose.HELP_TEXT)) };
      case 'today':
        return this.capabilities.today(this.clock.now().toISOString().slice(0, 10));
      default:
    }
    if (resolution.problem) return clarify(t);
    switch (r.intent) {
      case 'find':
        return this.capabilities.find(t);
      case 'similar':
        return this.capabilities.similar(t);
      case 'paper':
        return this.capabilities.detail(resolution.targets);
      case 'code':
        return this.capabilities.code(t);
      case 'authors':
      case 'date':
        return this.capabilities.metadata(resolution.targets, r.intent, t.text);
      case 'compare':
        // "what's new about it compared to prior work?" is a question, not two papers side by side.
        return t.resolution.targets.length >= 2 || contentTerms(t.reference.rest).length === 0 ? this.capabilities.compare(t) : this.questions.ask(t);
      case 'more':
        return this.more(t);
      default:
        return this.questions.ask(t);
    }
  }


}
