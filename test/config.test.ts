import { describe, expect, it } from 'vitest';
import { loadBotConfig, loadCoreConfig } from '../src/config.js';
import { UserFacingError } from '../src/errors.js';

const BOT = { DISCORD_TOKEN: 'a-made-up-token', DISCORD_APP_ID: '123456789012345678' };

describe('config', () => {
  it('has documented defaults', () => {
    const c = loadBotConfig(BOT, '/srv/paperbot');
    expect(c.papersPaths).toEqual(['/srv/paperbot/data/papers.txt']);
    expect(c.indexDir).toBe('/srv/paperbot/data/index');
    expect(c.embeddingModel).toBe('Xenova/bge-small-en-v1.5');
    expect(c.statePath).toBe('/srv/paperbot/data/state/paperbot.sqlite');
    expect(c.daily).toEqual({ channelId: null, time: '09:00', timezone: 'UTC', count: 3 });
    expect(c.healthPort).toBe(8080);
    expect(c.logLevel).toBe('info');
    expect(c.logPretty).toBe(false);
    expect(c.vectorKernel).toBe('auto');
  });

  it('VECTOR_KERNEL picks the dense scoring kernel', () => {
    expect(loadCoreConfig({ VECTOR_KERNEL: 'js' }).vectorKernel).toBe('js');
    expect(loadCoreConfig({ VECTOR_KERNEL: 'simd' }).vectorKernel).toBe('simd');
    expect(loadCoreConfig({ VECTOR_KERNEL: '' }).vectorKernel).toBe('auto');
  });

  it('VOCABULARY: auto by default, none, or a list of data/vocab names; anything else is named in the error', () => {
    expect(loadCoreConfig({}).vocabulary).toBe('auto');
    expect(loadCoreConfig({ VOCABULARY: 'NONE' }).vocabulary).toBe('none');
    expect(loadCoreConfig({ VOCABULARY: 'general, ml' }).vocabulary).toEqual(['general', 'ml']);
    expect(() => loadCoreConfig({ VOCABULARY: 'ml;rm -rf' })).toThrow(/VOCABULARY/);
  });

  it('EMBEDDING_MODEL=none means lexical only; several collection files are comma-separated', () => {
    const c = loadCoreConfig({ EMBEDDING_MODEL: 'none', PAPERS_PATH: 'a.txt, b.jsonl' }, '/x');
    expect(c.embeddingModel).toBeNull();
    expect(c.papersPaths).toEqual(['/x/a.txt', '/x/b.jsonl']);
  });

  it('a missing token names the variable, says how to get one and points at the console', () => {
    let error: unknown;
    try {
      loadBotConfig({ DISCORD_APP_ID: BOT.DISCORD_APP_ID });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserFacingError);
    const message = (error as Error).message;
    expect(message).toMatch(/DISCORD_TOKEN is required/);
    expect(message).toMatch(/discord\.com\/developers\/applications/);
    expect(message).toMatch(/npm run paperbot -- console/);
  });

  it.each([
    ['DAILY_TIME', '25:00', /DAILY_TIME must be HH:MM/],
    ['DAILY_TZ', 'Mars/Olympus_Mons', /DAILY_TZ must be an IANA time zone/],
    ['DAILY_COUNT', '11', /DAILY_COUNT/],
    ['DISCORD_APP_ID', 'my-app', /DISCORD_APP_ID must be the numeric application id/],
    ['DISCORD_API_BASE', 'not a url', /DISCORD_API_BASE must be a URL/],
    ['HEALTH_PORT', '70000', /HEALTH_PORT/],
    ['VECTOR_KERNEL', 'gpu', /VECTOR_KERNEL must be auto, simd or js/],
  ])('%s=%s is rejected with a message naming it', (name, value, message) => {
    expect(() => loadBotConfig({ ...BOT, [name]: value })).toThrow(message);
  });

  it('the token never appears in a config error', () => {
    expect(() => loadBotConfig({ ...BOT, DAILY_TIME: 'x' })).toThrow(/DAILY_TIME/);
    try {
      loadBotConfig({ ...BOT, DAILY_TIME: 'x' });
    } catch (err) {
      expect((err as Error).message).not.toContain(BOT.DISCORD_TOKEN);
    }
  });
});
