import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architectureViolations, buildGraph, closure, scanImports } from './helpers/architecture.js';

const ROOT = path.resolve(__dirname, '..');

describe('architecture of this repository', () => {
  it('keeps every layering rule', () => {
    expect(architectureViolations(ROOT)).toEqual([]);
  });

  it('the scan sees the real tree: the console is a dynamic import, and views are behind it', () => {
    const graph = buildGraph(ROOT, ['src', 'commands']);
    const withDynamic = closure(graph, 'src/cli/main.ts', { dynamic: true });
    const staticOnly = closure(graph, 'src/cli/main.ts');
    expect(withDynamic.has('src/cli/console.ts')).toBe(true);
    expect(withDynamic.has('src/bot/views/find.ts')).toBe(true);
    expect(staticOnly.has('src/cli/console.ts')).toBe(false);
    expect(staticOnly.has('src/cli/commands/find.ts')).toBe(true);
    // The bot does load discord.js (so "not in the CLI closure" is a real finding, not a blind scan).
    expect(closure(graph, 'src/index.ts').has('pkg:discord.js')).toBe(true);
    expect(closure(graph, 'src/index.ts').has('commands/find.ts')).toBe(true);
  });
});

describe('the import scanner', () => {
  it('reads static, re-export, side-effect, type-only and dynamic imports; ignores comments and code', () => {
    const refs = scanImports(`/**
 * import { nope } from 'in-a-comment';
 */
// import gone from 'line-comment';
import a, { b as c } from './a.js';
import type { T } from 'discord.js';
import { type U, type V } from './types.js';
import { type W, x } from './mixed.js';
import {
  many,
  lines,
} from '@scope/pkg/deep';
import './side-effect.js';
export { d } from './d.js';
export * from './e.js';
export type { F } from './f.js';
const s = "import fake from 'in-a-string'";
export async function later() {
  return import('./lazy.js');
}
`);
    expect(refs.map((r) => `${r.specifier}${r.typeOnly ? ' (type)' : ''}${r.dynamic ? ' (dynamic)' : ''}`)).toEqual([
      './a.js',
      'discord.js (type)',
      './types.js (type)',
      './mixed.js',
      '@scope/pkg/deep',
      './d.js',
      './e.js',
      './f.js (type)',
      './side-effect.js',
      './lazy.js (dynamic)',
    ]);
  });
});

describe('the rules on a fake tree (they can fail)', () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'paperbot-arch-'));
    write('src/index.ts', "import { list } from '../commands/index.js';\nimport { bot } from './bot/client.js';\n");
    write('commands/index.ts', "import { Thing } from '../src/bot/types.js';\nexport const list = [];\n");
    write('src/bot/types.ts', 'export type Thing = string;\n');
    write('src/bot/client.ts', "import { list } from '../../commands/index.js';\nexport const bot = list;\n");
    write('src/store/state.ts', "import type { Thing } from '../bot/types.js';\nexport const x = 1;\n");
    write('src/engine/engine.ts', "import { Client } from 'discord.js';\nexport const y = Client;\n");
    write('src/engine/fine.ts', "// process.env is only mentioned in a comment here\nexport const z = 2;\n");
    write('src/config.ts', 'export const env = process.env;\n');
    write('src/other.ts', "export const token = process.env['TOKEN'];\n");
    write('src/cli/main.ts', "import { run } from './run.js';\nrun();\n");
    write('src/cli/run.ts', "import { fmt } from './format.js';\nexport function run() { return import('./console.js'); }\n");
    write('src/cli/format.ts', "import { escapeMarkdown } from 'discord.js';\nexport const fmt = escapeMarkdown;\n");
    write('src/cli/console.ts', "import { Client } from 'discord.js';\nexport const c = Client;\n");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports each broken rule, and only those', () => {
    const problems = architectureViolations(root);
    const has = (pattern: RegExp) => expect(problems.some((p) => pattern.test(p)), `${pattern} in:\n${problems.join('\n')}`).toBe(true);
    has(/^src\/bot\/client\.ts imports commands\/index\.ts: only src\/index\.ts/);
    has(/^src\/bot reaches commands\/ \(a bot ↔ commands cycle\): src\/bot\/client\.ts → commands\/index\.ts/);
    has(/^src\/store reaches src\/bot: src\/store\/state\.ts → src\/bot\/types\.ts/);
    has(/^src\/engine reaches pkg:discord\.js: src\/engine\/engine\.ts → pkg:discord\.js/);
    has(/^src\/other\.ts reads process\.env/);
    has(/^the CLI loads discord\.js statically: src\/cli\/main\.ts → src\/cli\/run\.ts → src\/cli\/format\.ts → pkg:discord\.js/);
    expect(problems.filter((p) => /^(src\/index\.ts|src\/config\.ts|src\/engine\/fine\.ts|src\/cli\/console\.ts|commands\/)/.test(p))).toEqual([]);
    expect(problems).toHaveLength(6);
  });

  it('a dynamic import of a discord.js module is allowed for the CLI', () => {
    write('src/cli/format.ts', 'export const fmt = (s: string) => s;\n');
    expect(architectureViolations(root).some((p) => p.startsWith('the CLI'))).toBe(false);
  });
});
