import type { BotMessage } from '../bot/views/limits.js';
import { WIDTH, wrap } from './format.js';

// Discord markdown as a terminal shows it: drop the escapes and emphasis markers, keep the words.
function plain(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '$1 <$2>')
    .replace(/\\([\\*_~`|>#[\]()-])/g, '$1')
    .replace(/\*\*|__|~~|\|\|/g, '');
}

function block(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? wrap(plain(line), WIDTH, indent) : ''))
    .join('\n');
}

/** Renders a bot message (embeds, buttons) as terminal text: what the Discord user would read. */
export function renderMessage(message: BotMessage): string {
  const out: string[] = [];
  if (message.flags) out.push('(only you can see this)');
  if (message.content) out.push(block(message.content, ''));
  for (const embed of message.embeds) {
    out.push('');
    if (embed.author?.name) out.push(block(embed.author.name, '  '));
    if (embed.title) out.push(block(embed.title, '▌ ').replace(/\n {2}/g, '\n▌ '));
    if (embed.url) out.push(wrap(embed.url, WIDTH, '  '));
    if (embed.description) out.push(block(embed.description, '  '));
    for (const field of embed.fields ?? []) {
      out.push(block(field.name, '  '));
      out.push(block(field.value, '    '));
    }
    if (embed.footer?.text) out.push(block(embed.footer.text, '  — '));
  }
  const controls: string[] = [];
  for (const row of message.components ?? []) {
    for (const c of row.components) {
      if ('label' in c && c.label) controls.push(`[${c.label}${'disabled' in c && c.disabled ? ' (disabled)' : ''}]`);
      else if ('placeholder' in c && c.placeholder) controls.push(`[${c.placeholder}]`);
    }
  }
  if (controls.length) out.push('', wrap(controls.join(' '), WIDTH));
  return out.join('\n');
}
