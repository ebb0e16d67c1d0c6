import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { UserFacingError } from './errors.js';
import { ARXIV_API_BASE } from './feeds/arxiv-client.js';
import { HF_API_BASE } from './feeds/hf-daily.js';
import { FeedsSpecError, parseFeedsSpec, type FeedSpec } from './feeds/sources.js';
import { MAX_DAILY_COUNT, MIN_DAILY_COUNT } from './rules/daily.js';
import { isSnowflake } from './rules/ids.js';
import { isTimeOfDay, isTimeZone } from './rules/time.js';
import { VECTOR_KERNELS, type VectorKernel } from './store/row-matrix.js';

/**
 * All configuration comes from the environment and is validated once, at start-up.
 * An error names the variable and says what to do; nothing else reads process.env.
 */

const boolish = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** arXiv's terms of use: at most one request every three seconds. */
const ARXIV_MIN_INTERVAL_MS = 3000;

function httpUrl(example: string) {
  return z.url({ protocol: /^https?$/, error: `must be an http(s) URL like ${example}` });
}

/** FEEDS parsed once; a bad source is an issue naming it and what to write instead. */
function feedsSpec(value: string, ctx: z.RefinementCtx): FeedSpec[] {
  try {
    return parseFeedsSpec(value);
  } catch (err) {
    if (!(err instanceof FeedsSpecError)) throw err;
    ctx.addIssue({ code: 'custom', message: `is not valid: ${err.message}` });
    return z.NEVER;
  }
}

const coreFields = z.object({
  PAPERS_PATH: z.preprocess(emptyAsUndefined, z.string().default('data/papers.txt')),
  INDEX_DIR: z.preprocess(emptyAsUndefined, z.string().default('data/index')),
  EMBEDDING_MODEL: z.preprocess(emptyAsUndefined, z.string().default('Xenova/bge-small-en-v1.5')),
  MODEL_CACHE_DIR: z.preprocess(emptyAsUndefined, z.string().default('data/models')),
  MODEL_LOAD_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(500).max(600_000).default(10_000)),
  STATE_PATH: z.preprocess(emptyAsUndefined, z.string().default('data/state/paperbot.sqlite')),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_PRETTY: z.preprocess(emptyAsUndefined, boolish),
  VECTOR_KERNEL: z.preprocess(emptyAsUndefined, z.enum(VECTOR_KERNELS, { error: 'must be auto, simd or js' }).default('auto')),
  ARXIV_API_BASE: z.preprocess(emptyAsUndefined, httpUrl('https://export.arxiv.org/api/query').default(ARXIV_API_BASE)),
  HF_API_BASE: z.preprocess(emptyAsUndefined, httpUrl('https://huggingface.co').default(HF_API_BASE)),
  /** `;`-separated sources: arxiv:<search_query>, hf-daily, rss:<url>. Empty = follow nothing. */
  FEEDS: z.preprocess(emptyAsUndefined, z.string().default('').transform(feedsSpec)),
  PAPERBOT_CONTACT: z.preprocess(emptyAsUndefined, z.string().trim().max(200, 'must be at most 200 characters').optional()),
  ARXIV_MIN_INTERVAL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(600_000).default(ARXIV_MIN_INTERVAL_MS)),
  UPSTREAM_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(500).max(600_000).default(15_000)),
  UPSTREAM_RETRIES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(10).default(2)),
  FORCE_HYPERLINK: z.preprocess(emptyAsUndefined, z.enum(['0', '1', 'true', 'false', 'yes', 'no'], { error: 'must be 1 (always print terminal hyperlinks) or 0 (never)' }).optional()),
  TERM: z.string().optional(),
  VOCABULARY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(auto|none|[a-z0-9_-]+(\s*,\s*[a-z0-9_-]+)*)$/, 'must be auto, none, or vocabulary names from data/vocab separated by commas (e.g. general,ml)')
      .default('auto'),
  ),
});

/** Chat (mentions, DMs, threads) and the optional LLM that writes ask-type answers. */
function chatFields() {
  return {
    MESSAGE_CONTENT: z.preprocess(emptyAsUndefined, boolish),
    /** A conversation (thread, DM, reply chain) untouched this long is forgotten: follow-ups start afresh. */
    CONVERSATION_IDLE_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(7 * 24 * 60).default(240)),
    LLM_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL up to the version, like http://127.0.0.1:8080/v1' }).optional()),
    LLM_MODEL: z.preprocess(emptyAsUndefined, z.string().trim().max(200, 'must be at most 200 characters').optional()),
    LLM_API_KEY: z.preprocess(emptyAsUndefined, z.string().trim().optional()),
    LLM_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1000).max(600_000).default(20_000)),
  };
}

/** Checks between variables: arXiv etiquette holds for arXiv itself, whatever the setting says. */
function checkEtiquette(env: { ARXIV_API_BASE: string; ARXIV_MIN_INTERVAL_MS: number }, ctx: z.RefinementCtx): void {
  const host = new URL(env.ARXIV_API_BASE).hostname.toLowerCase();
  if (env.ARXIV_MIN_INTERVAL_MS < ARXIV_MIN_INTERVAL_MS && (host === 'arxiv.org' || host.endsWith('.arxiv.org'))) {
    ctx.addIssue({
      code: 'custom',
      path: ['ARXIV_MIN_INTERVAL_MS'],
      message: `must be at least ${ARXIV_MIN_INTERVAL_MS} for arxiv.org (its terms allow one request every 3 seconds); lower values are for a local test server in ARXIV_API_BASE`,
    });
  }
}

export const coreSchema = coreFields.superRefine(checkEtiquette);

export const botSchema = coreFields.extend({
  DISCORD_TOKEN: z.string({ error: 'is required' }).trim().min(1, 'is required'),
  DISCORD_APP_ID: z
    .string({ error: 'is required' })
    .trim()
    .refine(isSnowflake, 'must be the numeric application id'),
  DISCORD_GUILD_ID: z.preprocess(emptyAsUndefined, z.string().refine(isSnowflake, 'must be a numeric server id').optional()),
  DISCORD_API_BASE: z.preprocess(emptyAsUndefined, z.url('must be a URL like http://127.0.0.1:3000/api').optional()),
  DAILY_CHANNEL_ID: z.preprocess(emptyAsUndefined, z.string().refine(isSnowflake, 'must be a numeric channel id').optional()),
  DAILY_TIME: z.preprocess(emptyAsUndefined, z.string().refine(isTimeOfDay, 'must be HH:MM, 24-hour (e.g. 09:00)').default('09:00')),
  DAILY_TZ: z.preprocess(
    emptyAsUndefined,
    z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC').default('UTC'),
  ),
  DAILY_COUNT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(MIN_DAILY_COUNT).max(MAX_DAILY_COUNT).default(3)),
  HEALTH_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8080)),
  ...chatFields(),
  /** When FEEDS are fetched (croner pattern in DAILY_TZ); default: every day one hour before DAILY_TIME. */
  FEEDS_CRON: z.preprocess(emptyAsUndefined, z.string().trim().refine(isCronPattern, 'must be a cron pattern such as "0 8 * * *" (minute hour day month weekday)').optional()),
  /** New arrivals shown in the daily post ("New today"); 0 = none. */
  DAILY_NEW_COUNT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(5).default(3)),
  /** How often the bot looks for index generations and collection changes made by other processes. */
  INDEX_POLL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(500).max(600_000).default(5000)),
}).superRefine(checkEtiquette);

function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** One hour before `time` (HH:MM), as a croner pattern: when the feeds are read before the daily post. */
export function feedsCronBefore(time: string): string {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return `${m} ${(h + 23) % 24} * * *`;
}

export interface CoreConfig {
  papersPaths: string[];
  indexDir: string;
  /** Hugging Face model id, local folder, or null for lexical only. */
  embeddingModel: string | null;
  modelCacheDir: string;
  modelLoadTimeoutMs: number;
  statePath: string;
  logLevel: string;
  logPretty: boolean;
  /** Dense scoring: WebAssembly SIMD, plain JS, or auto (SIMD when available). */
  vectorKernel: VectorKernel;
  /** How paperbot reaches arXiv, Hugging Face and RSS feeds. */
  upstream: UpstreamConfig;
  /** The FEEDS sources (empty: follow nothing). */
  feeds: FeedSpec[];
  /**
   * Clickable links (OSC 8) in the CLI's output: on when stdout is a terminal and TERM is not
   * "dumb" (`auto`), or forced on/off by FORCE_HYPERLINK.
   */
  hyperlinks: { mode: 'auto' | 'on' | 'off'; term: string | undefined };
  /** Query vocabularies (data/vocab): auto (general + the fields the collection uses), none, or named files. */
  vocabulary: 'auto' | 'none' | string[];
}

export interface UpstreamConfig {
  arxivApiBase: string;
  hfApiBase: string;
  /** An e-mail or URL for the User-Agent, so arXiv and Hugging Face can reach the operator. */
  contact?: string;
  arxivMinIntervalMs: number;
  timeoutMs: number;
  retries: number;
}

export interface BotConfig extends CoreConfig {
  discordToken: string;
  discordAppId: string;
  discordGuildId?: string;
  discordApiBase?: string;
  daily: { channelId: string | null; time: string; timezone: string; count: number };
  healthPort: number;
  /** Croner pattern for fetching FEEDS, in `daily.timezone`. */
  feedsCron: string;
  /** New arrivals per daily post. */
  dailyNewCount: number;
  indexPollMs: number;
  /** MESSAGE_CONTENT=1: the privileged intent is on, so every message in the bot's threads is answered. */
  chat: { messageContent: boolean; idleMs: number };
  /** Generative answers for ask-type turns and /ask; null = extractive only. */
  llm: LlmConfig | null;
}

export interface LlmConfig {
  /** OpenAI-compatible endpoint up to the version segment (llama.cpp, Ollama /v1, vLLM, a hosted API). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** The whole generative attempt; the extractive answer is shown after this. */
  timeoutMs: number;
}

const HINTS: Record<string, string> = {
  DISCORD_TOKEN:
    'Create an application at https://discord.com/developers/applications, open "Bot", press "Reset Token" and set DISCORD_TOKEN to it. To try paperbot without Discord, run: npm run paperbot -- console',
  LLM_MODEL: 'Set LLM_MODEL to the model name your LLM_BASE_URL serves (GET <LLM_BASE_URL>/models lists them), or leave LLM_BASE_URL empty for extractive answers only.',
  DISCORD_APP_ID:
    'Copy the "Application ID" from the General Information page of your application at https://discord.com/developers/applications.',
};

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const name = String(issue.path[0] ?? 'config');
      const hint = HINTS[name] ? `\n    ${HINTS[name]}` : '';
      return `  - ${name} ${issue.message}${hint}`;
    })
    .join('\n');
}

function resolvePaths(list: string, base: string): string[] {
  return list
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => path.resolve(base, p));
}

function toCore(env: z.infer<typeof coreFields>, base: string): CoreConfig {
  const model = env.EMBEDDING_MODEL.trim();
  return {
    papersPaths: resolvePaths(env.PAPERS_PATH, base),
    indexDir: path.resolve(base, env.INDEX_DIR),
    embeddingModel: model.toLowerCase() === 'none' ? null : model,
    modelCacheDir: path.resolve(base, env.MODEL_CACHE_DIR),
    modelLoadTimeoutMs: env.MODEL_LOAD_TIMEOUT_MS,
    statePath: path.resolve(base, env.STATE_PATH),
    logLevel: env.LOG_LEVEL,
    logPretty: env.LOG_PRETTY,
    vectorKernel: env.VECTOR_KERNEL,
    upstream: {
      arxivApiBase: env.ARXIV_API_BASE,
      hfApiBase: env.HF_API_BASE,
      ...(env.PAPERBOT_CONTACT ? { contact: env.PAPERBOT_CONTACT } : {}),
      arxivMinIntervalMs: env.ARXIV_MIN_INTERVAL_MS,
      timeoutMs: env.UPSTREAM_TIMEOUT_MS,
      retries: env.UPSTREAM_RETRIES,
    },
    feeds: env.FEEDS,
    hyperlinks: {
      mode: env.FORCE_HYPERLINK === undefined ? 'auto' : ['1', 'true', 'yes'].includes(env.FORCE_HYPERLINK) ? 'on' : 'off',
      term: env.TERM,
    },
    vocabulary: env.VOCABULARY === 'auto' || env.VOCABULARY === 'none' ? env.VOCABULARY : env.VOCABULARY.split(',').map((v) => v.trim()),
  };
}

/** Config for the CLI (no Discord variables needed). Relative paths resolve against `base`. */
export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env, base = process.cwd()): CoreConfig {
  const parsed = coreSchema.safeParse(env);
  if (!parsed.success) throw new UserFacingError(`Invalid configuration:\n${formatIssues(parsed.error)}`);
  return toCore(parsed.data, base);
}

/** Config for the bot: the core plus Discord and the daily-post defaults. */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env, base = process.cwd()): BotConfig {
  const parsed = botSchema.safeParse(env);
  if (!parsed.success) throw new UserFacingError(`Invalid configuration:\n${formatIssues(parsed.error)}`);
  const e = parsed.data;
  return {
    ...toCore(e, base),
    discordToken: e.DISCORD_TOKEN,
    discordAppId: e.DISCORD_APP_ID,
    discordGuildId: e.DISCORD_GUILD_ID,
    discordApiBase: e.DISCORD_API_BASE,
    daily: { channelId: e.DAILY_CHANNEL_ID ?? null, time: e.DAILY_TIME, timezone: e.DAILY_TZ, count: e.DAILY_COUNT },
    healthPort: e.HEALTH_PORT,
    feedsCron: e.FEEDS_CRON ?? feedsCronBefore(e.DAILY_TIME),
    dailyNewCount: e.DAILY_NEW_COUNT,
    indexPollMs: e.INDEX_POLL_MS,
    chat: { messageContent: e.MESSAGE_CONTENT, idleMs: e.CONVERSATION_IDLE_MINUTES * 60_000 },
    llm: llmConfig(e),
  };
}

function llmConfig(e: z.infer<typeof botSchema>): LlmConfig | null {
  if (!e.LLM_BASE_URL) return null;
  if (!e.LLM_MODEL) throw new UserFacingError(`Invalid configuration:\n  - LLM_MODEL is required when LLM_BASE_URL is set\n    ${HINTS.LLM_MODEL}`);
  return { baseUrl: e.LLM_BASE_URL, model: e.LLM_MODEL, ...(e.LLM_API_KEY ? { apiKey: e.LLM_API_KEY } : {}), timeoutMs: e.LLM_TIMEOUT_MS };
}
