/**
 * Turns each incoming interaction into one command call, with the shared
 * concerns in one place: cooldown, a per-interaction logger, error replies
 * (UserFacingError → its message; anything else → logged + short apology),
 * and tracking of in-flight work so shutdown can wait for it.
 */
import type { AutocompleteInteraction, Interaction, RepliableInteraction } from 'discord.js';
import { isUserFacingError, UserFacingError } from '../errors.js';
import { Cooldown } from './cooldown.js';
import { errorMessage } from './views/error.js';
import type { Command, Services } from './types.js';

export const APOLOGY = 'Sorry — something went wrong on my side while handling that. It has been logged; please try again in a moment.';

export interface RouterOptions {
  commands: readonly Command[];
  services: Services;
  cooldown?: Cooldown;
  /** Told as each interaction arrives, before it is handled (the engine queue holds compute meanwhile). */
  onArrival?: (interactionId: string) => void;
}

export class InteractionRouter {
  private readonly byName = new Map<string, Command>();
  private readonly cooldown: Cooldown;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly opts: RouterOptions) {
    for (const command of opts.commands) this.byName.set(command.data.name, command);
    this.cooldown = opts.cooldown ?? new Cooldown(5, 10_000);
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Resolves when every interaction that started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Never throws: every failure ends as a log line and, where possible, a reply. */
  handle(interaction: Interaction): Promise<void> {
    this.opts.onArrival?.(interaction.id);
    const work = this.dispatch(interaction).finally(() => this.running.delete(work));
    this.running.add(work);
    return work;
  }

  private async dispatch(interaction: Interaction): Promise<void> {
    const started = performance.now();
    const startedAt = Date.now();
    const name = commandNameOf(interaction);
    const logger = this.opts.services.logger.child({
      interactionId: interaction.id,
      kind: kindOf(interaction),
      command: name,
      userId: interaction.user.id,
      guildId: interaction.guildId ?? null,
    });
    // One engine for the whole interaction, even if a new index generation is swapped in meanwhile.
    const base = this.opts.services;
    const services: Services = { ...base, ...(base.live ? { engine: base.live.current() } : {}), logger };
    let outcome = 'ok';
    try {
      if (interaction.isAutocomplete()) {
        outcome = await this.autocomplete(interaction, name, services);
        return;
      }
      if (!interaction.isRepliable()) {
        outcome = 'ignored';
        return;
      }
      const command = name ? this.byName.get(name) : undefined;
      const waitMs = this.cooldown.take(interaction.user.id);
      if (waitMs > 0) {
        outcome = 'cooldown';
        const retryAt = Math.ceil((Date.now() + waitMs) / 1000);
        await sendError(interaction, `You're sending commands a bit fast — please try again <t:${retryAt}:R> (in about ${Math.ceil(waitMs / 1000)} s).`);
        return;
      }
      if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
        // A command we don't have (stale registration after a deploy): tell the user, it is not a bug here.
        if (!command) throw new UserFacingError(`I don't know /${(name ?? '').slice(0, 32)} (any more). Try /find or /about.`);
        await command.execute(interaction, services);
      } else if (interaction.isMessageComponent()) {
        // A button from an old message or a forged custom id: a polite note, not an error.
        if (!command?.handleComponent) throw new UserFacingError('That control is from an older version of me — please run the command again.');
        await command.handleComponent(interaction, services);
      } else if (interaction.isModalSubmit()) {
        if (!command?.handleModal) throw new UserFacingError('That form is from an older version of me — please run the command again.');
        await command.handleModal(interaction, services);
      } else {
        outcome = 'ignored';
      }
    } catch (err) {
      outcome = isUserFacingError(err) ? 'user-error' : 'error';
      if (!isUserFacingError(err)) logger.error({ err, command: name, userId: interaction.user.id, guildId: interaction.guildId }, 'interaction failed');
      if (interaction.isRepliable()) {
        await sendError(interaction, isUserFacingError(err) ? err.message : APOLOGY).catch((replyErr: unknown) =>
          logger.warn({ err: replyErr }, 'could not send the error reply'),
        );
      }
    } finally {
      // waitedMs: from the interaction's creation (its id's time, Discord's clock) to our handler starting.
      const waitedMs = Math.max(0, Math.round(startedAt - interaction.createdTimestamp));
      logger.info({ latencyMs: Math.round(performance.now() - started), waitedMs, outcome }, 'interaction done');
    }
  }

  private async autocomplete(interaction: AutocompleteInteraction, name: string | undefined, services: Services): Promise<string> {
    const command = name ? this.byName.get(name) : undefined;
    try {
      if (!command?.autocomplete) throw new Error(`no autocomplete for ${name}`);
      await command.autocomplete(interaction, services);
      return 'ok';
    } catch (err) {
      services.logger.error({ err }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      return 'error';
    }
  }
}

function commandNameOf(interaction: Interaction): string | undefined {
  if (interaction.isCommand() || interaction.isAutocomplete()) return interaction.commandName;
  if (interaction.isMessageComponent() || interaction.isModalSubmit()) return interaction.customId.split(':', 1)[0];
  return undefined;
}

function kindOf(interaction: Interaction): string {
  if (interaction.isAutocomplete()) return 'autocomplete';
  if (interaction.isChatInputCommand()) return 'slash';
  if (interaction.isContextMenuCommand()) return 'context-menu';
  if (interaction.isButton()) return 'button';
  if (interaction.isStringSelectMenu()) return 'select';
  if (interaction.isModalSubmit()) return 'modal';
  return 'other';
}

/**
 * Show `text` to the user only. Which call that takes depends on what was
 * already sent: a non-ephemeral "thinking…" must be removed and the error
 * sent as a follow-up, since editing it would show the error to everyone.
 */
export async function sendError(interaction: RepliableInteraction, text: string): Promise<void> {
  const payload = errorMessage(text);
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply(payload);
    return;
  }
  if (interaction.deferred && !interaction.replied && !isComponent(interaction)) {
    if (interaction.ephemeral) {
      await interaction.editReply({ content: payload.content, embeds: [], components: [], allowedMentions: payload.allowedMentions });
      return;
    }
    await interaction.deleteReply().catch(() => undefined);
  }
  await interaction.followUp(payload);
}

function isComponent(interaction: RepliableInteraction): boolean {
  return interaction.isMessageComponent();
}
