/**
 * One message read against the conversation so far: what it refers to ("it", "the second one",
 * "the X one"), what it asks for (route.ts), and the capability or question that answers it.
 * Conversations (conversations.ts) keeps the state and calls `turn` once per message.
 */
import type { Paper } from '../collection/types.js';
import type { Clock } from '../clock.js';
import type { Engine } from '../engine/types.js';
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
import type { ConversationState } from './types.js';

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

export class Turns {
  constructor(
    private readonly engine: Engine,
    private readonly capabilities: Capabilities,
    private readonly questions: Questions,
    private readonly clock: Clock,
  ) {}

  private papersOf(ids: readonly string[]): Paper[] {
    return ids.map((id) => this.engine.paper(id)).filter((p): p is Paper => Boolean(p) && ids.includes(p!.id));
  }

  async turn(state: ConversationState, message: string, expired: boolean): Promise<Outcome> {
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
