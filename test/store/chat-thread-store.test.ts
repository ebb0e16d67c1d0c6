import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChatThreadStore } from '../../src/store/chat-thread-store.js';
import { tempStateStores } from './temp-state.js';

const temp = tempStateStores('paperbot-chat-threads-');

const thread = (n: number, createdAt = 1000 + n) => ({ threadId: String(1000 + n), guildId: '1', parentId: '2', openedFor: '3', createdAt });

describe('the threads the bot opened', () => {
  it('are remembered across a reopen of the state file; recording one again changes nothing', () => {
    const path = join(temp.dir(), 'state.db');
    const first = temp.open(path);
    first.chatThreads.add(thread(1));
    first.chatThreads.add({ ...thread(1), openedFor: '99' });
    expect(first.chatThreads.get('1001')).toEqual(thread(1));
    first.close();
    const again = temp.open(path);
    expect(again.chatThreads.has('1001')).toBe(true);
    expect(again.chatThreads.has('1002')).toBe(false);
    expect(again.chatThreads.get('1002')).toBeUndefined();
  });

  it('are bounded: beyond the cap the oldest are forgotten', () => {
    const s = temp.open();
    const store = new ChatThreadStore(s.db, 3);
    for (const n of [1, 2, 3, 4, 5]) store.add(thread(n));
    expect(store.count()).toBe(3);
    expect(['1001', '1002', '1003', '1004', '1005'].map((id) => store.has(id))).toEqual([false, false, true, true, true]);
  });
});
