/**
 * Answering questions: about the papers pointed at (scoped, with "it" replaced by the
 * paper's name so the extractive answerer knows which paper is meant), or about the whole
 * collection (an answer plus the closest papers). When the abstracts do not say, the reply
 * says so and quotes the nearest sentence, marked unanswered.
 */
import type { Paper } from '../collection/types.js';
import { answerQuestion } from '../engine/ask/answer.js';
import { quantityStrength } from '../engine/ask/evidence.js';
import { readQuestion } from '../engine/ask/question.js';
import { questionFacets } from '../engine/ask/facets.js';
import type { Engine } from '../engine/types.js';
import * as compose from './compose.js';
import { closestSentence, contentTerms, contribution, fitness, hasRarestTerm, mentionsElsewhere, paperFit } from './evidence.js';
import { quoteFor, topSentences } from './quotes.js';
import { NameIndex } from './names.js';
import { MARK, naming, type ReadReference } from './references.js';
import { LIST_SIZE, result, type Outcome, type Turn } from './turn.js';

/** "which one …" picks a paper only when it covers this much of the question (see evidence.paperFit)… */
const MIN_PICK_FIT = 0.34;
/** …and calls it an answer when it is this far ahead of the next. */
const PICK_MARGIN = 0.15;
/** "which one …" asks among the parts of the one paper discussed when that paper covers this much of it. */
const WITHIN_FIT = 0.5;
/** How many papers the wider search for "which one …" adds to the list. */
const WIDER_SEARCH = 10;
/** How much fitting the earlier message counts in that choice, and the edge a listed paper has. */
const EARLIER_WEIGHT = 0.2;
const LISTED_BONUS = 0.1;
/** Questions about what a name means. */
const ASKS_MEANING = /\bwhat (?:does|do) .{0,40}?\b(?:mean|stand for)\b|\bwhat(?:'s| is) .{0,30}\b(?:short|an acronym|an abbreviation) for\b|\bmeaning of\b|\bstands? for\b/i;
/** Other papers shown under an answer. */
const SEE_ALSO = 3;
/** A quoted "closest sentence" must cover this share of the question's content words. */
const MIN_QUOTE_COVERAGE = 0.15;
/** …or this share when the question is about one paper. */
const MIN_QUOTE_COVERAGE_ONE = 0;
/** Another paper's answer to a question without pointers replaces the paper in focus only when it covers this much of it (see evidence.paperFit)… */
const IMPLICIT_FOCUS_FIT = 0.5;
/** …and this much more than the paper in focus. */
const FOCUS_EDGE = 0.25;
/** An answer from the papers pointed at must fit the question's own words this well (see evidence.fitness). */
const MIN_SCOPED_FITNESS = 0.5;

export class Questions {
  constructor(
    private readonly engine: Engine,
    /** A paper in detail, for "what about it?" (nothing asked beyond the pointer). */
    private readonly detail: (targets: Paper[]) => Outcome,
    /** The papers of a list that match a topic, for "which of these is about X?". */
    private readonly among: (papers: Paper[], topic: string) => Promise<Outcome>,
  ) {}

  async ask(t: Turn): Promise<Outcome> {
    const { resolution } = t;
    const pointed = t.reference.reference.kind !== 'none';
    const question = pointed ? t.reference.rest : t.text;
    let targets = resolution.targets;
    // "what does the name mean?" about one paper: what its name stands for, or else what it is.
    if (targets.length === 1 && ASKS_MEANING.test(t.text) && contentTerms(question.replace(ASKS_MEANING, ' ')).length === 0) {
      const paper = targets[0]!;
      const expanded = await this.answerFrom(`What does ${NameIndex.for(this.engine.papers).shortName(paper)} stand for?`, [paper]);
      return expanded ?? this.detail([paper]);
    }
    // "what about it?": nothing asked beyond the pointer — show the paper; "how does it work?" — what it does.
    if (targets.length && contentTerms(question).length === 0) {
      const paper = targets[0]!;
      const part = targets.length === 1 && questionFacets(question).length ? topSentences(question, paper, this.engine.papers) : [];
      if (part.length === 0) return this.detail(targets.slice(0, 3));
      return { result: result('ask', true, compose.answer(part.map((s) => `${s} [1]`).join(' '), [paper])), focus: [paper] };
    }
    // A question that points at nothing is about the paper being discussed. The rest of the collection
    // is asked only when the question has a specific word that paper does not use ("what are the bridge
    // tokens for?" after the wrong paper), and its answer is taken only from a paper covering the question better.
    let implicit: 'no' | 'maybe' = 'no';
    let focusFit = 0;
    if (!targets.length && t.focus[0] && !t.route.wantsList) {
      const focus = t.focus[0];
      focusFit = paperFit(question, focus, this.engine.papers);
      implicit = mentionsElsewhere(question, focus, this.engine.papers) ? 'maybe' : 'no';
      targets = [focus];
      // Right after a list, the first paper is the one meant — unless it has no answer and another listed paper has one.
      if (t.lastWasList) {
        const answered = await this.answerFromList(question, focus, t.shown);
        if (answered) return answered;
      }
    }

    if (targets.length) {
      // "it" right after a list: the list's papers, in order, so the answer can come from the one meant.
      const afterList = resolution.source === 'single' && t.lastWasList && t.shown.length > 0 && t.shown[0]!.id === targets[0]!.id;
      const scope = afterList ? t.shown.slice(0, LIST_SIZE) : targets;
      // "which one uses relative positions?" while one paper is discussed and it speaks of that: which of its parts.
      const withinOne = resolution.source === 'which' && !t.lastWasList && t.aboutOne && t.focus[0] && paperFit(question, t.focus[0], this.engine.papers) >= WITHIN_FIT;
      if (withinOne) return (await this.answerAbout(t.reference, question, [t.focus[0]!], true)) ?? this.notInAbstract(question, [t.focus[0]!]);
      // "which one gets it down to 1 bit?": first the paper, then what it says.
      if (resolution.source === 'which') {
        const picked = await this.pickOne(question, scope, previousMessage(t));
        if (picked) return picked;
      }
      const answered = await this.answerAbout(t.reference, question, scope, resolution.source !== 'named' || Boolean(t.replayed));
      if (answered) return answered;
      // "which of these is about X?" with no sentence answering it: the ones that are about X.
      if (resolution.source === 'which' && scope.length > 1) {
        const matching = await this.among(scope, question);
        if (matching.result.answered) return matching;
      }
      const weakOnly = resolution.source === 'named' && t.named.every((n) => n.strength === 'weak');
      if (!weakOnly && implicit === 'no') return this.notInAbstract(question, scope);
      // Not pointed at, only perhaps about it: the whole collection may answer.
      const wider = await this.askCollection(question, t.route.wantsList, t.focus.length > 0);
      const answeredBy = wider.result.citations[0]?.paper;
      const fitsBetter = answeredBy && paperFit(question, answeredBy, this.engine.papers) >= Math.max(IMPLICIT_FOCUS_FIT, focusFit + FOCUS_EDGE);
      if (wider.result.answered && (weakOnly || fitsBetter)) return wider;
      // Nothing in the collection either: what the paper being discussed says nearest to it.
      return this.notInAbstract(question, scope);
    }
    return this.askCollection(question, t.route.wantsList, t.focus.length > 0);
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
      const named = asAcronymQuestion(read.marked.includes(MARK) ? naming(read, name) : `${question.replace(/[\s?.!]+$/u, '')} in ${name}?`);
      const answer = await this.answerFrom(named, [paper], question);
      if (answer) return { ...answer, focus: [paper, ...scope] };
    }
    return undefined;
  }

  /** A confident answer from the first paper of a list, else from the next of its papers (in list order) that covers the question and answers it. */
  private async answerFromList(question: string, first: Paper, listed: readonly Paper[]): Promise<Outcome | undefined> {
    const others = listed
      .slice(0, LIST_SIZE)
      .filter((p) => p.id !== first.id)
      .map((paper) => ({ paper, fit: paperFit(question, paper, this.engine.papers) }))
      .filter((x) => x.fit >= IMPLICIT_FOCUS_FIT);
    if (others.length === 0) return undefined;
    const own = await this.answerFrom(question, [first]);
    if (own) return own;
    for (const { paper } of others) {
      const answer = await this.answerFrom(question, [paper]);
      if (answer) return answer;
    }
    return undefined;
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
    // The answer must fit the question as the user asked it (not only the renamed one), and have its most
    // specific word: "what hardware …" is not answered by a sentence about fine-tuning that never says which.
    const asked = mustCover ?? question;
    // An acronym's expansion is checked by the answerer itself (the sentence must spell it out).
    const expandsName = readQuestion(question).type === 'acronym';
    if (!expandsName && fitness(asked, first, this.engine.papers) < MIN_SCOPED_FITNESS) return undefined;
    if (!expandsName && !hasRarestTerm(asked, `${first} ${paper.title}`, this.engine.papers)) return undefined;
    // What to quote: the sentences that best answer the question as asked, with the answerer's first pick.
    const quote = quoteFor(asked, paper, this.engine.papers, first);
    // "how many …" is not answered without a number.
    if (readQuestion(asked).type === 'quantity' && !quote.some((q) => quantityStrength(q) > 0) && quantityStrength(text) === 0) return undefined;
    const composed = compose.answer(quote.length ? quote.map((q) => `${q} [1]`).join(' ') : text, [paper]);
    return { result: result('ask', true, composed), focus: [paper, ...papers] };
  }

  /** The papers in question don't answer it: say so, quoting the nearest sentence when there is a fair one. */
  /**
   * "which one …?" among several papers: the paper covering most of the question (its title
   * counting extra), with the sentences that say so. Undefined when none covers enough.
   */
  private async pickOne(question: string, scope: Paper[], previous: string): Promise<Outcome | undefined> {
    // The list may not hold the paper meant (it showed only the top few): search again with
    // the earlier message and this one together, and let the list's own papers win near-ties.
    const wider = (await this.engine.find(`${previous} ${question}`.slice(0, 400), { k: WIDER_SEARCH })).hits.map((h) => h.paper);
    const listed = new Set(scope.map((p) => p.id));
    const candidates = [...scope, ...wider.filter((p) => !listed.has(p.id))];
    const collection = this.engine.papers;
    const ranked = candidates
      .map((paper, i) => ({
        paper,
        i,
        fit: paperFit(question, paper, collection) + EARLIER_WEIGHT * (previous ? paperFit(previous, paper, collection) : 0) + (listed.has(paper.id) ? LISTED_BONUS : 0),
      }))
      .sort((a, b) => b.fit - a.fit || a.i - b.i);
    const [best, second] = ranked;
    if (!best || paperFit(question, best.paper, collection) < MIN_PICK_FIT) return undefined;
    const lead = `That's “${best.paper.title}”:`;
    const direct = await this.answerFrom(question, [best.paper]);
    const sentences = direct ? undefined : topSentences(question, best.paper, this.engine.papers, 2);
    const clear = !second || best.fit - second.fit >= PICK_MARGIN;
    const text = direct ? direct.result.reply.split('\n')[0]! : `${sentences?.length ? `“${sentences.join(' ')}”` : ''} [1]`;
    const composed = compose.answer(text, [best.paper], [], lead);
    return { result: result('ask', clear, composed), focus: [best.paper, ...scope] };
  }

  private notInAbstract(question: string, scope: Paper[]): Outcome {
    let targets = scope;
    const closest = closestSentence(question, targets, this.engine.papers);
    if (closest && targets.length > 1 && closest.coverage >= MIN_QUOTE_COVERAGE) targets = [closest.paper];
    // Quote the best sentence and any close to it, from the one paper.
    if (closest) closest.text = topSentences(question, closest.paper, this.engine.papers).join(' ') || closest.text;
    const subject = targets.length === 1 ? `The abstract of “${targets[0]!.title}”` : 'The abstracts of those papers';
    const verb = targets.length === 1 ? "doesn't" : "don't";
    const unsure = `I'm not sure ${subject.charAt(0).toLowerCase()}${subject.slice(1)} answers that exactly.`;
    // About one paper the user pointed at, any sentence sharing a content word is worth showing.
    if (closest && (scope.length === 1 ? closest.coverage > MIN_QUOTE_COVERAGE_ONE : closest.coverage >= MIN_QUOTE_COVERAGE)) {
      const composed = compose.notFound(unsure, [], closest);
      return { result: result('ask', false, composed), focus: [closest.paper, ...targets] };
    }
    if (targets.length === 1) {
      const paper = targets[0]!;
      // No shared word, but sentences of the kind asked about ("which datasets" → its experiments).
      const kind = topSentences(question, paper, this.engine.papers);
      if (kind.length) {
        const composed = compose.notFound(unsure, [], { paper, text: kind.join(' ') });
        return { result: result('ask', false, composed), focus: targets };
      }
      // Nothing in it comes near the question: say so, and what the paper does say it does.
      // "what problem does it fix?": the problem is usually stated just before the contribution.
      const said = { paper, text: contribution(paper, 2, 600, questionFacets(question).some((f) => f === 'problem' || f === 'cause' || f === 'limitation')).join(' ') };
      const composed = compose.notFound(`${subject} doesn't say that directly. What it says it does:`, [], said.text ? said : undefined);
      return { result: result('ask', false, composed), focus: targets };
    }
    const composed = compose.notFound(`${subject} ${verb} say — the collection only has titles and abstracts.`, targets);
    return { result: result('ask', false, composed), focus: targets };
  }

  /** A question to the whole collection: an answer with its source and the closest papers, or the closest papers alone. */
  private async askCollection(question: string, wantsList: boolean, hasFocus: boolean): Promise<Outcome> {
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
    // Nothing answered: the papers shown can be pointed at, but a focus already there stays.
    return { result: result('ask', false, composed), shown: composed.papers, ...(hasFocus ? {} : { focus: composed.papers }) };
  }
}

/** "what does FooNet mean?" asks what the name stands for. */
function asAcronymQuestion(question: string): string {
  return question.replace(/^(\s*what (?:does|do) \S+) mean\s*\??\s*$/i, '$1 stand for?');
}

/** The user's message before this one ('' if none): what a "which one …" chooses among. */
function previousMessage(t: Turn): string {
  const turns = t.state.turns;
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]!.role === 'user') return turns[i]!.text.slice(0, 300);
  return '';
}

/** Papers ordered by how close their best sentence comes to the question (stable for ties). */
function closestFirst(question: string, papers: readonly Paper[], collection: readonly Paper[]): Paper[] {
  if (papers.length < 2) return [...papers];
  return papers
    .map((paper, i) => ({ paper, i, coverage: closestSentence(question, [paper], collection)?.coverage ?? 0 }))
    .sort((a, b) => b.coverage - a.coverage || a.i - b.i)
    .map((x) => x.paper);
}

/**
 * Keeps the sentences of the first cited paper only, renumbered [1]: an answer never
 * stitches together sentences from papers that may be about different things.
 */
export function onePaper(answerText: string, citations: readonly { n: number; paper: Paper }[]): { text: string; paper: Paper; first: string } {
  const cited = citations[0]!;
  const parts = [...answerText.matchAll(/(.+?)\s\[(\d+)\](?=\s|$)/gs)];
  const kept = parts.filter((m) => Number(m[2]) === cited.n).map((m) => m[1]!.trim());
  if (kept.length === 0) return { text: answerText.replace(/\[\d+\]/g, '[1]'), paper: cited.paper, first: answerText };
  return { text: kept.map((k) => `${k} [1]`).join(' '), paper: cited.paper, first: kept[0]! };
}
