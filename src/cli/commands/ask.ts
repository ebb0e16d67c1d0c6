import { runBatch } from '../batch.js';
import { requiredText, type CliCommand } from '../context.js';
import { answerJson, formatAnswer } from '../format.js';

export const ask: CliCommand = {
  name: 'ask',
  usage: 'ask "<question>" [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const batch = ctx.flag('json') && ctx.args.join(' ') === '';
    const text = batch ? '' : requiredText(ctx, 'a question');
    const engine = await ctx.engine();
    if (batch) return runBatch(ctx, async (line) => answerJson(await engine.ask(line)));
    const result = await engine.ask(text);
    ctx.write(ctx.flag('json') ? JSON.stringify(answerJson(result)) : formatAnswer(result));
    return 0;
  },
};
