import type cliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import type { Logger } from '../logger.js';

/** A progress bar on a terminal; plain log lines (every ~10%) otherwise. */
export function makeProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, logger: Logger) {
  let bar: cliProgress.SingleBar | null = null;
  let lastLogged = -1;
  return {
    update: (done: number, total: number) => {
      if (stream.isTTY) {
        if (!bar) {
          // Loaded when a bar is first shown: most runs (every query) never show one.
          const bars = createRequire(import.meta.url)('cli-progress') as typeof cliProgress;
          bar = new bars.SingleBar(
            { stream, format: 'embedding |{bar}| {value}/{total} papers · eta {eta}s', hideCursor: true },
            bars.Presets.shades_classic,
          );
          bar.start(total, 0);
        }
        bar.update(done);
        return;
      }
      const step = Math.floor((done / Math.max(1, total)) * 10);
      if (step !== lastLogged) {
        lastLogged = step;
        logger.info({ done, total }, `embedding ${done}/${total}`);
      }
    },
    stop: () => {
      bar?.stop();
      bar = null;
    },
  };
}
