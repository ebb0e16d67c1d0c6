/**
 * Custom ids for buttons and select menus. Discord gives us back only the
 * custom id (≤ 100 chars), so paging state is encoded in it and the query
 * itself lives in a small in-memory LRU keyed by a short hash (one QueryMemory per
 * bot, made by the composition root and handed to commands in Services).
 */
import { createHash } from 'node:crypto';

/** The select menu under result lists; routed to the `similar` command. */
export const MORE_LIKE_THIS_ID = 'similar:more';

export interface FindPageState {
  offset: number;
  k: number;
  hasCode: boolean;
  queryHash: string;
}

const FIND_PAGE = /^find:page:(\d{1,4}):(\d{1,2}):([01]):([A-Za-z0-9_-]{1,32})$/;

export function findPageId(state: FindPageState): string {
  return `find:page:${state.offset}:${state.k}:${state.hasCode ? 1 : 0}:${state.queryHash}`;
}

export function parseFindPageId(customId: string): FindPageState | null {
  const m = FIND_PAGE.exec(customId);
  if (!m) return null;
  return { offset: Number(m[1]), k: Number(m[2]), hasCode: m[3] === '1', queryHash: m[4]! };
}

const ARRIVAL = /^add:arrival:(\d{1,15})$/;

/** "Add to collection" under a daily post's new arrivals; routed to the `add` command. */
export function arrivalAddId(itemId: number): string {
  return `add:arrival:${itemId}`;
}

export function parseArrivalAddId(customId: string): number | null {
  const m = ARRIVAL.exec(customId);
  return m ? Number(m[1]) : null;
}

export function queryHash(query: string): string {
  return createHash('sha256').update(query).digest('base64url').slice(0, 16);
}

/** Least-recently-used map from query hash to query text. */
export class QueryMemory {
  private readonly entries = new Map<string, string>();
  constructor(private readonly capacity = 1000) {}

  remember(query: string): string {
    const hash = queryHash(query);
    this.entries.delete(hash);
    this.entries.set(hash, query);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return hash;
  }

  recall(hash: string): string | undefined {
    const query = this.entries.get(hash);
    if (query !== undefined) {
      this.entries.delete(hash);
      this.entries.set(hash, query);
    }
    return query;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
