import path from 'node:path';
import { z } from 'zod';
import { UserFacingError } from './errors.js';
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

export const coreSchema = z.object({
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

export const botSchema = coreSchema.extend({
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
});

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
  /**
   * Clickable links (OSC 8) in the CLI's output: on when stdout is a terminal and TERM is not
   * "dumb" (`auto`), or forced on/off by FORCE_HYPERLINK.
   */
  hyperlinks: { mode: 'auto' | 'on' | 'off'; term: string | undefined };
  /** Query vocabularies (data/vocab): auto (general + the fields the collection uses), none, or named files. */
  vocabulary: 'auto' | 'none' | string[];
}

export interface BotConfig extends CoreConfig {
  discordToken: string;
  discordAppId: string;
  discordGuildId?: string;
  discordApiBase?: string;
  daily: { channelId: string | null; time: string; timezone: string; count: number };
  healthPort: number;
}

const HINTS: Record<string, string> = {
  DISCORD_TOKEN:
    'Create an application at https://discord.com/developers/applications, open "Bot", press "Reset Token" and set DISCORD_TOKEN to it. To try paperbot without Discord, run: npm run paperbot -- console',
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

function toCore(env: z.infer<typeof coreSchema>, base: string): CoreConfig {
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
  };
}
