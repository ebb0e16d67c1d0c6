import { MessageFlags, SlashCommandBuilder, ThreadAutoArchiveDuration, type MessageComponentInteraction, type ThreadChannel } from 'discord.js';
import { threadName } from '../src/bot/chat/chat-handler.js';
import { liveText } from '../src/bot/live-text.js';
import { askMessage, FOLLOW_UP_ID } from '../src/bot/views/ask.js';
import { chatNotice } from '../src/bot/views/chat.js';
import type { Command, CommandInteraction, Services } from '../src/bot/types.js';
import type { ConversationTurnResult } from '../src/conversation/types.js';
import type { AskResult } from '../src/engine/types.js';
import { UserFacingError } from '../src/errors.js';
import { askGenerative } from '../src/llm/answerers.js';
import { MAX_QUERY_CHARS, cleanUserText, editDeferred } from './shared.js';

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question; the answer cites papers from the collection')
  .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(MAX_QUERY_CHARS));

/**
 * The answer, and a conversation that continues it: in a thread or a DM, that channel's
 * conversation (write on there); in a channel, the answer message's own conversation, which
 * the "Follow up" button opens a thread for (a thread's id is its starter message's id).
 */
export async function execute(interaction: CommandInteraction, services: Services): Promise<void> {
  if (!interaction.isChatInputCommand()) return;
  const question = cleanUserText(interaction.options.getString('question'), { what: 'question', max: MAX_QUERY_CHARS });
  // The "thinking…" message becomes the answer: its id is known now, so the conversation is recorded before anyone can reply to it.
  const deferred = await interaction.deferReply({ withResponse: true });
  const { result, model } = await answer(interaction, services, question);
  const inChannel = interaction.inGuild() && !interaction.channel?.isThread();
  const conversationId = inChannel ? deferred.resource?.message?.id : interaction.channelId;
  if (conversationId) await services.chat?.conversations.record(conversationId, question, asTurn(result));
  const followUp = Boolean(services.chat && conversationId) && inChannel;
  await editDeferred(interaction, askMessage(result, question, { followUp, ...(model ? { model } : {}) }));
}

async function answer(interaction: CommandInteraction, services: Services, question: string): Promise<{ result: AskResult; model?: string }> {
  if (!services.llm) return { result: await services.engine.ask(question) };
  // The answer streams into the "thinking…" message, an edit at most every second; then the final edit.
  const live = liveText((payload) => editDeferred(interaction, payload), { onError: (err) => services.logger.warn({ err }, 'could not show the partial answer') });
  const { result, by } = await askGenerative(services.engine, question, { ...services.llm, onPartial: live.onPartial });
  await live.settle();
  services.logger.info({ path: by.path, reason: by.reason, detail: by.detail, model: by.model, tookMs: by.tookMs, partialEdits: live.shown }, 'ask answered');
  return { result, ...(by.path === 'llm' && by.model ? { model: by.model } : {}) };
}

/** The /ask answer as a conversation turn: its cited papers become what "it" and "the second one" mean. */
function asTurn(result: AskResult): ConversationTurnResult {
  const papers = result.citations.map((c) => c.paper);
  const sources = result.citations.map((c) => `[${c.n}] ${c.paper.title}`);
  return { reply: [result.answer, ...(sources.length ? ['', 'Sources:', ...sources] : [])].join('\n'), answered: result.answered, citations: result.citations, papers, kind: 'ask' };
}

/** "Follow up": a thread on the answer (its id = the answer's id = its conversation), or the one already there. */
export async function handleComponent(interaction: MessageComponentInteraction, services: Services): Promise<void> {
  if (interaction.customId !== FOLLOW_UP_ID || !interaction.isButton()) {
    throw new UserFacingError('That control is from an older version of me — please run the command again.');
  }
  if (!services.chat || !interaction.inGuild()) throw new UserFacingError('Follow-ups work in server channels: mention me there, or write to me here in DMs.');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const message = interaction.message;
  let thread: ThreadChannel | undefined;
  if (message.hasThread) {
    const existing = message.thread ?? (await interaction.client.channels.fetch(message.id).catch(() => null));
    if (existing?.isThread()) thread = existing;
  }
  if (!thread) {
    const question = (message.embeds[0]?.author?.name ?? '').replace(/^Q:\s*/, '');
    try {
      thread = await message.startThread({ name: threadName(question), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    } catch (err) {
      services.logger.warn({ err }, 'could not open a follow-up thread');
      throw new UserFacingError("I can't open a thread here (I need the Create Public Threads permission). Reply to my answer with the @ mention on to follow up instead.");
    }
    services.state.chatThreads.add({ threadId: thread.id, guildId: interaction.guildId, parentId: message.channelId, openedFor: interaction.user.id, createdAt: services.clock.now().getTime() });
    const how = services.chat.messageContent ? 'Just write here' : 'Mention me or reply to me';
    await thread.send(chatNotice(`${how} to follow up on this answer: “does it have code?”, “tell me more about [2]”, …`));
  }
  await interaction.editReply({ content: `Follow up in <#${thread.id}>.`, allowedMentions: { parse: [] } });
}

export default { data, execute, handleComponent } satisfies Command;
