import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleLine } from '../../src/cli/console.js';
import { loadCollection } from '../../src/collection/load.js';
import { PaperEngine } from '../../src/engine/engine.js';

let engine: PaperEngine;
beforeAll(async () => {
  engine = new PaperEngine({ papers: (await loadCollection([path.resolve(__dirname, '../../data/papers.txt')])).papers });
});

describe('console: what the bot would show, as text', () => {
  it('/find shows numbered result embeds, the footer and the controls', async () => {
    const out = (await consoleLine(engine, '/find kv cache quantization'))!;
    expect(out).toMatch(/^Search: “kv cache quantization”/);
    expect(out).toMatch(/▌ 1\. [^\n]*(\n▌ [^\n]*)?KV/i);
    expect(out).toMatch(/lexical · \d+ ms · results 1–5 of \d+/);
    expect(out).toMatch(/\[Next ▶\]/);
    // Links are never broken (so they can be clicked and copied); everything else fits 80 columns.
    for (const line of out.split('\n')) if (!line.includes('://')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('/paper accepts a distinctive word of a title; unknown papers get the ephemeral error', async () => {
    expect(await consoleLine(engine, '/paper NIRVANA')).toMatch(/▌ NIRVANA: Neural Implicit/);
    const missing = (await consoleLine(engine, '/paper zzzz-not-a-paper'))!;
    expect(missing).toMatch(/only you can see this/);
    expect(missing).toMatch(/No paper matches/);
  });

  it('bad input shows the error instead of crashing; /quit ends', async () => {
    expect(await consoleLine(engine, '/find')).toMatch(/empty/);
    expect(await consoleLine(engine, '/ask ' + 'x'.repeat(10_000))).toMatch(/too long/);
    expect(await consoleLine(engine, '/nonsense')).toMatch(/Unknown command/);
    expect(await consoleLine(engine, '/quit')).toBeNull();
  });

  it('/today shows the picks for a date, deterministically', async () => {
    const a = await consoleLine(engine, '/today 2026-11-27');
    expect(a).toMatch(/2026-11-27/);
    expect(a).toBe(await consoleLine(engine, '/today 2026-11-27'));
    expect(await consoleLine(engine, '/today 2026-02-30')).toMatch(/date/i);
  });
});
