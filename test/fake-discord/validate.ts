/**
 * The subset of Discord's request validation that bots trip over: length limits on
 * messages/embeds/components, empty messages, nonce length, autocomplete choices,
 * command definitions. Violations come back as a 400 `Invalid Form Body` (code 50035)
 * with the API's nested `errors` shape, so discord.js renders them like the real thing.
 */
import type { Json } from './payloads.js';

export interface FieldError {
  path: string; // dotted: embeds.0.description
  code: string;
  message: string;
}

export class InvalidBody {
  readonly errors: FieldError[] = [];
  add(path: string, code: string, message: string): void {
    this.errors.push({ path, code, message });
  }
  max(path: string, value: unknown, limit: number): void {
    if (typeof value === 'string' && [...value].length > limit)
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer in length.`);
  }
  required(path: string, value: unknown): void {
    if (value === undefined || value === null || value === '') this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  }
  get ok(): boolean {
    return this.errors.length === 0;
  }
  /** The API's `{ code, message, errors: { a: { 0: { b: { _errors: [...] } } } } }` body. */
  toResponse(): Json {
    const errors: Json = {};
    for (const e of this.errors) {
      let node = errors;
      for (const key of e.path.split('.')) node = node[key] ??= {};
      (node._errors ??= []).push({ code: e.code, message: e.message });
    }
    return { message: 'Invalid Form Body', code: 50035, errors };
  }
}

const EMBED_TOTAL = 6000;

export function validateMessageBody(body: Json, opts: { requireSomething: boolean }): InvalidBody {
  const v = new InvalidBody();
  v.max('content', body.content, 2000);
  if (body.nonce !== undefined && typeof body.nonce === 'string') v.max('nonce', body.nonce, 25);
  const embeds: Json[] = body.embeds ?? [];
  if (embeds.length > 10) v.add('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((e, i) => {
    const p = `embeds.${i}`;
    v.max(`${p}.title`, e.title, 256);
    v.max(`${p}.description`, e.description, 4096);
    v.max(`${p}.footer.text`, e.footer?.text, 2048);
    v.max(`${p}.author.name`, e.author?.name, 256);
    for (const key of ['url', 'thumbnail.url', 'image.url', 'author.url']) {
      const url = key.split('.').reduce<any>((o, k) => o?.[k], e);
      if (url !== undefined && !isWellFormedUrl(url)) v.add(`${p}.${key}`, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
    }
    if (e.color !== undefined && (!Number.isInteger(e.color) || e.color < 0 || e.color > 0xffffff))
      v.add(`${p}.color`, 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    const fields: Json[] = e.fields ?? [];
    if (fields.length > 25) v.add(`${p}.fields`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((f, j) => {
      v.required(`${p}.fields.${j}.name`, f.name);
      v.required(`${p}.fields.${j}.value`, f.value);
      v.max(`${p}.fields.${j}.name`, f.name, 256);
      v.max(`${p}.fields.${j}.value`, f.value, 1024);
    });
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
    total += fields.reduce((n, f) => n + len(f.name) + len(f.value), 0);
  });
  if (total > EMBED_TOTAL) v.add('embeds', 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${EMBED_TOTAL}`);
  validateComponents(v, body.components);
  validateAllowedMentions(v, body.allowed_mentions);
  const hasSomething =
    (typeof body.content === 'string' && body.content.length > 0) ||
    embeds.length > 0 ||
    (body.components ?? []).length > 0 ||
    (body.attachments ?? []).length > 0 ||
    (body.sticker_ids ?? []).length > 0 ||
    body.poll !== undefined;
  if (opts.requireSomething && !hasSomething) {
    // The API answers an empty message with its own code, not 50035.
    v.add('', 'EMPTY_MESSAGE', 'Cannot send an empty message');
  }
  return v;
}

function validateAllowedMentions(v: InvalidBody, am: Json | undefined | null): void {
  if (am === undefined || am === null) return;
  const parse = am.parse;
  if (parse !== undefined && (!Array.isArray(parse) || parse.some((x: unknown) => !['users', 'roles', 'everyone'].includes(String(x)))))
    v.add('allowed_mentions.parse', 'ENUM_TYPE_COERCE', 'Value must be one of users, roles, everyone.');
  for (const kind of ['users', 'roles'] as const) {
    const list = am[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((id: unknown) => !/^\d{1,20}$/.test(String(id))))
      v.add(`allowed_mentions.${kind}`, 'SNOWFLAKE_TYPE_INVALID', 'Value is not snowflake.');
    else if (list.length > 100) v.add(`allowed_mentions.${kind}`, 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    // Discord: "parse: ['users']" and a "users" list cannot be combined (same for roles).
    if (Array.isArray(parse) && parse.includes(kind) && Array.isArray(list) && list.length > 0)
      v.add(`allowed_mentions.${kind}`, 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`);
  }
}

function validateComponents(v: InvalidBody, components: Json[] | undefined): void {
  if (!components) return;
  if (components.length > 5) v.add('components', 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  components.forEach((row, i) => {
    const children: Json[] = row.components ?? [];
    if (row.type === 1 && children.length > 5) v.add(`components.${i}.components`, 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
    children.forEach((c, j) => {
      const p = `components.${i}.components.${j}`;
      v.max(`${p}.label`, c.label, 80);
      v.max(`${p}.custom_id`, c.custom_id, 100);
      if (c.type === 2 && c.style === 5 && !isWellFormedUrl(c.url)) v.add(`${p}.url`, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
      if (c.type === 2 && c.style !== 5 && c.style !== 6) v.required(`${p}.custom_id`, c.custom_id);
    });
  });
}

export function validateAutocompleteChoices(data: Json | undefined): InvalidBody {
  const v = new InvalidBody();
  const choices: Json[] = data?.choices ?? [];
  if (!Array.isArray(data?.choices)) v.add('data.choices', 'BASE_TYPE_REQUIRED', 'This field is required');
  if (choices.length > 25) v.add('data.choices', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  choices.forEach((c, i) => {
    v.required(`data.choices.${i}.name`, c.name);
    v.max(`data.choices.${i}.name`, c.name, 100);
    if (typeof c.value === 'string') v.max(`data.choices.${i}.value`, c.value, 100);
  });
  return v;
}

const COMMAND_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

export function validateCommands(commands: Json[]): InvalidBody {
  const v = new InvalidBody();
  const seen = new Set<string>();
  commands.forEach((c, i) => {
    const type = c.type ?? 1;
    const key = `${type}:${c.name}`;
    if (seen.has(key)) v.add(`${i}.name`, 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    seen.add(key);
    if (type === 1) {
      validateOptionLike(v, `${i}`, c);
      validateOptions(v, `${i}.options`, c.options);
    } else {
      v.required(`${i}.name`, c.name);
      v.max(`${i}.name`, c.name, 32);
      if (c.description) v.add(`${i}.description`, 'CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have a description');
    }
  });
  if (commands.filter((c) => (c.type ?? 1) === 1).length > 100) v.add('', 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  return v;
}

function validateOptionLike(v: InvalidBody, p: string, o: Json): void {
  if (typeof o.name !== 'string' || !COMMAND_NAME.test(o.name) || o.name !== o.name.toLowerCase())
    v.add(`${p}.name`, 'APPLICATION_COMMAND_INVALID_NAME', `Command name is invalid`);
  v.required(`${p}.description`, o.description);
  v.max(`${p}.description`, o.description, 100);
}

function validateOptions(v: InvalidBody, p: string, options: Json[] | undefined): void {
  if (!options) return;
  if (options.length > 25) v.add(p, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let sawOptional = false;
  options.forEach((o, i) => {
    validateOptionLike(v, `${p}.${i}`, o);
    if (o.type === 1 || o.type === 2) validateOptions(v, `${p}.${i}.options`, o.options);
    else if (o.required) {
      if (sawOptional) v.add(`${p}.${i}.required`, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    } else sawOptional = true;
    const choices: Json[] = o.choices ?? [];
    if (choices.length > 25) v.add(`${p}.${i}.choices`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    if (choices.length > 0 && o.autocomplete) v.add(`${p}.${i}.autocomplete`, 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES', 'Autocomplete cannot be set with choices');
  });
}

function len(s: unknown): number {
  return typeof s === 'string' ? [...s].length : 0;
}

function isWellFormedUrl(u: unknown): boolean {
  if (typeof u !== 'string') return false;
  try {
    const url = new URL(u);
    return ['http:', 'https:', 'attachment:'].includes(url.protocol);
  } catch {
    return false;
  }
}
