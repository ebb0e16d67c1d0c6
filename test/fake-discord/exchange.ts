/**
 * One interaction's conversation with the bot, as Discord sees it: the single
 * callback, then edits of `@original`, follow-ups, deletes. Tests await pieces of it.
 */
import type { Json } from './payloads.js';

export interface InteractionCallback {
  /** 1 pong, 4 message, 5 deferred message, 6 deferred update, 7 update message, 8 autocomplete result, 9 modal. */
  type: number;
  data?: Json;
}

/** The parts of a message a user can see. */
export interface VisibleMessage {
  id: string;
  content: string;
  embeds: Json[];
  components: Json[];
  flags: number;
  ephemeral: boolean;
}

type Waiter = () => void;

export class InteractionExchange {
  callbackBody: InteractionCallback | undefined;
  /** Raw PATCH bodies sent to `@original` (or to the original's id), in order. */
  readonly edits: Json[] = [];
  /** Follow-up messages created (full message objects), in order. */
  readonly followUps: Json[] = [];
  /** PATCH bodies sent to follow-up messages by id. */
  readonly followUpEdits: { messageId: string; body: Json }[] = [];
  /** The current `@original` message object (after the callback and any edits), if any. */
  original: Json | undefined;
  originalDeleted = false;
  /** The form this interaction answered with (callback type 9), for `fake.submitModal`. */
  modal: Json | undefined;
  private readonly waiters = new Set<Waiter>();

  constructor(
    readonly id: string,
    readonly token: string,
    /** The INTERACTION_CREATE payload that was dispatched. */
    readonly payload: Json,
    /** For error messages: "/search", "button:next", ... */
    readonly label: string,
    private readonly timeoutMs: number,
    private readonly describeRecent: () => string,
  ) {}

  /** Resolves with the interaction callback (type + data); rejects after the timeout. */
  get callback(): Promise<InteractionCallback> {
    return this.waitFor(() => this.callbackBody, 'a callback');
  }

  /** Resolves with this exchange once the callback arrived (same timeout as `callback`). */
  get response(): Promise<InteractionExchange> {
    return this.callback.then(() => this);
  }

  /** Resolves with the `count`-th edit body of `@original` (default: the first). */
  waitForEdit(opts: { count?: number; timeoutMs?: number } = {}): Promise<Json> {
    const count = opts.count ?? 1;
    return this.waitFor(() => (this.edits.length >= count ? this.edits[count - 1] : undefined), `edit #${count} of @original`, opts.timeoutMs);
  }

  /** Resolves with the `count`-th follow-up message (default: the first). */
  waitForFollowUp(opts: { count?: number; timeoutMs?: number } = {}): Promise<Json> {
    const count = opts.count ?? 1;
    return this.waitFor(() => (this.followUps.length >= count ? this.followUps[count - 1] : undefined), `follow-up #${count}`, opts.timeoutMs);
  }

  /** Resolves once the user sees a finished reply (not the "thinking..." state) that satisfies `accept`. */
  waitForFinal(accept: (m: VisibleMessage) => boolean = () => true, timeoutMs?: number): Promise<VisibleMessage> {
    return this.waitFor(() => {
      const m = this.final();
      return m && accept(m) ? m : undefined;
    }, 'a final (non-deferred) reply', timeoutMs);
  }

  /** The reply as the user sees it now: callback message or its latest edit. Undefined while deferred/absent/deleted. */
  final(): VisibleMessage | undefined {
    const m = this.original;
    if (!m || this.originalDeleted) return undefined;
    const flags = Number(m.flags ?? 0);
    if (flags & LOADING) return undefined;
    return {
      id: m.id,
      content: m.content ?? '',
      embeds: m.embeds ?? [],
      components: m.components ?? [],
      flags,
      ephemeral: Boolean(flags & EPHEMERAL),
    };
  }

  /** Every text the user could read in the reply and follow-ups (content + embed titles/descriptions/fields/footers). */
  visibleText(): string {
    const messages = [this.final(), ...this.followUps].filter(Boolean) as Json[];
    return messages.map(messageText).join('\n');
  }

  /** @internal called by the server when anything about this interaction changed. */
  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /**
   * Resolves with `probe()` once it is defined (re-checked whenever anything about this interaction
   * changes, no polling); rejects after `timeoutMs` naming `what` and the recent requests.
   */
  waitUntil<T>(probe: () => T | undefined, what: string, timeoutMs = this.timeoutMs): Promise<T> {
    return this.waitFor(probe, what, timeoutMs);
  }

  private waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = this.timeoutMs): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check: Waiter = () => {
        const v = probe();
        if (v === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(v);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `fake-discord: ${this.label} (interaction ${this.id}) got no ${what} within ${timeoutMs}ms.\n` +
              `  callback: ${this.callbackBody ? `type ${this.callbackBody.type}` : 'none'}, edits: ${this.edits.length}, follow-ups: ${this.followUps.length}\n` +
              `  recent requests:\n${this.describeRecent()}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}

export const EPHEMERAL = 1 << 6;
export const LOADING = 1 << 7;

export function messageText(m: Json): string {
  const parts: string[] = [m.content ?? ''];
  for (const e of m.embeds ?? []) {
    parts.push(e.title ?? '', e.description ?? '', e.author?.name ?? '', e.footer?.text ?? '');
    for (const f of e.fields ?? []) parts.push(f.name ?? '', f.value ?? '');
  }
  return parts.filter(Boolean).join('\n');
}
