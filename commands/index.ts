import type { Command } from '../src/bot/types.js';
import about from './about.js';
import add from './add.js';
import ask from './ask.js';
import collection from './collection.js';
import daily from './daily.js';
import find from './find.js';
import paper from './paper.js';
import remove from './remove.js';
import similarContextMenu from './similar-context-menu.js';
import similar from './similar.js';
import today from './today.js';

/** The one list: the bot routes to these and scripts/deploy-commands.ts registers them. */
export const commands: Command[] = [find, similar, ask, today, paper, add, remove, collection, daily, about, similarContextMenu];
