import type { CliCommand } from '../context.js';
import { add } from './add.js';
import { ask } from './ask.js';
import { chat } from './chat.js';
import { consoleCommand } from './console.js';
import { feed } from './feed.js';
import { find } from './find.js';
import { ingest } from './ingest.js';
import { paper } from './paper.js';
import { remove } from './remove.js';
import { similar } from './similar.js';
import { today } from './today.js';

/** Every CLI command, in `--help` order. A new command is a file here and one entry in this list. */
export const CLI_COMMANDS: readonly CliCommand[] = [find, similar, ask, today, paper, add, remove, feed, ingest, consoleCommand, chat];
