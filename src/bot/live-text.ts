/**
 * A generated answer shown while it is written: each partial text is rendered and handed to
 * `show` (send the message the first time, edit it after), at most once per `intervalMs`,
 * never two at once, so edits land in order and within Discord's edit rate. `settle()` drops
 * what is still pending and waits for the edit in flight: call it before the final edit.
 */
import type { Timer } from '../upstream/timer.js';
import { throttle } from '../llm/throttle.js';
import { partialMessage, type ChannelMessage } from './views/chat.js';

/** Discord allows about five edits per five seconds per channel; one a second leaves room for the rest. */
export const LIVE_EDIT_INTERVAL_MS = 1000;

export interface LiveText {
  onPartial(text: string): void;
  /** How many partial texts were shown. */
  readonly shown: number;
  settle(): Promise<void>;
}

export function liveText(
  show: (payload: ChannelMessage) => Promise<unknown>,
  options: { intervalMs?: number; onError?: (err: unknown) => void; timer?: Timer } = {},
): LiveText {
  let shown = 0;
  const throttled = throttle(
    async (text: string) => {
      await show(partialMessage(text));
      shown++;
    },
    options.intervalMs ?? LIVE_EDIT_INTERVAL_MS,
    { ...(options.onError ? { onError: options.onError } : {}), ...(options.timer ? { timer: options.timer } : {}) },
  );
  return {
    onPartial: (text) => throttled(text),
    get shown() {
      return shown;
    },
    settle: () => throttled.cancel(),
  };
}
