/** Discord-shaped snowflake ids: time-ordered, so "newest first" sorting by id works like the real API. */
const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;
let lastMs = 0n;

export function snowflake(at: number = Date.now()): string {
  const ms = BigInt(at);
  // Keep ids strictly increasing even if the wall clock repeats a millisecond.
  if (ms <= lastMs) increment += 1n;
  else {
    lastMs = ms;
    increment = 0n;
  }
  return (((lastMs - DISCORD_EPOCH) << 22n) | (increment & 0xfffn)).toString();
}

export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
