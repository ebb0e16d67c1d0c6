import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { ConversationTurnResult } from '../conversation/types.js';
import type { Engine } from '../engine/types.js';
import type { Library } from '../library/library.js';
import type { GenerativeOptions } from '../llm/answerers.js';
import type { DailyDefaults } from '../store/daily-store.js';
import type { Stores } from '../store/state.js';
import type { QueryMemory } from './components.js';
import type { DailyService } from './daily.js';

/** Everything a command needs; built once by the integrator (src/index.ts). */
export interface Services {
  /** The engine for this interaction (the router puts `live.current()` here when it starts). */
  engine: Engine;
  /** Follows the collection as papers are added and removed; absent = a fixed engine. */
  live?: { current(): Engine };
  /** Adding and removing papers; absent = /add and /remove say they are not available. */
  library?: Library;
  /** The state store modules (state.daily, …); the composition root owns opening and closing. */
  state: Stores;
  daily: Pick<DailyService, 'todaysPicks' | 'reschedule'> & Partial<Pick<DailyService, 'todaysArrivals'>>;
  /** /find's queries by hash, for its paging buttons; a restart forgets them (and "Next" says so). */
  queryMemory: QueryMemory;
  /** The router hands each command a child logger with the interaction's context. */
  logger: Logger;
  clock: Clock;
  startedAt: Date;
  dailyDefaults: DailyDefaults;
  /** Conversations in messages: /ask records its answer there so that a "Follow up" continues it. Absent = no follow-ups. */
  chat?: ChatServices;
  /** Generative answers for /ask (LLM_*); absent = extractive only. */
  llm?: GenerativeOptions;
}

export interface ChatServices {
  conversations: { record(conversationId: string, message: string, reply: ConversationTurnResult): Promise<void> };
  /** MESSAGE_CONTENT=1: the bot reads every message in its threads. */
  messageContent: boolean;
}

export type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

export interface Command {
  data: { name: string; toJSON(): RESTPostAPIApplicationCommandsJSONBody };
  execute(interaction: CommandInteraction, services: Services): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, services: Services): Promise<void>;
  /**
   * Added to the shared contract (optional): buttons/select menus whose custom id
   * starts with `<data.name>:` are routed here.
   */
  handleComponent?(interaction: MessageComponentInteraction, services: Services): Promise<void>;
  /** Forms (modals) whose custom id starts with `<data.name>:` are routed here when submitted. */
  handleModal?(interaction: ModalSubmitInteraction, services: Services): Promise<void>;
}
