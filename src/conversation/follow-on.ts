/**
 * Elliptical follow-ups: "and the second one?", "what about <paper>?" right after a
 * question ask that question again, about the papers now pointed at.
 */
import { contentTerms } from './evidence.js';
import { cleanMessage } from './input.js';
import type { NameIndex, NamedPaper } from './names.js';
import { MARK, readReference, type ReadReference } from './references.js';
import { followsOn, route, withoutFollowOn } from './route.js';
import type { Turn } from './turn.js';

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

/**
 * "and the second one?", "what about FoldNet?": nothing asked but papers pointed at, right
 * after a question — the previous message again, about these papers.
 */
export function replay(t: Turn, names: NameIndex): Turn | undefined {
  const pointed = t.reference.reference.kind !== 'none' || t.named.length > 0;
  if (!followsOn(t.text) || !pointed || t.resolution.problem || t.resolution.targets.length === 0) return undefined;
  if (contentTerms(withoutSpans(withoutFollowOn(t.reference.rest), t.named)).length > 0) return undefined;
  const previous = [...t.state.turns].reverse().find((turn) => turn.role === 'user')?.text;
  if (!previous) return undefined;
  const text = cleanMessage(previous).text;
  const read = readReference(text);
  const named = names.match(text);
  const again = route(text, read.rest, { refers: true, names: named.length });
  if (!REPLAYABLE.has(again.intent)) return undefined;
  // The previous question with whatever it pointed at or named taken out, to be asked of the new papers.
  const marked = markSpans(read.marked, named);
  const reference: ReadReference = { reference: { kind: 'single' }, rest: marked.split(MARK).join(' ').replace(/\s+/g, ' ').trim(), marked };
  return { ...t, text, reference, route: again, replayed: true };
}
