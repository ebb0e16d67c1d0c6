/** Test set-up for the fake's own tests: a fresh fake + a real discord.js client per test, torn down after it. */
import { afterEach } from 'vitest';
import { Client, Events, type ClientOptions } from 'discord.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './index.js';

export interface Session {
  fake: FakeDiscord;
  client: Client;
}

/** Call at module level: returns `login`, and destroys every client (before its fake) after each test. */
export function fakeDiscordSessions(): (clientOpts: Pick<ClientOptions, 'intents'> & Partial<ClientOptions>, opts?: FakeDiscordOptions, setUp?: (client: Client) => void) => Promise<Session> {
  const live: Session[] = [];
  afterEach(async () => {
    for (const s of live.splice(0)) {
      await s.client.destroy();
      await s.fake.close();
    }
  });
  return async (clientOpts, opts, setUp) => {
    const fake = await startFakeDiscord(opts);
    const client = new Client({ ...clientOpts, ...fake.clientOptions() });
    live.push({ fake, client });
    setUp?.(client);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login('fake-token');
    await ready;
    return { fake, client };
  };
}
