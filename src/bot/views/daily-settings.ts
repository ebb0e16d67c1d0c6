/** /daily show|set|pause|resume: the server's daily-picks settings (ephemeral). */
import { MessageFlags } from 'discord-api-types/v10';
import type { GuildSettings } from '../../store/daily-store.js';
import { COLOR, message, type BotMessage } from './limits.js';

export function dailySettingsMessage(settings: GuildSettings, note?: string): BotMessage {
  return message({
    content: note,
    embeds: [{
      title: 'Daily picks settings',
      color: COLOR.picks,
      fields: [
        { name: 'Channel', value: settings.channelId ? `<#${settings.channelId}>` : 'not set — use `/daily set channel:`', inline: true },
        { name: 'Time', value: `${settings.time} (${settings.timezone})`, inline: true },
        { name: 'Papers per day', value: String(settings.count), inline: true },
        { name: 'Status', value: settings.paused ? 'paused' : settings.channelId ? 'active' : 'inactive (no channel)', inline: true },
      ],
    }],
    flags: MessageFlags.Ephemeral,
  });
}
