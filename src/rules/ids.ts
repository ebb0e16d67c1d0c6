/** The one home of the Discord id rule. Pure; no discord.js, no store. */

// Real Discord ids are 17-20 digit snowflakes; test servers and proxies may use shorter ones.
const SNOWFLAKE = /^\d{1,25}$/;

/** True for a Discord id (application, server, channel, user): digits only. */
export function isSnowflake(id: string): boolean {
  return typeof id === 'string' && SNOWFLAKE.test(id);
}

/** Discord's epoch (2015-01-01T00:00:00Z): a snowflake's top bits count milliseconds from it. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** The smallest snowflake created at `ms` (ms since 1970): a bound for "messages after this moment". */
export function snowflakeAt(ms: number): string {
  const since = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH_MS;
  return (since > 0n ? since << 22n : 0n).toString();
}

/** When a snowflake was created (ms since 1970). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}
