import { requirePaper } from '../../engine/resolve.js';
import { requiredText, type CliCommand } from '../context.js';
import { formatPaper, paperJson, resultJson } from '../format.js';

export const paper: CliCommand = {
  name: 'paper',
  usage: 'paper <id|title> [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const text = requiredText(ctx, 'a paper id or title');
    const engine = await ctx.engine();
    // Several papers fitting the name is not "none": they are listed with their ids (exit 2).
    const found = requirePaper(engine.resolvePaper(text), text);
    const similar = await engine.similar(found.id, { k: 3 });
    ctx.write(ctx.flag('json') ? JSON.stringify({ ...paperJson(found), similar: resultJson(similar).results }) : formatPaper(found, similar, ctx.format));
    return 0;
  },
};
