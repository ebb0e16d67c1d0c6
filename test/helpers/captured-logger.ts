/** The real (scrubbing) logger writing into memory, so a test can read every line as it would reach stdout. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

export function capturedLogger(secrets: string[], level = 'info'): { logger: Logger; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger({ level, secrets, destination: sink }), text: () => lines.join('') };
}
