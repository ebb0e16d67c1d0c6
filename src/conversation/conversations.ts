/**
 * The conversation brain: one reply per message, remembering per conversation which
 * papers are being discussed so that "it", "the second one" and "anything similar?"
 * mean something. Discord-free: the bot, the CLI and the evaluation all call `reply`.
 *
 * Understanding is in pure modules (input, references, names, route, resolve); replies
 * are composed in compose.ts; this file only holds state and runs the capabilities.
 */
import type { Paper } from '../collection/types.js';
import { systemClock, type Clock } from '../clock.js';
import { answerQuestion } from '../engine/ask.js';
import type { Engine } from '../engine/types.js';
import { isUserFacingError } from '../errors.js';
import * as compose from './compose.js';
import { closestSentence, contentTerms, contribution, fitness, sharedWords, whyLine } from './evidence.js';
import { cleanMessage, MAX_MESSAGE_CHARS } from './input.js';
import { NameIndex, type NamedPaper } from './names.js';
import { MARK, naming, readReference, type ReadReference } from './references.js';
import { resolveTargets, type Resolution } from './resolve.js';
import { followsOn, isThanks, route, withoutFollowOn, type Route } from './route.js';
import { inert, quoteUser } from './safe-text.js';
import type { ConversationState, ConversationStore, ConversationTurnResult, StoredTurn, TurnKind } from './types.js';

export const DEFAULT_IDLE_MS = 4 * 60 * 60 * 1000;
export const LOST_THREAD = "I've lost the thread of that conversation — which paper do you mean?";
const MAX_ID_CHARS = 200;
/** Search results shown per list. */
const LIST_SIZE = 5;
/** Other papers shown under an answer. */
const SEE_ALSO = 3;
/** A quoted "closest sentence" must cover this share of the question's content words. */
const MIN_QUOTE_COVERAGE = 0.25;
/** A question without pointers is taken as about the paper in focus when that paper has this much of its words. */
const IMPLICIT_FOCUS_COVERAGE = 0.6;
/** An answer to a question renamed to pin its paper must fit the question's own words this well (see evidence.fitness). */
const MIN_RENAMED_FITNESS = 0.5;
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
}

/** What a capability produced: the result, and how the conversation's focus moves. */
interface Outcome {
  result: ConversationTurnResult;
  /** New focus (most salient first); undefined leaves it as it was. */
  focus?: Paper[];
  /** New "last shown" list; undefined leaves it as it was. */
  shown?: Paper[];
}

interface Turn {
  state: ConversationState;
  expired: boolean;
  text: string;
  reference: ReadReference;
  named: NamedPaper[];
  route: Route;
  focus: Paper[];
  shown: Paper[];
  resolution: Resolution;
  /** The previous message re-asked about new papers ("and the second one?"). */
  replayed?: boolean;
}

function result(kind: TurnKind, answered: boolean, composed: compose.Composed): ConversationTurnResult {
  return { kind, answered, reply: composed.reply, citations: composed.citations, papers: composed.papers };
}

export class Conversations {
  private readonly engine: Engine;
  private readonly store: ConversationStore;
  private readonly clock: Clock;
  private readonly idleMs: number;
  private lastPrune = 0;

  constructor(private readonly options: ConversationsOptions) {
    this.engine = options.engine;
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** Builds the name index now instead of on the first message. */
  warm(): void {
    NameIndex.for(this.engine.papers);
  }

  async reply(conversationId: string, message: string): Promise<ConversationTurnResult> {
    if (typeof conversationId !== 'string' || !conversationId.trim() || conversationId.length > MAX_ID_CHARS) {
      return result('error', false, compose.plain(`A conversation id must be 1–${MAX_ID_CHARS} characters.`));
    }
    const now = this.clock.now().getTime();
    let stored: ConversationState | undefined;
    try {
      stored = this.store.get(conversationId);
    } catch (err) {
      this.options.onError?.(err, { conversationId, stage: 'load' });
    }
    const expired = Boolean(stored && now - stored.updatedAt > this.idleMs);
    const state: ConversationState =
      stored && !expired ? stored : { id: conversationId, turns: [], focus: [], lastShown: [], createdAt: now, updatedAt: now };

    let outcome: Outcome;
    try {
      outcome = await this.turn(state, message, expired);
    } catch (err) {
      if (!isUserFacingError(err)) this.options.onError?.(err, { conversationId, stage: 'reply' });
      const text = isUserFacingError(err) ? err.message : 'Sorry, something went wrong on my side. Please try again.';
      outcome = { result: result('error', false, compose.plain(text)) };
    }
    const reply: ConversationTurnResult = { ...outcome.result, reply: inert(outcome.result.reply) };

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
    const reference = readReference(clean.text);
    const named = NameIndex.for(this.engine.papers).match(clean.text);
    const r = route(clean.text, reference.rest, { refers: reference.reference.kind !== 'none', names: named.length });
    const focus = this.papersOf(state.focus);
    const shown = this.papersOf(state.lastShown);
    const lastBot = [...state.turns].reverse().find((t) => t.role === 'bot');
    const lastWasList = lastBot?.kind === 'find' || lastBot?.kind === 'similar' || lastBot?.kind === 'today';
    const resolution = resolveTargets({
      reference: reference.reference,
      named,
      intent: r.intent,
      focus,
      shown,
      lastWasList,
      hasTopic: r.topic.length > 0,
    });
    const t: Turn = { state, expired, text: clean.text, reference, named, route: r, focus, shown, resolution };

    const outcome = await this.dispatch(this.replay(t) ?? t);
    if (clean.truncated) {
      outcome.result.reply += `\n\n(Your message was long: I read its first ${MAX_MESSAGE_CHARS} characters.)`;
    }
    return outcome;
  }

  /**
   * "and the second one?", "what about FoldNet?": nothing asked but papers pointed at, right
   * after a question — the previous message again, about these papers.
   */
  private replay(t: Turn): Turn | undefined {
    const pointed = t.reference.reference.kind !== 'none' || t.named.length > 0;
    if (!followsOn(t.text) || !pointed || t.resolution.problem || t.resolution.targets.length === 0) return undefined;
    if (contentTerms(withoutSpans(withoutFollowOn(t.reference.rest), t.named)).length > 0) return undefined;
    const previous = [...t.state.turns].reverse().find((turn) => turn.role === 'user')?.text;
    if (!previous) return undefined;
    const text = cleanMessage(previous).text;
    const read = readReference(text);
    const named = NameIndex.for(this.engine.papers).match(text);
    const again = route(text, read.rest, { refers: true, names: named.length });
    if (!REPLAYABLE.has(again.intent)) return undefined;
    // The previous question with whatever it pointed at or named taken out, to be asked of the new papers.
    const marked = markSpans(read.marked, named);
    const reference: ReadReference = { reference: { kind: 'single' }, rest: marked.split(MARK).join(' ').replace(/\s+/g, ' ').trim(), marked };
    return { ...t, text, reference, named: [], route: again, replayed: true };
  }

  private async dispatch(t: Turn): Promise<Outcome> {
    const { route: r, resolution } = t;
    switch (r.intent) {
      case 'greeting':
        return { result: result('help', true, isThanks(t.text) ? compose.plain("You're welcome! Ask me anything else about the papers.") : compose.greeting()) };
      case 'help':
        return { result: result('help', true, compose.plain(compose.HELP_TEXT)) };
      case 'today':
        return this.today();
      default:
    }
    if (resolution.problem) return this.clarify(t);
    switch (r.intent) {
      case 'find':
        return this.find(t);
      case 'similar':
        return this.similar(t);
      case 'paper':
        return this.detail(resolution.targets);
      case 'code':
        return this.code(t);
      case 'authors':
      case 'date':
        return this.metadata(resolution.targets, r.intent);
      case 'compare':
        return this.compare(t);
      default:
        return this.ask(t);
    }
  }

  private clarify(t: Turn): Outcome {
    let text: string;
    if (t.expired) text = LOST_THREAD;
    else if (t.resolution.problem === 'out-of-range') text = `The last list had ${t.shown.length || t.focus.length} paper${(t.shown.length || t.focus.length) === 1 ? '' : 's'} — which one do you mean?`;
    else if (t.route.intent === 'compare') text = 'Which papers should I compare? Name them, or ask me to find some first.';
    else text = "Which paper do you mean? We haven't talked about one yet — name it (its title or part of it), or ask me to find papers on a topic.";
    return { result: result('clarify', false, compose.plain(text)) };
  }

  private today(): Outcome {
    const date = this.clock.now().toISOString().slice(0, 10);
    const picks = (this.options.picks?.(date) ?? this.engine.picks(date, 3, [])).slice(0, 10);
    if (picks.length === 0) return { result: result('today', false, compose.plain('There are no papers in the collection to pick from.')) };
    const items = picks.map((paper) => ({ paper, why: contribution(paper, 1)[0] }));
    const composed = compose.paperList(`Today's picks (${date}):`, items);
    return { result: result('today', true, composed), focus: picks, shown: picks };
  }

  private async find(t: Turn): Promise<Outcome> {
    const { route: r, resolution } = t;
    const among = t.reference.reference.kind === 'which' || t.reference.reference.kind === 'plural' || t.reference.reference.kind === 'ordinal';
    if (among && resolution.targets.length) return this.filterAmong(resolution.targets, r.topic, r.hasCode);
    if (!r.topic) {
      return { result: result('clarify', false, compose.plain('What topic should I look for? For example: "papers on <topic>".')) };
    }
    const found = await this.engine.find(r.topic, { k: LIST_SIZE, filters: r.hasCode ? { hasCode: true } : undefined });
    const hits = found.hits.map((h) => h.paper);
    const echo = quoteUser(r.topic);
    if (hits.length === 0) {
      return { result: result('find', false, compose.plain(`I found nothing on ${echo}${r.hasCode ? ' with code' : ''} in the collection.`)) };
    }
    const items = hits.map((paper) => ({ paper, why: whyLine(paper, r.topic, this.engine.papers) }));
    const composed = compose.paperList(`Papers on ${echo}${r.hasCode ? ' with code' : ''}:`, items);
    return { result: result('find', true, composed), focus: hits, shown: hits };
  }

  /** "which of these use X?", "which of them have code?": the papers pointed at that match. */
  private filterAmong(papers: Paper[], topic: string, hasCode: boolean): Outcome {
    let matches = hasCode ? papers.filter((p) => p.codeLinks.length) : papers;
    const scored = topic
      ? matches
          .map((paper) => ({ paper, closest: closestSentence(topic, [paper], this.engine.papers) }))
          .filter((x) => x.closest && x.closest.coverage >= 0.5)
          .sort((a, b) => b.closest!.coverage - a.closest!.coverage)
      : matches.map((paper) => ({ paper, closest: undefined }));
    matches = scored.map((x) => x.paper);
    const what = [topic ? quoteUser(topic) : '', hasCode ? 'code' : ''].filter(Boolean).join(' and ');
    if (matches.length === 0) {
      return { result: result('find', false, compose.notFound(`None of those ${papers.length} papers mention ${what}.`, papers)) };
    }
    const items = scored.map(({ paper, closest }) => ({
      paper,
      why: hasCode && !topic ? paper.codeLinks.map((c) => c.url).join(' ') : closest?.text ?? whyLine(paper, topic, this.engine.papers),
    }));
    const composed = compose.paperList(`Of those, ${matches.length === 1 ? 'this one matches' : `these ${matches.length} match`} ${what}:`, items);
    return { result: result('find', true, composed), focus: matches, shown: matches };
  }

  private async similar(t: Turn): Promise<Outcome> {
    const target = t.resolution.targets[0];
    if (!target) {
      if (!t.route.topic) return this.clarify(t);
      const found = await this.engine.similar(t.route.topic, { k: LIST_SIZE });
      const hits = found.hits.map((h) => h.paper);
      if (!hits.length) return { result: result('similar', false, compose.plain(`I found nothing close to ${quoteUser(t.route.topic)}.`)) };
      const composed = compose.paperList(`Papers close to ${quoteUser(t.route.topic)}:`, found.hits.map((h) => ({ paper: h.paper, why: h.snippet })));
      return { result: result('similar', true, composed), focus: hits, shown: hits };
    }
    const found = await this.engine.similar(target.id, { k: LIST_SIZE });
    const hits = found.hits.map((h) => h.paper);
    if (!hits.length) return { result: result('similar', false, compose.plain(`I found no papers close to “${target.title}”.`)) };
    const composed = compose.paperList(`Papers similar to “${target.title}”:`, found.hits.map((h) => ({ paper: h.paper, why: h.snippet })));
    // "it" stays the paper they were asked about; "the second one" indexes the new list.
    return { result: result('similar', true, composed), focus: [target, ...hits], shown: hits };
  }

  private detail(targets: Paper[]): Outcome {
    if (targets.length === 1) {
      const paper = targets[0]!;
      return { result: result('paper', true, compose.paperDetail(paper, contribution(paper, 3))), focus: [paper] };
    }
    const composed = compose.paperBriefs(targets.map((paper) => ({ paper, summary: contribution(paper, 1).join(' ') })));
    return { result: result('paper', true, composed), focus: targets };
  }

  private code(t: Turn): Outcome {
    const { targets } = t.resolution;
    if (t.resolution.source === 'which') {
      return this.filterAmong(targets, '', true);
    }
    const composed = compose.codeLinks(targets);
    return { result: result('code', targets.some((p) => p.codeLinks.length > 0), composed), focus: targets };
  }

  private metadata(targets: Paper[], field: 'authors' | 'date'): Outcome {
    const { composed, known } = compose.metadata(targets, field === 'authors' ? 'authors' : 'date');
    return { result: result('paper', known, composed), focus: targets };
  }

  private compare(t: Turn): Outcome {
    const targets = t.resolution.targets.slice(0, 4);
    if (targets.length < 2) {
      const only = targets[0];
      const text = only ? `Compare “${only.title}” with which paper? Name it, or ask me for similar papers first.` : 'Which papers should I compare?';
      return { result: result('clarify', false, compose.plain(text)), focus: targets };
    }
    const collection = this.engine.papers;
    const items = targets.map((paper) => ({
      paper,
      summary: contribution(paper, 1).join(' '),
      own: sharedWords([paper], collection, 4, targets.filter((p) => p.id !== paper.id)),
    }));
    const composed = compose.comparison(items, sharedWords(targets, collection, 6));
    return { result: result('compare', true, composed), focus: targets };
  }

  // -------------------------------------------------------------------------
  // Questions

  private async ask(t: Turn): Promise<Outcome> {
    const { resolution } = t;
    const pointed = t.reference.reference.kind !== 'none';
    const question = pointed ? t.reference.rest : t.text;
    let targets = resolution.targets;
    // "what about it?": nothing asked beyond the pointer — show the paper.
    if (targets.length && contentTerms(question).length === 0) return this.detail(targets.slice(0, 3));
    let implicit = false;
    if (!targets.length && t.focus[0] && this.aboutFocus(question, t.focus[0])) {
      targets = [t.focus[0]];
      implicit = true;
    }

    if (targets.length) {
      // "it" right after a list: the list's papers, in order, so the answer can come from the one meant.
      const afterList = resolution.source === 'single' && t.shown.length > 0 && t.shown[0]!.id === targets[0]!.id;
      const scope = afterList ? t.shown.slice(0, LIST_SIZE) : targets;
      const answered = await this.answerAbout(t.reference, question, scope, resolution.source !== 'named' || Boolean(t.replayed));
      if (answered) return answered;
      const weakOnly = resolution.source === 'named' && t.named.every((n) => n.strength === 'weak');
      if (!weakOnly && !implicit) return this.notInAbstract(question, scope);
      // Not pointed at, only probably about it: the whole collection may still answer.
      const wider = await this.askCollection(question, t.route.wantsList);
      return wider.result.answered ? wider : this.notInAbstract(question, scope);
    }
    return this.askCollection(question, t.route.wantsList);
  }

  /**
   * Answers from the papers in scope: first as asked (a name in the question pins its paper),
   * then paper by paper, closest first, with the pointer ("it") replaced by the paper's name
   * so the answerer knows which paper the question is about.
   */
  private async answerAbout(read: ReadReference, question: string, scope: Paper[], nameThem: boolean): Promise<Outcome | undefined> {
    const direct = await this.answerFrom(question, scope);
    if (direct || !nameThem) return direct;
    const names = NameIndex.for(this.engine.papers);
    for (const paper of closestFirst(question, scope, this.engine.papers).slice(0, 3)) {
      const name = names.shortName(paper);
      const named = read.marked.includes(MARK) ? naming(read, name) : `${question.replace(/[\s?.!]+$/u, '')} in ${name}?`;
      const answer = await this.answerFrom(named, [paper], question);
      if (answer) return { ...answer, focus: [paper, ...scope] };
    }
    return undefined;
  }

  /** Whether a question without pointers is about the paper in focus: most of its words are in that paper. */
  private aboutFocus(question: string, paper: Paper): boolean {
    const terms = contentTerms(question);
    if (terms.length === 0) return false;
    const paperText = new Set(contentTerms(`${paper.title} ${paper.abstract}`));
    const inPaper = terms.filter((term) => paperText.has(term)).length;
    return inPaper / terms.length >= IMPLICIT_FOCUS_COVERAGE;
  }

  /**
   * An extractive answer from these papers only, one paper's sentences; undefined if they
   * don't answer. With `mustCover`, the answer's first sentence must also have most of that
   * question's words: a question renamed to pin its paper is answered too easily otherwise
   * ("what GPU did FooNet use?" by "FooNet scales with more GPUs").
   */
  private async answerFrom(question: string, papers: Paper[], mustCover?: string): Promise<Outcome | undefined> {
    const extract = await answerQuestion(question, async (_q, k) => papers.slice(0, k).map((paper, i) => ({ paper, score: papers.length - i })), {
      papers: this.engine.papers,
      candidates: papers.length,
    });
    if (!extract.answered || extract.citations.length === 0) return undefined;
    const { text, paper, first } = onePaper(extract.answer, extract.citations);
    if (mustCover !== undefined && fitness(mustCover, first, this.engine.papers) < MIN_RENAMED_FITNESS) return undefined;
    const composed = compose.answer(text, [paper]);
    return { result: result('ask', true, composed), focus: [paper, ...papers] };
  }

  /** The papers in question don't answer it: say so, quoting the nearest sentence when there is a fair one. */
  private notInAbstract(question: string, scope: Paper[]): Outcome {
    let targets = scope;
    const closest = closestSentence(question, targets, this.engine.papers);
    if (closest && targets.length > 1 && closest.coverage >= MIN_QUOTE_COVERAGE) targets = [closest.paper];
    const subject = targets.length === 1 ? `The abstract of “${targets[0]!.title}”` : 'The abstracts of those papers';
    const verb = targets.length === 1 ? "doesn't" : "don't";
    if (closest && closest.coverage >= MIN_QUOTE_COVERAGE) {
      const composed = compose.notFound(`I'm not sure ${subject.charAt(0).toLowerCase()}${subject.slice(1)} answers that exactly.`, [], closest);
      return { result: result('ask', false, composed), focus: [closest.paper, ...targets] };
    }
    const composed = compose.notFound(`${subject} ${verb} say — the collection only has titles and abstracts.`, targets);
    return { result: result('ask', false, composed), focus: targets };
  }

  /** A question to the whole collection: an answer with its source and the closest papers, or the closest papers alone. */
  private async askCollection(question: string, wantsList: boolean): Promise<Outcome> {
    const [extract, found] = await Promise.all([
      this.engine.ask(question),
      this.engine.find(question, { k: wantsList ? LIST_SIZE : SEE_ALSO + 1 }),
    ]);
    const closest = found.hits.map((h) => h.paper);
    if (extract.answered && extract.citations.length) {
      const { text, paper } = onePaper(extract.answer, extract.citations);
      const composed = compose.answer(text, [paper], closest.slice(0, wantsList ? LIST_SIZE : SEE_ALSO));
      return { result: result('ask', true, composed), focus: composed.papers, shown: composed.papers };
    }
    const quote = closestSentence(question, closest.slice(0, 3), this.engine.papers);
    const composed = compose.notFound(
      "I couldn't find an answer to that in the collection.",
      closest.slice(0, SEE_ALSO),
      quote && quote.coverage >= 0.5 ? quote : undefined,
    );
    return { result: result('ask', false, composed), focus: composed.papers, shown: composed.papers };
  }
}

/**
 * Keeps the sentences of the first cited paper only, renumbered [1]: an answer never
 * stitches together sentences from papers that may be about different things.
 */
/** Intents a follow-on ("and the second one?") can repeat for other papers. */
const REPLAYABLE: ReadonlySet<string> = new Set(['ask', 'code', 'authors', 'date', 'paper', 'similar']);

function spanPattern(span: string): RegExp {
  const words = span.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'giu');
}

/** The text with the named spans taken out. */
function withoutSpans(text: string, named: readonly NamedPaper[]): string {
  return named.reduce((out, n) => out.replace(spanPattern(n.span), ' '), text);
}

/** The text with the named spans replaced by MARK, as references are. */
function markSpans(text: string, named: readonly NamedPaper[]): string {
  return named.reduce((out, n) => out.replace(spanPattern(n.span), ` ${MARK} `), text);
}

/** Papers ordered by how close their best sentence comes to the question (stable for ties). */
function closestFirst(question: string, papers: readonly Paper[], collection: readonly Paper[]): Paper[] {
  if (papers.length < 2) return [...papers];
  return papers
    .map((paper, i) => ({ paper, i, coverage: closestSentence(question, [paper], collection)?.coverage ?? 0 }))
    .sort((a, b) => b.coverage - a.coverage || a.i - b.i)
    .map((x) => x.paper);
}

export function onePaper(answerText: string, citations: readonly { n: number; paper: Paper }[]): { text: string; paper: Paper; first: string } {
  const cited = citations[0]!;
  const parts = [...answerText.matchAll(/(.+?)\s\[(\d+)\](?=\s|$)/gs)];
  const kept = parts.filter((m) => Number(m[2]) === cited.n).map((m) => m[1]!.trim());
  if (kept.length === 0) return { text: answerText.replace(/\[\d+\]/g, '[1]'), paper: cited.paper, first: answerText };
  return { text: kept.map((k) => `${k} [1]`).join(' '), paper: cited.paper, first: kept[0]! };
}
