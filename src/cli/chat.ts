/**
 * `paperbot chat`: talk to the conversation brain from a terminal.
 *
 * Interactive: one conversation, a prompt, replies as text.
 * `--json`: JSON lines in, JSON lines out, for scripts and evaluation. Each input line
 *   {"conversation": "<id>", "message": "<text>"} gets one output line, in order, written as
 *   soon as that line is answered (the next line is not waited for):
 *   {"conversation", "reply", "answered", "kind", "citations": [{"n","id","title"}], "papers": [{"id","title"}]}
 *   A malformed line gets {"conversation": <id or null>, "error": "<what is wrong>"} and reading goes on.
 *   Each conversation id keeps its own context for the life of the process.
 */
import { createInterface } from 'node:readline';
import type { Clock } from '../clock.js';
import { Conversations } from '../conversation/conversations.js';
import { MemoryConversationStore } from '../conversation/memory-store.js';
import type { ConversationTurnResult } from '../conversation/types.js';
import type { Engine } from '../engine/types.js';
import { wrap } from './format.js';

export interface ChatIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
}

export interface ChatOptions {
  json?: boolean;
  /** Forget a conversation after this long idle (default: the conversation layer's). */
  idleMs?: number;
  clock?: Clock;
}

/** The conversation id used by the interactive REPL. */
export const CLI_CONVERSATION = 'cli';
/** Longest JSON line read; longer lines are answered with an error (messages are read up to 500 characters anyway). */
const MAX_LINE_CHARS = 100_000;

export function turnJson(conversation: string, r: ConversationTurnResult) {
  return {
    conversation,
    reply: r.reply,
    answered: r.answered,
    kind: r.kind,
    citations: r.citations.map((c) => ({ n: c.n, id: c.paper.id, title: c.paper.title })),
    papers: r.papers.map((p) => ({ id: p.id, title: p.title })),
  };
}

/** Reads one JSON line; returns the request or what is wrong with it. */
export function parseChatLine(line: string): { conversation: string; message: string } | { conversation: string | null; error: string } {
  if (line.length > MAX_LINE_CHARS) return { conversation: null, error: `line too long (over ${MAX_LINE_CHARS} characters)` };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { conversation: null, error: 'not JSON: expected {"conversation": "<id>", "message": "<text>"}' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { conversation: null, error: 'expected a JSON object {"conversation": "<id>", "message": "<text>"}' };
  }
  const { conversation, message } = value as Record<string, unknown>;
  const id = typeof conversation === 'string' || typeof conversation === 'number' ? String(conversation) : null;
  if (id === null || !id.trim()) return { conversation: null, error: '"conversation" must be a non-empty string' };
  if (typeof message !== 'string') return { conversation: id, error: '"message" must be a string' };
  return { conversation: id, message };
}

export async function runChat(engine: Engine, io: ChatIo, options: ChatOptions = {}): Promise<number> {
  const conversations = new Conversations({ engine, store: new MemoryConversationStore(), idleMs: options.idleMs, clock: options.clock });
  conversations.warm();
  return options.json ? runJsonLines(conversations, io) : runRepl(conversations, engine, io);
}

async function runJsonLines(conversations: Conversations, io: ChatIo): Promise<number> {
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
  let answered = 0;
  let failed = 0;
  for await (const line of rl) {
    if (!line.trim()) continue;
    const request = parseChatLine(line);
    if ('error' in request) {
      failed++;
      io.stdout.write(JSON.stringify(request) + '\n');
      continue;
    }
    const reply = await conversations.reply(request.conversation, request.message);
    answered++;
    io.stdout.write(JSON.stringify(turnJson(request.conversation, reply)) + '\n');
  }
  return failed > 0 && answered === 0 ? 2 : 0;
}

async function runRepl(conversations: Conversations, engine: Engine, io: ChatIo): Promise<number> {
  const info = engine.info();
  const tty = Boolean(io.stdin.isTTY);
  io.stdout.write(`${wrap(`paperbot chat · ${info.papers} papers · ${info.mode}. Ask anything; "help" for examples, "quit" to leave.`)}\n`);
  const rl = createInterface({ input: io.stdin, output: tty ? io.stdout : undefined, prompt: 'you> ', terminal: tty });
  if (tty) rl.prompt();
  for await (const line of rl) {
    if (/^\s*\/?(?:quit|exit)\s*$/i.test(line)) break;
    if (line.trim()) {
      const reply = await conversations.reply(CLI_CONVERSATION, line);
      const text = reply.reply.split('\n').map((l) => (l ? wrap(l, 80) : '')).join('\n');
      io.stdout.write(`${text}\n\n`);
    }
    if (tty) rl.prompt();
  }
  rl.close();
  return 0;
}
