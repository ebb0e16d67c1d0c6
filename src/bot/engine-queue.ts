/**
 * Acknowledge before computing. Discord wants every interaction acknowledged (deferReply, a reply,
 * autocomplete choices) within 3 s; search work on the one main thread must never make a newly
 * arrived interaction wait. So the engine's heavy calls (find, similar, ask) go through a queue that
 * runs ONE job per turn of the event loop (setImmediate): between two jobs Node reads every
 * gateway frame that has arrived, and the router acknowledges those interactions first. A job and
 * what its caller does with the result right away (render the view, send the edit) run together;
 * the next job waits for the next turn.
 *
 * While interactions are still streaming in (one arrived in the last `quietMs`) or arrived ones are
 * not yet acknowledged (the router reports arrivals, the REST client the acknowledgements), the next
 * job is held back, for at most `maxHoldMs`, so that whatever CPU this process gets goes to
 * acknowledging a burst before computing its answers.
 *
 * Cheap calls (suggest for autocomplete, paper/resolvePaper by id or title, picks, info) stay
 * synchronous: they are part of acknowledging. No discord.js here.
 */
import type { Logger } from 'pino';
import { UserFacingError } from '../errors.js';
import type { Engine } from '../engine/types.js';


export interface WorkQueueOptions {
  /** More queued jobs than this: new ones are refused with a "busy" message (shed load, do not answer an hour late). */
  maxQueued?: number;
  /** A job still unsettled after this long no longer holds up the queue (it finishes on its own). */
  maxJobMs?: number;
  /** An interaction within this long means more may be on their way: jobs wait. Default 10 ms. */
  quietMs?: number;
  /**
   * A job waits for a quiet moment at most this long (so answers still flow under a steady storm). Default
   * 2500 ms: the acknowledgements of a backlog (after a gateway reconnect, which discord.js begins only
   * after 500 ms) come first; in the 1000-interaction burst this took the callback p99 from 880–990 to 850–870 ms.
   */
  maxHoldMs?: number;
  logger?: Logger;
}

/** Discord's acknowledgement deadline. */
const ACK_WINDOW_MS = 3000;

export const BUSY_MESSAGE = "I'm answering a great many requests right now — please try again in a minute.";

export class WorkQueue {
  private readonly queue: Array<() => Promise<void>> = [];
  private pumping = false;
  private lastArrival = Number.NEGATIVE_INFINITY;
  /** Interactions seen but not yet acknowledged, oldest first (by arrival time). */
  private readonly unacknowledged = new Map<string, number>();
  /** When the job now at the front started waiting for a quiet moment. */
  private holdingSince: number | undefined;
  private readonly maxQueued: number;
  private readonly maxJobMs: number;
  private readonly quietMs: number;
  private readonly maxHoldMs: number;
  /** For diagnostics: jobs run, and the longest wait in the queue so far (ms). */
  readonly stats = { run: 0, refused: 0, maxWaitMs: 0 };

  constructor(private readonly opts: WorkQueueOptions = {}) {
    this.maxQueued = opts.maxQueued ?? 5000;
    this.maxJobMs = opts.maxJobMs ?? 30_000;
    this.quietMs = opts.quietMs ?? 10;
    this.maxHoldMs = opts.maxHoldMs ?? 2500;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The router calls this as each interaction arrives (before acknowledging it). */
  interactionArrived(id?: string): void {
    this.lastArrival = performance.now();
    if (id !== undefined) this.unacknowledged.set(id, this.lastArrival);
  }

  /** Discord has answered the interaction's callback (defer, reply, autocomplete choices). */
  interactionAcknowledged(id: string): void {
    this.unacknowledged.delete(id);
  }

  /** Arrived and not yet acknowledged, within Discord's 3 s (an interaction never acknowledged stops counting then). */
  private acknowledgementsPending(now: number): boolean {
    for (const [id, at] of this.unacknowledged) {
      if (now - at < ACK_WINDOW_MS) break;
      this.unacknowledged.delete(id);
    }
    return this.unacknowledged.size > 0;
  }

  /** Runs `job` on a later turn of the event loop, after the jobs queued before it. */
  run<T>(job: () => Promise<T> | T): Promise<T> {
    if (this.queue.length >= this.maxQueued) {
      this.stats.refused++;
      return Promise.reject(new UserFacingError(BUSY_MESSAGE, 1));
    }
    const queuedAt = performance.now();
    return new Promise<T>((resolve, reject) => {
      this.queue.push(async () => {
        this.stats.maxWaitMs = Math.max(this.stats.maxWaitMs, performance.now() - queuedAt);
        this.stats.run++;
        const settled = (async () => job())().then(resolve, reject);
        let timer: NodeJS.Timeout | undefined;
        const slow = new Promise<void>((done) => {
          timer = setTimeout(() => {
            this.opts.logger?.warn({ maxJobMs: this.maxJobMs }, 'engine job is slow; letting the next one start');
            done();
          }, this.maxJobMs);
          timer.unref();
        });
        await Promise.race([settled, slow]);
        clearTimeout(timer);
      });
      this.pump();
    });
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => void this.next());
  }

  private async next(): Promise<void> {
    if (this.queue.length === 0) {
      this.pumping = false;
      return;
    }
    const now = performance.now();
    this.holdingSince ??= now;
    const busy = now - this.lastArrival < this.quietMs || this.acknowledgementsPending(now);
    if (busy && now - this.holdingSince < this.maxHoldMs) {
      // Interactions are arriving: let them be acknowledged first. A timer, not setImmediate, so the
      // loop can wait for I/O instead of spinning.
      setTimeout(() => void this.next(), 1);
      return;
    }
    this.holdingSince = undefined;
    const job = this.queue.shift()!;
    await job();
    // The next job on the next turn: whatever arrived meanwhile (new interactions) goes first.
    setImmediate(() => void this.next());
  }
}

/** The engine with its heavy calls queued (see above); everything else passes straight through. */
export function queuedEngine(engine: Engine, queue: WorkQueue): Engine {
  return {
    get mode() {
      return engine.mode;
    },
    get papers() {
      return engine.papers;
    },
    find: (query, options) => queue.run(() => engine.find(query, options)),
    similar: (paperOrText, options) => queue.run(() => engine.similar(paperOrText, options)),
    ask: (question, options) => queue.run(() => engine.ask(question, options)),
    suggest: (prefix, limit) => engine.suggest(prefix, limit),
    picks: (date, n, history) => engine.picks(date, n, history),
    paper: (idOrTitle) => engine.paper(idOrTitle),
    resolvePaper: (text) => engine.resolvePaper(text),
    info: () => engine.info(),
  };
}
