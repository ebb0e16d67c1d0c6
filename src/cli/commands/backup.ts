import path from 'node:path';
import { existsSync } from 'node:fs';
import { UserFacingError } from '../../errors.js';
import { StateStore } from '../../store/state.js';
import { requiredText, type CliCommand } from '../context.js';

/**
 * A consistent copy of the state database while the bot runs (SQLite's online backup, through
 * better-sqlite3), so operators need no `sqlite3` binary — the image does not ship one.
 */
export const backup: CliCommand = {
  name: 'backup',
  usage: 'backup <file>               a consistent copy of STATE_PATH, safe while the bot runs',
  async run(ctx) {
    const target = path.resolve(ctx.io.cwd, requiredText(ctx, 'the file to write the backup to'));
    if (!existsSync(ctx.config.statePath)) {
      throw new UserFacingError(`There is no state database at ${ctx.config.statePath} yet (STATE_PATH); nothing to back up.`);
    }
    if (existsSync(target)) throw new UserFacingError(`${target} already exists; give a new file name (nothing was written).`);
    if (path.resolve(target) === path.resolve(ctx.config.statePath)) throw new UserFacingError('The backup must go to another file than STATE_PATH.');
    const state = StateStore.open(ctx.config.statePath);
    try {
      const { totalPages } = await state.db.backup(target);
      ctx.write(`Backed up ${ctx.config.statePath} to ${target} (${totalPages} pages).`);
    } finally {
      state.close();
    }
    return 0;
  },
};
