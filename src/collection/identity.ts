/**
 * When two records are the same paper: the same arXiv id, or the same normalised title (the
 * paper id is derived from the title today; it may become a source id, so it is checked too).
 * The one rule used to de-duplicate additions, removals and feed items against the collection.
 */
import { parseArxivId } from '../feeds/arxiv-id.js';
import { normaliseTitle } from './ids.js';

export interface PaperIdentity {
  /** The paper id, when the record is already a paper. */
  id?: string;
  /** Without version. */
  arxivId?: string;
  /** normaliseTitle(title). */
  titleKey: string;
}

export function identityOf(p: { id?: string; arxivId?: string; title: string }): PaperIdentity {
  return {
    ...(p.id ? { id: p.id } : {}),
    ...(p.arxivId ? { arxivId: p.arxivId } : {}),
    titleKey: normaliseTitle(p.title),
  };
}

/** The arXiv id (without version) a source id or link names, if any. */
export function arxivIdIn(...candidates: (string | undefined)[]): { id: string; version?: number } | undefined {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const parsed = parseArxivId(candidate);
    if (parsed.ok) return parsed.version ? { id: parsed.id, version: parsed.version } : { id: parsed.id };
  }
  return undefined;
}

/** Finds the item that is the same paper as a given identity. */
export class IdentityIndex<T> {
  private readonly byId = new Map<string, T>();
  private readonly byArxiv = new Map<string, T>();
  private readonly byTitle = new Map<string, T>();

  constructor(items: Iterable<T> = [], private readonly identify?: (item: T) => PaperIdentity) {
    for (const item of items) this.add(item);
  }

  /** Adds `item` under its identity (the first item keeps a key). */
  add(item: T, identity: PaperIdentity = this.identityOf(item)): void {
    if (identity.id && !this.byId.has(identity.id)) this.byId.set(identity.id, item);
    if (identity.arxivId && !this.byArxiv.has(identity.arxivId)) this.byArxiv.set(identity.arxivId, item);
    if (identity.titleKey && !this.byTitle.has(identity.titleKey)) this.byTitle.set(identity.titleKey, item);
  }

  find(identity: PaperIdentity): T | undefined {
    return (
      (identity.arxivId ? this.byArxiv.get(identity.arxivId) : undefined) ??
      (identity.id ? this.byId.get(identity.id) : undefined) ??
      (identity.titleKey ? this.byTitle.get(identity.titleKey) : undefined)
    );
  }

  has(identity: PaperIdentity): boolean {
    return this.find(identity) !== undefined;
  }

  private identityOf(item: T): PaperIdentity {
    if (!this.identify) throw new Error('IdentityIndex: give an identity, or an identify function to the constructor');
    return this.identify(item);
  }
}
