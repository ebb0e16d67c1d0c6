/**
 * What went wrong talking to Discord (logging in, registering commands), in words an operator can
 * act on: a rejected token is not a DNS failure, and neither is a refused port or a timeout.
 * Duck-typed on error codes (discord.js, @discordjs/rest, undici and Node wrap each other's errors
 * through `cause`), so it needs no discord.js import.
 */

export type DiscordFailureKind = 'invalid-token' | 'dns' | 'refused' | 'timeout' | 'tls' | 'discord-error' | 'unknown';

export interface DiscordFailure {
  kind: DiscordFailureKind;
  /** What happened and what to do, one or two sentences; never the token. */
  message: string;
  /** The low-level code that decided the kind (ENOTFOUND, 401, 4004, …), for the log line. */
  code?: string;
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ENODATA']);
const REFUSED = new Set(['ECONNREFUSED']);
const TIMEOUT = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError', 'ConnectTimeoutError']);

interface Facts {
  codes: string[];
  names: string[];
  status?: number;
  closeCode?: number;
  hostname?: string;
  address?: string;
  port?: number;
  message: string;
}

/** Everything useful along the error's cause chain (and inside AggregateErrors), outermost first. */
function facts(err: unknown): Facts {
  const out: Facts = { codes: [], names: [], message: err instanceof Error ? err.message : String(err) };
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || seen.has(e) || depth > 6) return;
    seen.add(e);
    const x = e as Record<string, unknown>;
    if (typeof x.code === 'string') out.codes.push(x.code);
    if (typeof x.code === 'number' && x.code >= 4000 && x.code < 5000) out.closeCode ??= x.code;
    if (typeof x.name === 'string') out.names.push(x.name);
    if (typeof x.status === 'number') out.status ??= x.status;
    if (typeof x.hostname === 'string') out.hostname ??= x.hostname;
    if (typeof x.address === 'string') out.address ??= x.address;
    if (typeof x.port === 'number') out.port ??= x.port;
    visit(x.cause, depth + 1);
    if (Array.isArray(x.errors)) for (const inner of x.errors) visit(inner, depth + 1);
  };
  visit(err, 0);
  return out;
}

function hostOf(apiBase: string | undefined): string {
  if (!apiBase) return 'discord.com';
  try {
    return new URL(apiBase).host;
  } catch {
    return apiBase;
  }
}

/**
 * Classifies a failure of `action` ("log in to Discord", "register the commands"). `apiBase` is
 * DISCORD_API_BASE when set: then a network failure most likely means that setting is wrong.
 */
export function describeDiscordFailure(err: unknown, opts: { action: string; apiBase?: string }): DiscordFailure {
  const f = facts(err);
  const where = opts.apiBase ? `DISCORD_API_BASE (${opts.apiBase})` : 'the network path to discord.com (proxy, firewall)';
  const target = f.hostname ?? hostOf(opts.apiBase);
  const fail = `Could not ${opts.action}`;

  if (f.codes.includes('TokenInvalid') || f.status === 401 || f.closeCode === 4004) {
    return {
      kind: 'invalid-token',
      code: f.closeCode === 4004 ? '4004' : f.status === 401 ? '401' : 'TokenInvalid',
      message:
        `${fail}: Discord rejected the bot token (401 Unauthorized). Copy a fresh token into DISCORD_TOKEN: ` +
        'https://discord.com/developers/applications → your application → Bot → Reset Token. ' +
        '(If you just reset it, the old one stopped working at that moment.)',
    };
  }
  const dns = f.codes.find((c) => DNS.has(c));
  if (dns) {
    return {
      kind: 'dns',
      code: dns,
      message:
        `${fail}: the name ${target} could not be resolved (DNS ${dns}${dns === 'EAI_AGAIN' ? ', temporary' : ''}). ` +
        `This is not about the token (it was not checked). Check this machine's DNS and network` +
        `${opts.apiBase ? `, and the host name in DISCORD_API_BASE (${opts.apiBase})` : ''}; try again once it resolves.`,
    };
  }
  const refused = f.codes.find((c) => REFUSED.has(c));
  if (refused) {
    const at = f.address && f.port ? `${f.address}:${f.port}` : target;
    return {
      kind: 'refused',
      code: refused,
      message:
        `${fail}: ${at} refused the connection (${refused}): nothing is listening there. ` +
        `This is not about the token (it was not checked). Check ${where}.`,
    };
  }
  const timeout = f.codes.find((c) => TIMEOUT.has(c)) ?? f.names.find((n) => TIMEOUT_NAMES.has(n));
  if (timeout) {
    return {
      kind: 'timeout',
      code: timeout,
      message:
        `${fail}: ${target} did not answer in time or dropped the connection (${timeout}). ` +
        `This is not about the token (it was not checked). Check ${where}; if it persists, Discord may be down (https://discordstatus.com).`,
    };
  }
  const tls = f.codes.find((c) => /^(ERR_TLS|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_SSL)/.test(c));
  if (tls) {
    return {
      kind: 'tls',
      code: tls,
      message:
        `${fail}: the TLS connection to ${target} failed (${tls}). Check the system clock, and a TLS-inspecting proxy ` +
        '(its CA certificate goes in NODE_EXTRA_CA_CERTS).',
    };
  }
  if (f.status !== undefined) {
    const outage = f.status >= 500;
    return {
      kind: 'discord-error',
      code: String(f.status),
      message: outage
        ? `${fail}: Discord answered HTTP ${f.status} (a problem on Discord's side). Try again later; see https://discordstatus.com.`
        : `${fail}: Discord answered HTTP ${f.status}: ${f.message}`,
    };
  }
  if (f.closeCode !== undefined) {
    return { kind: 'discord-error', code: String(f.closeCode), message: `${fail}: the Discord gateway closed the connection with code ${f.closeCode}: ${f.message}` };
  }
  return { kind: 'unknown', code: f.codes[0], message: `${fail}: ${f.message}` };
}
