/**
 * Shared fakes for the daily-post tests, and (when run as a script with
 * PAPERBOT_STATE_CHILD=1) the child process that the kill -9 test SIGKILLs mid-run.
 *
 * Child usage: PAPERBOT_STATE_CHILD=1 node --import tsx test/helpers/state-child.ts <db> <channel-file> <date>...
 * For each date it sets a fake clock to 12:00 UTC that day and runs DailyService.runDue()
 * (claim → note → send to the file-backed channel → markSent), with small random pauses
 * between the steps so a kill lands anywhere. Prints "stage <name> <date>" lines as it goes,
 * and "done" at the end. PAPERBOT_CHILD_HOLD_MS=n waits n ms after each send (before markSent)
 * so a test can kill it exactly inside that window.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import pino from 'pino';
import { fixedClock } from '../../src/clock.js';
import type { Paper } from '../../src/collection/types.js';
import { dailyPicks } from '../../src/engine/picks.js';
import { DailyService, type DailyPoster } from '../../src/bot/daily.js';
import type { DailyDefaults } from '../../src/store/daily-store.js';
import { StateStore } from '../../src/store/state.js';

export function makePapers(n: number): Paper[] {
  const topics = ['graph', 'vision', 'language', 'speech', 'robot', 'protein', 'math', 'code', 'agent', 'diffusion'];
  return Array.from({ length: n }, (_, i) => {
    const id = `p${String(i).padStart(4, '0')}`;
    const title = `Paper ${i} on ${topics[i % topics.length]} and ${topics[(i * 3 + 1) % topics.length]}`;
    return {
      id,
      title,
      abstract: `We study ${topics[(i * 7) % topics.length]} with ${topics[(i * 5 + 2) % topics.length]} methods. Item ${i}.`,
      searchUrl: `https://arxiv.org/a/${id}`,
      authors: [],
      tags: [],
      codeLinks: [],
      hash: id,
      source: { file: 'fake.txt', line: i + 1 },
    };
  });
}

/** Just the part of Engine the daily service uses, backed by the real picker. */
export function fakeEngine(papers: Paper[]) {
  const byId = new Map(papers.map((p) => [p.id, p]));
  return {
    picksCalls: 0,
    picks(date: string, n: number, history: readonly string[]): Paper[] {
      this.picksCalls++;
      return dailyPicks(papers, date, n, history);
    },
    paper: (id: string) => byId.get(id),
  };
}

export interface FileMessage {
  id: string;
  channelId: string;
  marker: string;
  date: string;
  paperIds: string[];
}

/** A "channel" that is a JSON-lines file: survives the process being killed, like Discord would. */
export class FilePoster implements DailyPoster {
  constructor(
    private readonly file: string,
    private readonly pause: () => Promise<void> = async () => {},
    private readonly onStage: (stage: string, date: string) => void = () => {},
    /** Extra wait after the send, to hold the process inside the send → markSent window. */
    private readonly holdAfterSendMs = 0,
  ) {}

  messages(): FileMessage[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as FileMessage);
  }

  async post(channelId: string, picks: Paper[], date: string, marker: string) {
    await this.pause();
    const id = `m${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    // One small O_APPEND write: the line is in the file completely or not at all.
    appendFileSync(this.file, JSON.stringify({ id, channelId, marker, date, paperIds: picks.map((p) => p.id) }) + '\n');
    this.onStage('posted', date);
    await this.pause(); // the window between send and markSent
    if (this.holdAfterSendMs > 0) await new Promise((r) => setTimeout(r, this.holdAfterSendMs));
    return { messageId: id };
  }

  async findPosted(channelId: string, marker: string) {
    return this.messages().find((m) => m.channelId === channelId && m.marker === marker)?.id ?? null;
  }

  async openThread() {}
}

export const CHILD_GUILD = '111111111111111111';
export const CHILD_CHANNEL = '222222222222222222';
export const CHILD_DEFAULTS: DailyDefaults = { channelId: CHILD_CHANNEL, time: '09:00', timezone: 'UTC', count: 3 };
export const CHILD_PAPERS = 40;

async function childMain(): Promise<void> {
  const [dbPath, channelFile, ...dates] = process.argv.slice(2);
  if (!dbPath || !channelFile || dates.length === 0) throw new Error('usage: state-child <db> <channel-file> <date>...');
  const say = (line: string) => process.stdout.write(line + '\n');
  const pause = () => new Promise<void>((r) => setTimeout(r, Math.floor(Math.random() * 25)));
  const state = StateStore.open(dbPath);
  const clock = fixedClock(`${dates[0]}T12:00:00Z`);
  const service = new DailyService({
    store: state.daily,
    engine: fakeEngine(makePapers(CHILD_PAPERS)),
    poster: new FilePoster(
      channelFile,
      pause,
      (stage, date) => say(`stage ${stage} ${date}`),
      Number(process.env.PAPERBOT_CHILD_HOLD_MS ?? 0),
    ),
    clock,
    logger: pino({ level: 'silent' }),
    defaults: CHILD_DEFAULTS,
    guildIds: () => [CHILD_GUILD],
  });
  say('ready');
  for (const date of dates) {
    clock.set(`${date}T12:00:00Z`);
    const outcome = (await service.runDue()).get(CHILD_GUILD);
    say(`stage ${outcome} ${date}`);
    await pause();
  }
  state.close();
  say('done');
}

if (process.env.PAPERBOT_STATE_CHILD === '1') {
  childMain().catch((err: unknown) => {
    process.stderr.write(String((err as Error).stack ?? err) + '\n');
    process.exit(1);
  });
}
