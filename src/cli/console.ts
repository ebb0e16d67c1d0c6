import { createInterface } from 'node:readline';
import { askMessage } from '../bot/views/ask.js';
import { errorMessage } from '../bot/views/error.js';
import { findMessage } from '../bot/views/find.js';
import { paperMessage } from '../bot/views/paper.js';
import { picksMessage } from '../bot/views/picks.js';
import { similarMessage } from '../bot/views/similar.js';
import type { Engine } from '../engine/types.js';
import { isUserFacingError } from '../errors.js';
import { renderMessage } from './render.js';
import type { CliIo } from './context.js';

const HELP = `Commands (as in Discord):
  /find <query>        /similar <paper or text>   /ask <question>
  /today [YYYY-MM-DD]  /paper <id or title>       /help   /quit`;

/** Runs one console line and returns what the bot would show, as text. Exported for tests. */
export async function consoleLine(engine: Engine, line: string): Promise<string | null> {
  const trimmed = line.trim();
  if (!trimmed) return '';
  const match = /^\/?(\w+)\s*([\s\S]*)$/.exec(trimmed);
  const cmd = match?.[1]?.toLowerCase() ?? '';
  const arg = match?.[2]?.trim() ?? '';
  try {
    switch (cmd) {
      case 'quit':
      case 'exit':
        return null;
      case 'help':
        return HELP;
      case 'find':
        return renderMessage(findMessage(await engine.find(arg, { k: 5 }), arg, { offset: 0, k: 5, hasCode: false, queryHash: 'console' }));
      case 'similar': {
        const paper = engine.paper(arg);
        return renderMessage(similarMessage(await engine.similar(arg, { k: 5 }), paper ? { paper } : { text: arg }));
      }
      case 'ask':
        return renderMessage(askMessage(await engine.ask(arg), arg));
      case 'today': {
        const date = arg || new Date().toISOString().slice(0, 10);
        return renderMessage({ ...picksMessage(engine.picks(date, 3, []), { date }) });
      }
      case 'paper': {
        const paper = engine.paper(arg);
        if (!paper) return renderMessage(errorMessage(`No paper matches "${arg.slice(0, 80)}". Try /find.`));
        return renderMessage(paperMessage(paper, (await engine.similar(paper.id, { k: 3 })).hits));
      }
      default:
        return `Unknown command "${cmd.slice(0, 30)}".\n${HELP}`;
    }
  } catch (err) {
    if (isUserFacingError(err)) return renderMessage(errorMessage(err.message));
    return renderMessage(errorMessage('Sorry, something went wrong on our side.'));
  }
}

export async function runConsole(engine: Engine, io: CliIo): Promise<number> {
  const info = engine.info();
  io.stdout.write(`paperbot console · ${info.papers} papers · ${info.mode}${info.modelNote ? ` (${info.modelNote})` : ''}\n${HELP}\n`);
  const rl = createInterface({ input: io.stdin, output: io.stdin.isTTY ? io.stdout : undefined, prompt: 'paperbot> ', terminal: Boolean(io.stdin.isTTY) });
  if (io.stdin.isTTY) rl.prompt();
  for await (const line of rl) {
    const out = await consoleLine(engine, line);
    if (out === null) break;
    if (out) io.stdout.write(out + '\n');
    if (io.stdin.isTTY) rl.prompt();
  }
  rl.close();
  return 0;
}
