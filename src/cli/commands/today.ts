import { UserFacingError } from '../../errors.js';
import { MAX_DAILY_COUNT, MIN_DAILY_COUNT } from '../../rules/daily.js';
import { isIsoDate, localDate } from '../../rules/time.js';
import { intOption, type CliCommand } from '../context.js';
import { formatPicks, paperJson } from '../format.js';

export const today: CliCommand = {
  name: 'today',
  usage: 'today [--date YYYY-MM-DD] [--count 3] [--json]',
  options: { date: { type: 'string' }, count: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const given = ctx.string('date');
    if (given !== undefined && !isIsoDate(given)) {
      throw new UserFacingError(`--date must be a real date like 2026-11-27 (got "${given.slice(0, 20)}").`);
    }
    const count = intOption(ctx, 'count', { min: MIN_DAILY_COUNT, max: MAX_DAILY_COUNT, fallback: 3 });
    const engine = await ctx.engine();
    const date = given ?? localDate(new Date(), 'UTC');
    const picks = engine.picks(date, count, []);
    ctx.write(ctx.flag('json') ? JSON.stringify({ date, picks: picks.map(paperJson) }) : formatPicks(date, picks, ctx.format));
    return 0;
  },
};
