import { ingest as buildIndex } from '../../engine/ingest.js';
import { reportCollection, resolveEmbedder } from '../../engine/open.js';
import { UserFacingError } from '../../errors.js';
import type { CliCommand } from '../context.js';
import { makeProgress } from '../progress.js';

export const ingest: CliCommand = {
  name: 'ingest',
  usage: 'ingest [--force] [--require-model] [files...]',
  options: { force: { type: 'boolean' }, 'require-model': { type: 'boolean' } },
  async run(ctx) {
    const { config, logger, io } = ctx;
    const paths = ctx.args.length ? ctx.args.map((f) => (f.startsWith('/') ? f : `${io.cwd}/${f}`)) : config.papersPaths;
    // Loaded here, not at start-up: the parsers (and their XML library) are for ingest and changed collections only.
    const { loadCollection } = await import('../../collection/load.js');
    const collection = await loadCollection(paths);
    reportCollection(collection, logger);
    const { embedder } = await resolveEmbedder(config, logger, io.embedder);
    // The image build asks for this: an image that silently lost its model would be worse than a failed build.
    if (ctx.flag('require-model') && config.embeddingModel && !embedder) {
      throw new UserFacingError(`--require-model: the embedding model "${config.embeddingModel}" could not be loaded (see the warning above).`, 1);
    }
    const progress = makeProgress(io.stderr, logger);
    const result = await buildIndex({ collection, indexDir: config.indexDir, embedder, force: ctx.flag('force'), logger, onProgress: progress.update, vocabulary: config.vocabulary });
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
