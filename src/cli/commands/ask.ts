import { runBatch } from '../batch.js';
import { filtersOf, intOption, requiredText, type CliCommand } from '../context.js';
import { answerJson, formatAnswer } from '../format.js';

export const ask: CliCommand = {
  name: 'ask',
  usage: 'ask "<question>" [--k 5] [--has-code] [--since YYYY-MM-DD] [--author NAME] [--json]',
  options: { k: { type: 'string' }, 'has-code': { type: 'boolean' }, since: { type: 'string' }, author: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const batch = ctx.flag('json') && ctx.args.join(' ') === '';
    const text = batch ? '' : requiredText(ctx, 'a question');
    // --k: how many of the best-matching papers the answer is taken from.
    const options = { k: intOption(ctx, 'k', { min: 1, max: 10, fallback: 5 }), filters: filtersOf(ctx) };
    const engine = await ctx.engine();
    if (batch) return runBatch(ctx, async (line) => answerJson(await engine.ask(line, options)));
    const result = await engine.ask(text, options);
    ctx.write(ctx.flag('json') ? JSON.stringify(answerJson(result)) : formatAnswer(result, ctx.format));
    return 0;
  },
};
