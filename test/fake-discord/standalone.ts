/**
 * The fake Discord as its own process, for scripts/verify-image-recipe.sh and for trying the bot by hand.
 *
 *   node --import tsx test/fake-discord/standalone.ts [--timeout-ms 15000]
 *
 * Once listening it prints ONE JSON line on stdout:
 *   { "apiBase", "appId", "guildId", "channelId", "controlUrl" }
 * Point the bot at it: DISCORD_API_BASE=<apiBase> DISCORD_APP_ID=<appId> DISCORD_TOKEN=<anything> node dist/src/index.js
 *
 * Control API (JSON, 127.0.0.1 only, under controlUrl = http://127.0.0.1:PORT/control):
 *   POST /control/slash  { name, options?, ctx?, timeoutMs? }
 *        → 200 { reply, callback, edits, followUps, lastBody } once the user sees a finished reply
 *          (reply = what the user sees; lastBody = the raw body that produced it, with allowed_mentions etc.)
 *        → 504 { error } if the bot did not answer in time, 400 { error } for a bad request
 *   POST /control/message { content, channelId?, mentionsBot?, replyTo?, replyMentions?, authorId? }
 *        → 200 the stored message: a person writes in a channel or thread (MESSAGE_CREATE to the bot, as fake.userMessage)
 *   POST /control/dm { content, userId? }  → 200 the stored message: a person DMs the bot (as fake.dm)
 *   GET  /control/messages?channel=<id>   → channel messages, oldest first (default: the first text channel)
 *   GET  /control/threads?channel=<id>    → threads under that channel (default: the first text channel)
 *   GET  /control/requests                → every REST request the bot made (Authorization header redacted)
 *   GET  /control/commands                → commands registered via PUT (global + per guild)
 *   GET  /control/info                    → the same JSON as the start-up line
 * SIGTERM / SIGINT close both servers and exit 0.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { startFakeDiscord, type FakeDiscord, type InteractionContext, type Json, type OptionsInput, type UserMessageInit } from './index.js';

const { values: args } = parseArgs({ options: { 'timeout-ms': { type: 'string', default: '15000' } } });
const timeoutMs = Number(args['timeout-ms']);
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
  process.stderr.write('standalone fake Discord: --timeout-ms must be a positive number\n');
  process.exit(2);
}

const fake = await startFakeDiscord({ timeoutMs });

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new BadRequest('body must be a JSON object');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function slash(fake: FakeDiscord, body: Record<string, unknown>): Promise<Json> {
  if (typeof body.name !== 'string' || !body.name) throw new BadRequest('"name" (the slash command, without "/") is required');
  const exchange = fake.slashCommand(body.name, body.options as OptionsInput | undefined, body.ctx as InteractionContext | undefined);
  const wait = typeof body.timeoutMs === 'number' ? body.timeoutMs : undefined;
  const reply = await exchange.waitForFinal(() => true, wait);
  // The raw body behind what the user sees: the last edit of @original, else the callback's message data.
  const lastBody = exchange.edits.at(-1) ?? exchange.callbackBody?.data;
  return { reply, callback: exchange.callbackBody, edits: exchange.edits, followUps: exchange.followUps, lastBody };
}

function personMessage(body: Record<string, unknown>, dm: boolean): Json {
  if (typeof body.content !== 'string' || !body.content) throw new BadRequest('"content" (what the person writes) is required');
  try {
    return dm ? fake.dm({ content: body.content, userId: body.userId as string | undefined }) : fake.userMessage(body as UserMessageInit);
  } catch (err) {
    throw new BadRequest((err as Error).message); // unknown channel, reply target, locked thread...
  }
}

function redactedRequests(fake: FakeDiscord): Json[] {
  return fake.requests.map((r) => ({
    ...r,
    headers: { ...r.headers, ...(r.headers.authorization ? { authorization: '<redacted>' } : {}) },
  }));
}

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const route = `${req.method} ${url.pathname}`;
  void (async () => {
    try {
      if (route === 'POST /control/slash') return send(res, 200, await slash(fake, await readJson(req)));
      if (route === 'POST /control/message') return send(res, 200, personMessage(await readJson(req), false));
      if (route === 'POST /control/dm') return send(res, 200, personMessage(await readJson(req), true));
      if (route === 'GET /control/messages') return send(res, 200, fake.messages(url.searchParams.get('channel') || fake.channelId));
      if (route === 'GET /control/threads') return send(res, 200, fake.threadsIn(url.searchParams.get('channel') || fake.channelId));
      if (route === 'GET /control/requests') return send(res, 200, redactedRequests(fake));
      if (route === 'GET /control/commands') {
        return send(res, 200, { global: fake.commands.global, guild: Object.fromEntries(fake.commands.guild) });
      }
      if (route === 'GET /control/info') return send(res, 200, info());
      send(res, 404, { error: `no control route ${route}` });
    } catch (err) {
      const message = (err as Error).message;
      if (err instanceof BadRequest) return send(res, 400, { error: message });
      // The fake's waits reject with "got no ... within Nms": the bot did not answer.
      send(res, /within \d+ms/.test(message) ? 504 : 500, { error: message });
    }
  })();
});

await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const controlPort = (control.address() as AddressInfo).port;

function info(): Record<string, string> {
  return {
    apiBase: fake.apiBase,
    appId: fake.appId,
    guildId: fake.guildId,
    channelId: fake.channelId,
    controlUrl: `http://127.0.0.1:${controlPort}/control`,
  };
}

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  control.closeAllConnections();
  await new Promise<void>((resolve) => control.close(() => resolve()));
  await fake.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

process.stdout.write(`${JSON.stringify(info())}\n`);
