/** Discord-shaped snowflake ids: time-ordered, so "newest first" sorting by id works like the real API. */
const DISCORD_EPOCH = 1420070400000n;
const MAX_INCREMENT = 0xfffn;
let increment = 0n;
let lastMs = 0n;

/** A new id for time `at` (ms). Strictly increasing within the process, even if the clock repeats or goes back. */
export function snowflake(at: number = Date.now()): string {
  const ms = BigInt(Math.floor(at));
  if (ms <= lastMs) {
    increment += 1n;
    // 4096 ids in one millisecond: borrow the next millisecond rather than wrap into a duplicate.
    if (increment > MAX_INCREMENT) {
      lastMs += 1n;
      increment = 0n;
    }
  } else {
    lastMs = ms;
    increment = 0n;
  }
  return (((lastMs - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** The creation time (ms since 1970) encoded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,20}$/.test(value);
}

export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
