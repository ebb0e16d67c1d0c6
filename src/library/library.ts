/**
 * Adding papers to the collection and taking them out, the same way from Discord, the CLI and
 * the feeds:
 *
 *   1. already there? (the serving engine, by arXiv id or normalised title) → "exists", nothing changes;
 *   2. commit to SQLite (LibraryStore: one IMMEDIATE transaction; a racing add of the same paper
 *      in any process finds the first one's row);
 *   3. rebuild the index (LiveEngine: under the build lock, only the new paper is embedded) and
 *      serve it; only then is the paper reported added.
 *
 * A kill between 2 and 3 leaves the paper in SQLite but not indexed: the next open (or a running
 * bot's poll) sees the collection changed and indexes it before serving it.
 */
import type { Logger } from 'pino';
import { IdentityIndex, identityOf, type PaperIdentity } from '../collection/identity.js';
import { LIBRARY_SOURCE } from '../collection/load.js';
import type { Paper, PaperRecord } from '../collection/types.js';
import type { PaperEngine } from '../engine/engine.js';
import type { RebuildResult } from '../engine/live.js';
import { requirePaper } from '../engine/resolve.js';
import type { SearchHit } from '../engine/types.js';
import { UserFacingError } from '../errors.js';
import type { ArxivClient } from '../feeds/arxiv-client.js';
import { parseArxivId, versionedId } from '../feeds/arxiv-id.js';
import type { LibraryStore } from '../store/library-store.js';
import { truncate } from '../text.js';
import { manualRecord, recordFromArxiv, type ManualPaperInput } from './records.js';

/** How many nearest papers an addition is shown with. */
export const NEAREST_SHOWN = 3;

export type AddOutcome =
  /** Added and indexed: `paper` is in the engine now serving. */
  | { status: 'added'; paper: Paper; similar: SearchHit[] }
  /** The same paper (arXiv id or normalised title) was in the collection already. */
  | { status: 'exists'; paper: Paper };

const identities = new WeakMap<object, IdentityIndex<Paper>>();

/** The same-paper index over an engine's papers (built once per engine: one per index generation). */
export function identitiesOf(engine: { readonly papers: readonly Paper[] }): IdentityIndex<Paper> {
  let index = identities.get(engine);
  if (!index) identities.set(engine, (index = new IdentityIndex(engine.papers, identityOf)));
  return index;
}

export interface RemoveOutcome {
  paper: Paper;
}

export interface LibraryDeps {
  store: LibraryStore;
  live: { current(): PaperEngine; rebuild(): Promise<RebuildResult> };
  /** Made on first use (the CLI's `remove` never needs it). */
  arxiv: () => ArxivClient;
  logger: Logger;
}

export class Library {
  constructor(private readonly deps: LibraryDeps) {}

  /** The paper in the collection now that is the same as `identity`, if any. */
  find(identity: PaperIdentity): Paper | undefined {
    return identitiesOf(this.deps.live.current()).find(identity);
  }

  /**
   * Adds the arXiv paper named by `input` (an id, arXiv:id, abs/pdf link, versioned or not).
   * Bad input, an unknown id and a failing arXiv are UserFacingErrors (exit 2, 2 and 1).
   */
  async addFromArxiv(input: string, addedBy: string): Promise<AddOutcome> {
    const parsed = parseArxivId(input);
    if (!parsed.ok) throw new UserFacingError(parsed.message);
    // Known already: no need to ask arXiv.
    const known = this.find({ arxivId: parsed.id, titleKey: '' });
    if (known) return { status: 'exists', paper: known };
    const asked = versionedId(parsed.id, parsed.version);
    const entry = await this.deps.arxiv().getById(asked);
    if (!entry) {
      throw new UserFacingError(
        `No such paper on arXiv: ${asked}${parsed.version ? ' (at that version)' : ''}. Check the id; it looks like 2501.00001 (or hep-th/9901001 before April 2007).`,
      );
    }
    return this.addRecord(recordFromArxiv(entry), addedBy);
  }

  /** Adds a paper typed in by hand (title, abstract, optional URL); checked by manualRecord. */
  addManual(input: ManualPaperInput, addedBy: string): Promise<AddOutcome> {
    return this.addRecord(manualRecord(input), addedBy);
  }

  /** Adds checked records with one index build for all of them (the feeds' `--add N`). */
  async addRecords(records: readonly PaperRecord[], addedBy: string): Promise<AddOutcome[]> {
    const stored = records.map((record) => {
      const known = this.find(identityOf(record));
      if (known) return { record, known };
      return { record, added: this.deps.store.add(record, addedBy).added };
    });
    if (stored.some((s) => !s.known)) await this.deps.live.rebuild();
    const outcomes: AddOutcome[] = [];
    for (const s of stored) {
      const paper = s.known ?? this.find(identityOf(s.record));
      if (!paper) continue;
      if (s.known || !s.added) outcomes.push({ status: 'exists', paper });
      else outcomes.push({ status: 'added', paper, similar: (await this.deps.live.current().similar(paper.id, { k: NEAREST_SHOWN })).hits });
    }
    return outcomes;
  }

  /** Adds a checked record (also used by the feeds). */
  async addRecord(record: PaperRecord, addedBy: string): Promise<AddOutcome> {
    const identity = identityOf(record);
    const known = this.find(identity);
    if (known) return { status: 'exists', paper: known };
    const stored = this.deps.store.add(record, addedBy);
    if (!stored.added) this.deps.logger.info({ addedBy: stored.existing.addedBy }, 'library: already added (not yet served); indexing it');
    else this.deps.logger.info({ arxivId: record.arxivId, title: truncate(record.title, 120), addedBy }, 'library: paper added; indexing');
    await this.deps.live.rebuild();
    const paper = this.find(identity);
    if (!paper) {
      // The stored record did not become a paper (it was removed meanwhile, or the files hold a
      // variant the collection rules dropped): say so rather than claim success.
      throw new UserFacingError('The paper was stored but is not in the collection now (was it removed at the same moment?). Try adding it again.', 1);
    }
    if (!stored.added) return { status: 'exists', paper };
    const similar = await this.deps.live.current().similar(paper.id, { k: NEAREST_SHOWN });
    return { status: 'added', paper, similar: similar.hits };
  }

  /** Takes the paper named by `input` (its id, or a title that names one paper) out of the collection. */
  async remove(input: string, removedBy: string): Promise<RemoveOutcome> {
    const text = input.trim();
    if (!text) throw new UserFacingError('Name the paper to remove: its id or title.');
    // A name several papers fit lists them with their ids, as `paper` does; none is "no such paper".
    const resolution = this.deps.live.current().resolvePaper(text);
    if (resolution.kind === 'none') throw new UserFacingError(`No paper in the collection matches "${truncate(text, 80)}". Give its id (shown by find and paper) or its exact title.`);
    const paper = requirePaper(resolution, text);
    const identity = identityOf(paper);
    this.deps.store.remove(
      { paperId: paper.id, ...(identity.arxivId ? { arxivId: identity.arxivId } : {}), titleKey: identity.titleKey, title: paper.title },
      removedBy,
      { inFiles: paper.source.file !== LIBRARY_SOURCE },
    );
    this.deps.logger.info({ paperId: paper.id, removedBy }, 'library: paper removed; indexing');
    await this.deps.live.rebuild();
    return { paper };
  }
}
