import { describe, expect, it } from 'vitest';
import { loadBotConfig } from '../src/config.js';

const BOT = { DISCORD_TOKEN: 'a-made-up-token', DISCORD_APP_ID: '123456789012345678' };

describe('chat and LLM configuration', () => {
  it('defaults: no Message Content intent, conversations forgotten after 4 idle hours, no LLM (extractive answers only)', () => {
    const c = loadBotConfig(BOT);
    expect(c.chat).toEqual({ messageContent: false, idleMs: 4 * 60 * 60 * 1000 });
    expect(c.llm).toBeNull();
  });

  it('MESSAGE_CONTENT=1 turns the privileged-intent mode on; anything but a yes/no is named in the error', () => {
    expect(loadBotConfig({ ...BOT, MESSAGE_CONTENT: '1' }).chat.messageContent).toBe(true);
    expect(loadBotConfig({ ...BOT, MESSAGE_CONTENT: 'false' }).chat.messageContent).toBe(false);
    expect(() => loadBotConfig({ ...BOT, MESSAGE_CONTENT: 'maybe' })).toThrow(/MESSAGE_CONTENT/);
  });

  it('CONVERSATION_IDLE_MINUTES sets the idle expiry (1 minute to 7 days); a bad value names the variable', () => {
    expect(loadBotConfig({ ...BOT, CONVERSATION_IDLE_MINUTES: '30' }).chat.idleMs).toBe(30 * 60_000);
    expect(() => loadBotConfig({ ...BOT, CONVERSATION_IDLE_MINUTES: '0' })).toThrow(/CONVERSATION_IDLE_MINUTES/);
    expect(() => loadBotConfig({ ...BOT, CONVERSATION_IDLE_MINUTES: 'soon' })).toThrow(/CONVERSATION_IDLE_MINUTES/);
  });

  it('LLM_BASE_URL + LLM_MODEL (+ key, timeout default 20 s)', () => {
    const c = loadBotConfig({ ...BOT, LLM_BASE_URL: 'http://127.0.0.1:8080/v1', LLM_MODEL: 'qwen2.5-7b', LLM_API_KEY: 'sk-secret-1234' });
    expect(c.llm).toEqual({ baseUrl: 'http://127.0.0.1:8080/v1', model: 'qwen2.5-7b', apiKey: 'sk-secret-1234', timeoutMs: 20_000 });
    expect(loadBotConfig({ ...BOT, LLM_BASE_URL: 'http://h/v1', LLM_MODEL: 'm', LLM_TIMEOUT_MS: '5000' }).llm?.timeoutMs).toBe(5000);
  });

  it('says what is wrong: a URL without a model, a bad URL, a timeout out of range; the key never appears in the error', () => {
    expect(() => loadBotConfig({ ...BOT, LLM_BASE_URL: 'http://h/v1', LLM_API_KEY: 'sk-secret-1234' })).toThrow(/LLM_MODEL is required when LLM_BASE_URL is set/);
    expect(() => loadBotConfig({ ...BOT, LLM_BASE_URL: 'ftp://h', LLM_MODEL: 'm' })).toThrow(/LLM_BASE_URL must be an http\(s\) URL/);
    expect(() => loadBotConfig({ ...BOT, LLM_BASE_URL: 'http://h/v1', LLM_MODEL: 'm', LLM_TIMEOUT_MS: '50' })).toThrow(/LLM_TIMEOUT_MS/);
    let error: unknown;
    try {
      loadBotConfig({ ...BOT, LLM_BASE_URL: 'nope', LLM_API_KEY: 'sk-secret-1234' });
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).toMatch(/LLM_BASE_URL/);
    expect((error as Error).message).not.toContain('sk-secret-1234');
  });
});
