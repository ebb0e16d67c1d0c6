import { UserFacingError } from '../../errors.js';
import { requiredText, type CliCommand } from '../context.js';
import { formatPaper, paperJson, resultJson } from '../format.js';

export const paper: CliCommand = {
  name: 'paper',
  usage: 'paper <id|title> [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const text = requiredText(ctx, 'a paper id or title');
    const engine = await ctx.engine();
    const found = engine.paper(text);
    if (!found) throw new UserFacingError(`No paper matches "${text.slice(0, 80)}". Try: paperbot find "${text.slice(0, 40)}"`);
    const similar = await engine.similar(found.id, { k: 3 });
    ctx.write(ctx.flag('json') ? JSON.stringify({ ...paperJson(found), similar: resultJson(similar).results }) : formatPaper(found, similar));
    return 0;
  },
};
