/**
 * The daily picks: a few papers a day, the same for everyone on that date, varied in
 * topic, and never repeating a paper until every paper has had its turn.
 */
import type { Paper } from '../collection/types.js';
import { UserFacingError } from '../errors.js';
import { analyze } from './text/analyze.js';
import { fnv1a, mulberry32 } from '../random.js';
import { MAX_DAILY_COUNT, MIN_DAILY_COUNT } from '../rules/daily.js';
import { isIsoDate } from '../rules/time.js';

export type Similarity = (a: Paper, b: Paper) => number;

export const MIN_PICKS = MIN_DAILY_COUNT;
export const MAX_PICKS = MAX_DAILY_COUNT;
/** MMR trade-off: 1 = pure (random) relevance, 0 = pure diversity. */
const MMR_LAMBDA = 0.5;
/** MMR runs over this many randomly drawn candidates, so a day costs the same at 50k papers. */
const POOL_SIZE = 60;

const termCache = new WeakMap<Paper, Set<string>>();
function termsOf(p: Paper): Set<string> {
  let terms = termCache.get(p);
  if (!terms) {
    terms = new Set(analyze(`${p.title} ${p.abstract}`));
    termCache.set(p, terms);
  }
  return terms;
}

/** Default similarity: Jaccard over the analysed terms of title + abstract. */
export function jaccardSimilarity(a: Paper, b: Paper): number {
  const ta = termsOf(a);
  const tb = termsOf(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  const union = ta.size + tb.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * Ids posted in the current cycle. Walking the history oldest first, a cycle ends once
 * every current paper has been posted, or when a paper comes round a second time.
 * Ids that are no longer in the collection are ignored.
 */
function currentCycle(known: ReadonlySet<string>, history: readonly string[]): Set<string> {
  const seen = new Set<string>();
  for (const id of history) {
    if (!known.has(id)) continue;
    if (seen.has(id)) seen.clear();
    seen.add(id);
    if (seen.size === known.size) seen.clear();
  }
  return seen;
}

/** Maximal marginal relevance: each next pick is likely (random relevance) yet unlike those taken. */
function mmrSelect(
  pool: { paper: Paper; relevance: number }[],
  n: number,
  similarity: Similarity,
): Paper[] {
  const chosen: Paper[] = [];
  const maxSim = pool.map(() => 0);
  const taken = pool.map(() => false);
  while (chosen.length < n && chosen.length < pool.length) {
    let best = -1;
    let bestValue = -Infinity;
    pool.forEach((c, i) => {
      if (taken[i]) return;
      const value = MMR_LAMBDA * c.relevance - (1 - MMR_LAMBDA) * maxSim[i]!;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    });
    const picked = pool[best]!;
    taken[best] = true;
    chosen.push(picked.paper);
    pool.forEach((c, i) => {
      if (!taken[i]) maxSim[i] = Math.max(maxSim[i]!, similarity(c.paper, picked.paper));
    });
  }
  return chosen;
}

function drawDiverse(candidates: readonly Paper[], n: number, random: () => number, similarity: Similarity): Paper[] {
  if (n <= 0 || candidates.length === 0) return [];
  const scored = candidates.map((paper) => ({ paper, relevance: random() }));
  // Sort by relevance, then id, so equal random draws can't depend on input order.
  scored.sort((a, b) => b.relevance - a.relevance || (a.paper.id < b.paper.id ? -1 : 1));
  return mmrSelect(scored.slice(0, Math.max(POOL_SIZE, n)), n, similarity);
}

/**
 * The picks for `date`: deterministic for (date, collection, history), diverse by
 * `similarity`, and drawn from the papers not yet posted in the current cycle. When
 * fewer than n remain, all of them are taken first (they come first in the result) and
 * the rest come from a new cycle, avoiding the most recently posted papers.
 * n is clamped to 1..10. Throws UserFacingError for an invalid date or n.
 */
export function dailyPicks(
  papers: readonly Paper[],
  date: string,
  n: number,
  history: readonly string[],
  similarity: Similarity = jaccardSimilarity,
): Paper[] {
  if (!isIsoDate(date)) {
    throw new UserFacingError(`"${String(date).slice(0, 40)}" is not a valid date; use YYYY-MM-DD, e.g. 2026-03-14.`);
  }
  if (!Number.isFinite(n)) throw new UserFacingError('The number of picks must be a number from 1 to 10.');
  const count = Math.min(MAX_PICKS, Math.max(MIN_PICKS, Math.floor(n)), papers.length);
  if (count === 0) return [];

  // Sorted by id so that the collection's file order does not change the picks.
  const all = [...papers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const known = new Set(all.map((p) => p.id));
  const random = mulberry32(fnv1a(`paperbot-picks:${date}`));

  const posted = currentCycle(known, history);
  const remaining = all.filter((p) => !posted.has(p.id));
  if (remaining.length >= count) return drawDiverse(remaining, count, random, similarity);

  // End of a cycle: everything left, then a fresh draw that avoids what was posted lately.
  const chosen = drawDiverse(remaining, remaining.length, random, similarity);
  const chosenIds = new Set(chosen.map((p) => p.id));
  const need = count - chosen.length;
  const recent = new Set<string>();
  const maxAvoided = Math.max(0, Math.floor(all.length / 2));
  for (let i = history.length - 1; i >= 0 && recent.size < maxAvoided; i--) {
    const id = history[i]!;
    if (known.has(id) && !chosenIds.has(id)) recent.add(id);
  }
  let fresh = all.filter((p) => !chosenIds.has(p.id) && !recent.has(p.id));
  if (fresh.length < need) fresh = all.filter((p) => !chosenIds.has(p.id));
  return [...chosen, ...drawDiverse(fresh, need, random, similarity)];
}
