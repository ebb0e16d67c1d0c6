import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789';

function capture(pretty = false) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => (text += c.toString()));
  return { logger: createLogger({ secrets: [TOKEN], destination: stream, pretty }), text: () => text };
}

describe('logger redaction', () => {
  it.each([false, true])('never writes the token, auth headers or interaction tokens (pretty=%s)', (pretty) => {
    const { logger, text } = capture(pretty);
    logger.info({ token: TOKEN }, 'field');
    logger.info({ config: { discordToken: TOKEN } }, 'nested field');
    logger.info({ headers: { authorization: `Bot ${TOKEN}` } }, 'header');
    logger.warn(`in a message: ${TOKEN}`);
    logger.error({ err: new Error(`request failed with Authorization: Bot ${TOKEN}`) }, 'error with the token in its message');
    logger.error(
      { url: 'https://discord.com/api/v10/interactions/1234567890123/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OkFCQw/callback' },
      'interaction url',
    );
    logger.error({ url: 'https://discord.com/api/v10/webhooks/123456789/aW50ZXJhY3Rpb246c2VjcmV0dG9rZW50b2tlbg/messages/@original' }, 'webhook url');
    const out = text();
    expect(out).toContain('interaction url');
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OkFCQw');
    expect(out).not.toContain('aW50ZXJhY3Rpb246c2VjcmV0dG9rZW50b2tlbg');
    expect(out.match(/\[REDACTED\]/g)!.length).toBeGreaterThanOrEqual(7);
  });
});
