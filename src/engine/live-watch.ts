/**
 * Following INDEX_DIR for a LiveEngine: fs.watch reacts at once when CURRENT is replaced (another
 * process committed a generation); a poll every `pollMs` catches what watch events miss (network
 * file systems, a recreated folder) and lets the engine catch up with collection changes nobody
 * indexed. Failures are logged and tried again on the next poll.
 */
import { watch as watchDir, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';

export interface WatchedEngine {
  refresh(): Promise<boolean>;
  refreshIfMoved(): Promise<boolean>;
  catchUp(): Promise<void>;
}

export function watchIndex(engine: WatchedEngine, opts: { indexDir: string; pollMs: number; logger: Logger }): { stop(): void } {
  const { logger } = opts;
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let polling = false;
  try {
    watcher = watchDir(opts.indexDir, { persistent: false }, (_event, file) => {
      if (file && file !== 'CURRENT') return;
      clearTimeout(debounce);
      debounce = setTimeout(() => void engine.refresh().catch((err) => logger.warn({ err }, 'index: could not load the new generation')), 50);
      debounce.unref();
    });
    watcher.on('error', (err) => logger.warn({ err }, 'index: watching INDEX_DIR failed; polling only'));
  } catch (err) {
    logger.warn({ err }, 'index: cannot watch INDEX_DIR; polling only');
  }
  const poller = setInterval(() => {
    if (polling) return;
    polling = true;
    void (async () => {
      try {
        await engine.refreshIfMoved();
        await engine.catchUp();
      } catch (err) {
        logger.warn({ err }, 'index: checking for changes failed; will try again');
      } finally {
        polling = false;
      }
    })();
  }, opts.pollMs);
  poller.unref();
  return {
    stop() {
      watcher?.close();
      clearInterval(poller);
      clearTimeout(debounce);
    },
  };
}
