import { realpathSync } from 'node:fs';
import path from 'node:path';
import { loadCollection } from '../../collection/load.js';
import { ingest as buildIndex } from '../../engine/ingest.js';
import { reportCollection, resolveEmbedder } from '../../engine/open.js';
import { UserFacingError } from '../../errors.js';
import { withBuildLock } from '../../store/build-lock.js';
import type { CliCommand } from '../context.js';
import { makeProgress } from '../progress.js';

/** A path as the same file, whichever way it is written (relative, `./`, a symlink). */
function canonical(file: string, cwd: string): string {
  const full = path.resolve(cwd, file);
  try {
    return realpathSync(full);
  } catch {
    return full; // a missing file: loading it reports that
  }
}

/** How to show a path to the person at the keyboard: relative to where they are, when inside it. */
function shown(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/**
 * Queries and the bot always read PAPERS_PATH, and rebuild an index made from anything else. So
 * `ingest <files>` is only the same thing spelled out (in any order); other files are refused.
 */
function assertSameAsPapersPath(args: string[], papersPaths: string[], cwd: string): void {
  const given = new Set(args.map((f) => canonical(f, cwd)));
  const configured = new Set(papersPaths.map((f) => canonical(f, cwd)));
  if (given.size === configured.size && [...given].every((f) => configured.has(f))) return;
  const files = args.join(',');
  throw new UserFacingError(
    `ingest indexes PAPERS_PATH (${papersPaths.map((f) => shown(f, cwd)).join(', ')}), the collection that queries and the bot read; ` +
      `an index of ${args.join(', ')} would be thrown away and rebuilt from PAPERS_PATH by the next query. ` +
      `To index ${args.length > 1 ? 'those files' : args[0]}, run: PAPERS_PATH=${files} paperbot ingest (and give the bot and queries the same PAPERS_PATH).`,
  );
}

export const ingest: CliCommand = {
  name: 'ingest',
  usage: 'ingest [--force] [--require-model] [files...]   (files: PAPERS_PATH, the default)',
  options: { force: { type: 'boolean' }, 'require-model': { type: 'boolean' } },
  async run(ctx) {
    const { config, logger, io } = ctx;
    if (ctx.args.length) assertSameAsPapersPath(ctx.args, config.papersPaths, io.cwd);
    // The live collection: the files plus the papers added (and minus those removed) through paperbot.
    const library = ctx.existingState()?.library;
    const load = () => loadCollection(config.papersPaths, library?.changes());
    reportCollection(await load(), logger);
    const { embedder } = await resolveEmbedder(config, logger, io.embedder);
    // The image build asks for this: an image that silently lost its model would be worse than a failed build.
    if (ctx.flag('require-model') && config.embeddingModel && !embedder) {
      throw new UserFacingError(`--require-model: the embedding model "${config.embeddingModel}" could not be loaded (see the warning above).`, 1);
    }
    const progress = makeProgress(io.stderr, logger);
    // One build at a time per INDEX_DIR (a running bot or `paperbot add` may be building too), from
    // the collection as it is once we hold the lock.
    const { collection, result } = await withBuildLock(config.indexDir, async () => {
      const collection = await load();
      const result = await buildIndex({ collection, indexDir: config.indexDir, embedder, force: ctx.flag('force'), logger, onProgress: progress.update, vocabulary: config.vocabulary });
      return { collection, result };
    });
    progress.stop();
    io.stdout.write(
      result.upToDate
        ? `Index is up to date: ${collection.papers.length} papers (${embedder ? embedder.modelId : 'lexical only'}).\n`
        : `Indexed ${collection.papers.length} papers in ${(result.tookMs / 1000).toFixed(1)} s: ${result.embedded} embedded, ${result.reused} reused, ${result.removed} removed (${embedder ? embedder.modelId : 'lexical only'}).\n`,
    );
    if (collection.problems.length) io.stdout.write(`${collection.problems.length} malformed record(s) skipped; see the warnings above.\n`);
    return 0;
  },
};
