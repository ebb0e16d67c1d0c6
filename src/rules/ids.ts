/** The one home of the Discord id rule. Pure; no discord.js, no store. */

// Real Discord ids are 17-20 digit snowflakes; test servers and proxies may use shorter ones.
const SNOWFLAKE = /^\d{1,25}$/;

/** True for a Discord id (application, server, channel, user): digits only. */
export function isSnowflake(id: string): boolean {
  return typeof id === 'string' && SNOWFLAKE.test(id);
}
