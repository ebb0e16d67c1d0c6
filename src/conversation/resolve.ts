/**
 * What a message's references point at, given the conversation so far: "it" → the paper
 * in focus, "the second one" → the second of the last list, a named paper → that paper.
 * Pure: papers in, papers out.
 */
import type { Paper } from '../collection/types.js';
import type { NamedPaper } from './names.js';
import { pickPositions, type Reference } from './references.js';
import type { Intent } from './route.js';
import { describedPaper } from './subject.js';

/** Plural references cover at most this many papers ("compare them"). */
export const MAX_PLURAL = 5;

export type ResolutionSource = 'described' | 'named' | 'ordinal' | 'single' | 'plural' | 'which' | 'implicit' | 'none';

export interface Resolution {
  /** The papers the message is about, most salient first; empty when it is about none in particular. */
  targets: Paper[];
  source: ResolutionSource;
  /** Why references could not be resolved: nothing to point at, or a position past the end of the list. */
  problem?: 'no-context' | 'out-of-range';
}

export interface ResolveInput {
  reference: Reference;
  named: readonly NamedPaper[];
  intent: Intent;
  /** Papers in focus, most salient first. */
  focus: readonly Paper[];
  /** The last list shown, in the order shown. */
  shown: readonly Paper[];
  /** The last reply was a list (search results, similar papers, picks). */
  lastWasList: boolean;
  /** The message has search words of its own beyond its cue phrases (for "similar"). */
  hasTopic: boolean;
  /** How many content words the message has besides its reference phrases. */
  contentWords: number;
}

/** Intents that are about particular papers even when the message does not point at one ("any code?", "tell me more"). */
const ABOUT_A_PAPER: ReadonlySet<Intent> = new Set(['paper', 'code', 'authors', 'date', 'compare']);

export function resolveTargets(input: ResolveInput): Resolution {
  const resolved = resolve(input);
  // A bare "it"/"they" with nothing to point back at may mean something in the same
  // message ("papers on models that fail when they see long inputs"): search or answer as asked.
  const weak = 'weak' in input.reference && Boolean(input.reference.weak);
  if (resolved.problem === 'no-context' && weak && (input.intent === 'find' || input.intent === 'ask') && input.contentWords >= 2) {
    return { targets: [], source: 'none' };
  }
  return resolved;
}

function resolve(input: ResolveInput): Resolution {
  const { reference, intent, focus, shown } = input;
  // A search names topics, not papers: "papers on <name>" searches for it.
  const named = intent === 'find' ? [] : input.named.map((n) => n.paper);
  const list = shown.length ? shown : focus;

  switch (reference.kind) {
    case 'ordinal': {
      // "I'm comparing A, B and C. the 2nd one, …": positions among the papers the message names.
      if (named.length >= 2 && intent !== 'compare') {
        const among = pickPositions(reference.positions, named.length).map((i) => named[i]!);
        if (among.length) return { targets: among, source: 'ordinal' };
      }
      if (list.length === 0) return { targets: [], source: 'ordinal', problem: 'no-context' };
      const picked = pickPositions(reference.positions, list.length).map((i) => list[i]!);
      if (picked.length === 0) return { targets: [], source: 'ordinal', problem: 'out-of-range' };
      // "is that one better than the third?": the paper in focus against the one picked.
      const pointed = reference.withFocus && intent === 'compare' && focus[0] ? dedupe([focus[0], ...picked]) : picked;
      return { targets: withNamed(pointed, named, intent), source: 'ordinal' };
    }
    case 'described': {
      const described = describedPaper(reference.words, dedupe([...shown, ...focus]));
      if (!described) return { targets: [], source: 'described', problem: 'no-context' };
      // "compare it with the L2 one": the paper in focus against the one described.
      const pair = reference.withFocus && intent === 'compare' && focus[0] ? dedupe([focus[0], described]) : [described];
      return { targets: pair, source: 'described' };
    }
    case 'other': {
      // The paper discussed alongside the one in focus: the other of a list or pair just shown, else the next in focus.
      const pool = input.lastWasList && shown.length ? shown : focus;
      const other = pool.find((p) => p.id !== focus[0]?.id);
      return other ? { targets: [other], source: 'ordinal' } : { targets: [], source: 'ordinal', problem: 'no-context' };
    }
    case 'which':
      if (list.length === 0) return named.length ? { targets: named, source: 'named' } : { targets: [], source: 'which', problem: 'no-context' };
      return { targets: [...list], source: 'which' };
    case 'plural': {
      // A bare "they" after a reply about one paper means its authors, i.e. that paper.
      const group = input.lastWasList && shown.length ? shown : reference.weak && intent !== 'compare' ? focus.slice(0, 1) : focus;
      if (named.length && intent !== 'compare') return { targets: named, source: 'named' };
      if (group.length === 0) return named.length ? { targets: named, source: 'named' } : { targets: [], source: 'plural', problem: 'no-context' };
      return { targets: withNamed(group.slice(0, reference.count ?? MAX_PLURAL), named, intent), source: 'plural' };
    }
    case 'single': {
      // "does it use <words that happen to be in a title>?": "it" is the subject; only a real name moves it.
      const strong = input.named.some((n) => n.strength === 'strong');
      if (named.length && strong && intent !== 'compare' && intent !== 'similar') return { targets: named, source: 'named' };
      const subject = focus[0];
      if (!subject) return named.length ? { targets: named, source: 'named' } : { targets: [], source: 'single', problem: 'no-context' };
      return { targets: withNamed([subject], strong || intent === 'compare' ? named : [], intent), source: 'single' };
    }
    case 'none': {
      if (named.length) {
        // "compare it with X" without "it": X against the paper in focus.
        if (intent === 'compare' && named.length === 1 && focus[0] && focus[0].id !== named[0]!.id) {
          return { targets: [focus[0], named[0]!], source: 'named' };
        }
        return { targets: named, source: 'named' };
      }
      const implicit = ABOUT_A_PAPER.has(intent) || (intent === 'similar' && !input.hasTopic);
      if (!implicit) return { targets: [], source: 'none' };
      if (intent === 'compare') {
        const group = input.lastWasList && shown.length ? shown : focus;
        return group.length >= 2 ? { targets: group.slice(0, 2), source: 'implicit' } : { targets: [], source: 'implicit', problem: 'no-context' };
      }
      return focus[0] ? { targets: [focus[0]], source: 'implicit' } : { targets: [], source: 'implicit', problem: 'no-context' };
    }
  }
}

/** For comparisons and "similar to it", a named paper joins the ones pointed at; otherwise the named ones win. */
function withNamed(pointed: Paper[], named: Paper[], intent: Intent): Paper[] {
  if (named.length === 0) return pointed;
  if (intent === 'compare') return dedupe([...pointed, ...named]);
  return named;
}

function dedupe(papers: Paper[]): Paper[] {
  const seen = new Set<string>();
  return papers.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}
