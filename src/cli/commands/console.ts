import type { CliCommand } from '../context.js';

export const consoleCommand: CliCommand = {
  name: 'console',
  usage: 'console                     an interactive prompt: /find, /similar, /ask, /today, /paper',
  async run(ctx) {
    const engine = await ctx.engine();
    // The console renders the bot's views; loaded only when it runs, so query commands stay light.
    const { runConsole } = await import('../console.js');
    return runConsole(engine, ctx.io);
  },
};
