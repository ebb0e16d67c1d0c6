import { runBatch } from '../batch.js';
import { filtersOf, intOption, requiredText, type CliCommand } from '../context.js';
import { formatResults, resultJson } from '../format.js';

export const find: CliCommand = {
  name: 'find',
  usage: 'find "<query>" [--k 10] [--has-code] [--since YYYY-MM-DD] [--author NAME] [--json]',
  options: { k: { type: 'string' }, 'has-code': { type: 'boolean' }, since: { type: 'string' }, author: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const batch = ctx.flag('json') && ctx.args.join(' ') === '';
    const text = batch ? '' : requiredText(ctx, 'a query');
    const k = intOption(ctx, 'k', { min: 1, max: 50, fallback: 10 });
    const filters = filtersOf(ctx);
    const engine = await ctx.engine();
    if (batch) return runBatch(ctx, async (line) => resultJson(await engine.find(line, { k, filters })));
    const result = await engine.find(text, { k, filters });
    ctx.write(ctx.flag('json') ? JSON.stringify(resultJson(result)) : formatResults(result, `Papers for "${text}"`, ctx.format));
    return 0;
  },
};
