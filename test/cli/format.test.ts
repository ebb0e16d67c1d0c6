import { describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config.js';
import { hyperlinksFor } from '../../src/cli/context.js';
import { formatResults, link, wrap } from '../../src/cli/format.js';
import { FAKE_PAPERS } from '../helpers/fake-engine.js';

const LONG_URL = `https://arxiv.org/search/?query=${'Scaling%20Laws%20in%20Patchification%20'.repeat(4)}&searchtype=title`;
const OSC8 = /\u001b\]8;;([^\u001b]*)\u001b\\([^\u001b]*)\u001b\]8;;\u001b\\/;

describe('links in the terminal', () => {
  it('wrap never breaks a link: a link longer than a line gets a line of its own', () => {
    const out = wrap(`See ${LONG_URL} for more, and a plain word ${'x'.repeat(100)}`, 80, '    ');
    const lines = out.split('\n');
    expect(lines).toContain(`    ${LONG_URL}`);
    expect(lines[0]).toBe('    See');
    // Ordinary long words are still split to fit.
    expect(lines.filter((l) => !l.includes('://')).every((l) => l.length <= 80)).toBe(true);
  });

  it('with hyperlinks, links become OSC 8 hyperlinks that show the link itself; without, plain text', () => {
    const plain = wrap(`code: ${LONG_URL}`, 80, '    ');
    expect(plain).not.toContain('\u001b');
    const linked = wrap(`code: ${LONG_URL}`, 80, '    ', { hyperlinks: true });
    const m = OSC8.exec(linked)!;
    expect(m[1]).toBe(LONG_URL);
    expect(m[2]).toBe(LONG_URL);
    expect(link('www.example.org', { hyperlinks: true })).toBe('www.example.org'); // no scheme: plain
  });

  it('control characters from paper text never reach the terminal, not even inside a link', () => {
    expect(wrap('evil \u001b[2J text \u0007 here')).toBe('evil [2J text here');
    expect(link('https://x.org/\u001b]8;;evil', { hyperlinks: true })).not.toMatch(/\/\u001b\]8;;evil/);
  });

  it('formatResults prints code links whole and hyperlinked on request', () => {
    const paper = { ...FAKE_PAPERS[0]!, codeLinks: [{ url: LONG_URL, kind: 'github' as const }] };
    const result = { mode: 'lexical' as const, hits: [{ paper, score: 1, snippet: 'a snippet' }], total: 1, tookMs: 1 };
    expect(formatResults(result, 'Papers').split('\n')).toContain(`    ${LONG_URL}`);
    expect(formatResults(result, 'Papers', { hyperlinks: true })).toMatch(OSC8);
  });

  it('hyperlinks: on for a terminal unless TERM=dumb; FORCE_HYPERLINK=1/0 forces them on/off', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(hyperlinksFor(loadCoreConfig({ TERM: 'xterm-256color' }), tty)).toBe(true);
    expect(hyperlinksFor(loadCoreConfig({ TERM: 'dumb' }), tty)).toBe(false);
    expect(hyperlinksFor(loadCoreConfig({ TERM: 'xterm' }), pipe)).toBe(false);
    expect(hyperlinksFor(loadCoreConfig({ FORCE_HYPERLINK: '1' }), pipe)).toBe(true);
    expect(hyperlinksFor(loadCoreConfig({ FORCE_HYPERLINK: '0', TERM: 'xterm' }), tty)).toBe(false);
    expect(() => loadCoreConfig({ FORCE_HYPERLINK: 'maybe' })).toThrow(/FORCE_HYPERLINK/);
  });
});
