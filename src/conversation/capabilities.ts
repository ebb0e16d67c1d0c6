/**
 * The capabilities other than answering questions: search, similar papers, a paper in
 * detail, code links, metadata, comparisons, today's picks. Each takes the understood turn
 * and returns the reply and how the focus moves.
 */
import type { Paper } from '../collection/types.js';
import { splitSentences } from '../engine/ask/sentences.js';
import type { Engine } from '../engine/types.js';
import * as compose from './compose.js';
import { closestSentence, contribution, sharedWords, whyLine } from './evidence.js';
import { quoteUser } from './safe-text.js';
import { LIST_SIZE, result, type Outcome, type Turn } from './turn.js';

/** A question about where the work was done rather than by whom. */
const WHERE_QUESTION = /\bwhere\b|\b(?:lab|labs|company|university|institution|affiliations?|organi[sz]ation)\b/i;
/** A sentence naming where the work was done: "Work done during an internship at …", "… University", "… Labs". */
const AFFILIATION = /\b(?:work (?:was )?done|internship|affiliat\w*|universit(?:y|ies)|institut(?:e|ion)|laborator(?:y|ies)|labs?\b|research (?:center|centre))/i;

function affiliationSentence(paper: Paper): string | undefined {
  return splitSentences(paper.abstract).find((s) => AFFILIATION.test(s));
}

/** Papers from outside the list shown next to "which of these …" results. */
const ELSEWHERE = 2;

export const LOST_THREAD = "I've lost the thread of that conversation — which paper do you mean?";

/** The reply when references cannot be resolved: nothing to point at, a lost thread, or a position past the list. */
export function clarify(t: Turn): Outcome {
  let text: string;
  const listed = t.shown.length || t.focus.length;
  if (t.expired) text = LOST_THREAD;
  else if (t.resolution.problem === 'out-of-range') text = `The last list had ${listed} paper${listed === 1 ? '' : 's'} — which one do you mean?`;
  else if (t.route.intent === 'compare') text = 'Which papers should I compare? Name them, or ask me to find some first.';
  else text = "Which paper do you mean? We haven't talked about one yet — name it (its title or part of it), or ask me to find papers on a topic.";
  return { result: result('clarify', false, compose.plain(text)) };
}

export class Capabilities {
  constructor(
    private readonly engine: Engine,
    private readonly picks?: (date: string) => Paper[],
  ) {}

  today(date: string): Outcome {
    const picks = (this.picks?.(date) ?? this.engine.picks(date, 3, [])).slice(0, 10);
    if (picks.length === 0) return { result: result('today', false, compose.plain('There are no papers in the collection to pick from.')) };
    const items = picks.map((paper) => ({ paper, why: contribution(paper, 1)[0] }));
    const composed = compose.paperList(`Today's picks (${date}):`, items);
    return { result: result('today', true, composed), focus: picks, shown: picks };
  }

  async find(t: Turn): Promise<Outcome> {
    const { route: r, resolution } = t;
    // "which of these …", "do any of them …": the papers pointed at; a bare "they" is not enough.
    const ref = t.reference.reference;
    const among = ref.kind === 'ordinal' || ((ref.kind === 'which' || ref.kind === 'plural') && !ref.weak);
    if (among && resolution.targets.length) return this.filterAmong(resolution.targets, r.topic, r.hasCode);
    if (!r.topic) {
      return { result: result('clarify', false, compose.plain('What topic should I look for? For example: "papers on <topic>".')) };
    }
    return this.search(r.topic, r.hasCode, 0);
  }

  /** One page of search results, one line each on why it matches. */
  async search(topic: string, hasCode: boolean, offset: number): Promise<Outcome> {
    const found = await this.engine.find(topic, { k: LIST_SIZE, offset, filters: hasCode ? { hasCode: true } : undefined });
    const hits = found.hits.map((h) => h.paper);
    const what = `${quoteUser(topic)}${hasCode ? ' with code' : ''}`;
    if (hits.length === 0) {
      return { result: result('find', false, compose.plain(offset ? `That's all I have on ${what}.` : `I found nothing on ${what} in the collection.`)) };
    }
    const items = hits.map((paper) => ({ paper, why: whyLine(paper, topic, this.engine.papers) }));
    const heading = offset ? `More papers on ${what} (${offset + 1}–${offset + hits.length} of ${found.total}):` : `Papers on ${what}:`;
    return { result: result('find', true, compose.paperList(heading, items)), focus: hits, shown: hits };
  }

  /** "which of these use X?", "which of them have code?": the papers pointed at that match. */
  async filterAmong(papers: Paper[], topic: string, hasCode: boolean): Promise<Outcome> {
    let matches = hasCode ? papers.filter((p) => p.codeLinks.length) : papers;
    const scored = topic
      ? matches
          .map((paper) => ({ paper, closest: closestSentence(topic, [paper], this.engine.papers) }))
          .filter((x) => x.closest && x.closest.coverage >= 0.5)
          .sort((a, b) => b.closest!.coverage - a.closest!.coverage)
      : matches.map((paper) => ({ paper, closest: undefined }));
    matches = scored.map((x) => x.paper);
    const what = [topic ? quoteUser(topic) : '', hasCode ? 'code' : ''].filter(Boolean).join(' and ');
    // The list showed only a few papers: the best others in the collection on the same topic, for comparison.
    const listed = new Set(papers.map((p) => p.id));
    const elsewhere = topic
      ? (await this.engine.find(topic, { k: ELSEWHERE + LIST_SIZE, filters: hasCode ? { hasCode: true } : undefined })).hits
          .map((h) => h.paper)
          .filter((p) => !listed.has(p.id))
          .slice(0, ELSEWHERE)
      : [];
    const more = { heading: 'Elsewhere in the collection:', items: elsewhere.map((paper) => ({ paper, why: whyLine(paper, topic, this.engine.papers) })) };
    if (matches.length === 0) {
      const composed = compose.paperList(`None of those ${papers.length} papers mention ${what}.`, [], more);
      return { result: result('find', false, composed), shown: elsewhere.length ? elsewhere : undefined };
    }
    const items = scored.map(({ paper, closest }) => ({
      paper,
      why: hasCode && !topic ? paper.codeLinks.map((c) => c.url).join(' ') : closest?.text ?? whyLine(paper, topic, this.engine.papers),
    }));
    const composed = compose.paperList(`Of those, ${matches.length === 1 ? 'this one matches' : `these ${matches.length} match`} ${what}:`, items, more);
    return { result: result('find', true, composed), focus: matches, shown: composed.papers };
  }

  async similar(t: Turn): Promise<Outcome> {
    const target = t.resolution.targets[0];
    if (!target) {
      if (!t.route.topic) return clarify(t);
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

  detail(targets: Paper[]): Outcome {
    if (targets.length === 1) {
      const paper = targets[0]!;
      return { result: result('paper', true, compose.paperDetail(paper, contribution(paper, 3))), focus: [paper] };
    }
    const composed = compose.paperBriefs(targets.map((paper) => ({ paper, summary: contribution(paper, 1).join(' ') })));
    return { result: result('paper', true, composed), focus: targets };
  }

  async code(t: Turn): Promise<Outcome> {
    const { targets } = t.resolution;
    if (t.resolution.source === 'which') {
      return this.filterAmong(targets, '', true);
    }
    const afterList = t.resolution.source === 'single' && t.lastWasList && t.shown[0]?.id === targets[0]?.id;
    const composed = compose.codeLinks(targets, afterList ? t.shown : []);
    return { result: result('code', targets.some((p) => p.codeLinks.length > 0), composed), focus: targets };
  }

  /** Authors or date from the metadata; for "where was the work done", a sentence of the abstract that says so. */
  metadata(targets: Paper[], field: 'authors' | 'date', asked: string): Outcome {
    const { composed, known, saidWhere } = compose.metadata(targets, field, affiliationSentence);
    const askedWhere = WHERE_QUESTION.test(asked);
    return { result: result('paper', known || (askedWhere && saidWhere), composed), focus: targets };
  }

  compare(t: Turn): Outcome {
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
}
