import { UserFacingError } from '../../errors.js';
import type { AddOutcome } from '../../library/library.js';
import type { CliCommand, CliContext } from '../context.js';
import { formatAdded, paperJson, resultJson } from '../format.js';

async function readStdin(ctx: CliContext): Promise<string> {
  let text = '';
  for await (const chunk of ctx.io.stdin) text += chunk.toString();
  return text;
}

export const add: CliCommand = {
  name: 'add',
  usage: 'add <arxiv-id|url> [--json] | add --title "…" --abstract "…"|- [--url …] [--json]',
  options: { title: { type: 'string' }, abstract: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const target = ctx.args.join(' ').trim();
    const title = ctx.string('title');
    const manual = title !== undefined || ctx.string('abstract') !== undefined || ctx.string('url') !== undefined;
    if (target && manual) throw new UserFacingError(`add takes an arXiv id or --title/--abstract, not both.\n\n${ctx.usage}`);
    if (!target && !manual) throw new UserFacingError(`add needs an arXiv id or link, or --title and --abstract.\n\n${ctx.usage}`);
    // `--abstract -` reads it from stdin (long abstracts, or ones full of shell quotes).
    const abstract = ctx.string('abstract') === '-' ? await readStdin(ctx) : ctx.string('abstract');
    const library = await ctx.library();
    const outcome: AddOutcome = target
      ? await library.addFromArxiv(target, 'cli')
      : await library.addManual({ title: title ?? '', abstract: abstract ?? '', url: ctx.string('url') ?? null }, 'cli');
    const similar = outcome.status === 'added' ? outcome.similar : [];
    if (ctx.flag('json')) {
      ctx.write(
        JSON.stringify({
          status: outcome.status,
          paper: paperJson(outcome.paper),
          similar: resultJson({ mode: (await ctx.engine()).mode, hits: similar, total: similar.length, tookMs: 0 }).results,
        }),
      );
    } else {
      ctx.write(formatAdded(outcome.status, outcome.paper, similar));
    }
    return 0;
  },
};
