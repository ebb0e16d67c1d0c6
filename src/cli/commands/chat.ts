import type { CliCommand } from '../context.js';

export const chat: CliCommand = {
  name: 'chat',
  usage: 'chat [--json]               talk to paperbot; --json: {"conversation","message"} lines in, one reply line out each',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const engine = await ctx.engine();
    const { runChat } = await import('../chat.js');
    return runChat(engine, ctx.io, { json: ctx.flag('json') });
  },
};
