import { intOption, requiredText, type CliCommand } from '../context.js';
import { formatResults, resultJson } from '../format.js';

export const similar: CliCommand = {
  name: 'similar',
  usage: 'similar <id|title|text> [--k 10] [--json]',
  options: { k: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const text = requiredText(ctx, 'a paper id or title');
    const k = intOption(ctx, 'k', { min: 1, max: 50, fallback: 10 });
    const engine = await ctx.engine();
    const result = await engine.similar(text, { k });
    const target = engine.paper(text);
    ctx.write(ctx.flag('json') ? JSON.stringify(resultJson(result)) : formatResults(result, `Similar to "${target?.title ?? text}"`));
    return 0;
  },
};
