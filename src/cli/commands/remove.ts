import { requiredText, type CliCommand } from '../context.js';
import { paperJson } from '../format.js';

export const remove: CliCommand = {
  name: 'remove',
  usage: 'remove <id|title> [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const text = requiredText(ctx, 'the id or title of the paper to remove');
    const library = await ctx.library();
    const { paper } = await library.remove(text, 'cli');
    ctx.write(ctx.flag('json') ? JSON.stringify({ status: 'removed', paper: paperJson(paper) }) : `Removed from the collection: ${paper.title}\nid: ${paper.id}`);
    return 0;
  },
};
