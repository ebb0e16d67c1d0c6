/**
 * A small static scan of a TypeScript tree's imports, and the layering rules paperbot keeps.
 * Static `import … from '…'` / `export … from '…'` / `import '…'` at the start of a line, and
 * `import('…')` (recorded as dynamic). Relative specifiers resolve to files of the tree; others
 * count as packages by name. No type checker: `import type` / `export type` and imports whose
 * names are all `type X` are marked type-only (erased at run time).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ImportRef {
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
}

export interface Edge extends ImportRef {
  /** Repo-relative path of the imported file, or `pkg:<name>` for a package, or `node:<x>`. */
  target: string;
}

export type Graph = Map<string, Edge[]>;

const STATIC = /^[ \t]*(import|export)[ \t]+(type[ \t]+)?([\w$*{},\s]*?)[ \t\n]*from[ \t\n]*['"]([^'"\n]+)['"]/gm;
const SIDE_EFFECT = /^[ \t]*import[ \t]*['"]([^'"\n]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** The imports of one source text. */
export function scanImports(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of source.matchAll(STATIC)) {
    const clause = m[3]!.trim();
    const names = /^\{([\s\S]*)\}$/.exec(clause)?.[1]?.split(',').map((n) => n.trim()).filter(Boolean);
    const allInlineTypes = names !== undefined && names.length > 0 && names.every((n) => n.startsWith('type '));
    refs.push({ specifier: m[4]!, typeOnly: Boolean(m[2]) || allInlineTypes, dynamic: false });
  }
  for (const m of source.matchAll(SIDE_EFFECT)) refs.push({ specifier: m[1]!, typeOnly: false, dynamic: false });
  for (const m of source.matchAll(DYNAMIC)) refs.push({ specifier: m[1]!, typeOnly: false, dynamic: true });
  return refs;
}

function listTs(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  const out: string[] = [];
  for (const name of readdirSync(full)) {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...listTs(root, rel));
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function resolveTarget(root: string, from: string, specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  if (!specifier.startsWith('.')) return `pkg:${packageName(specifier)}`;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [base.replace(/\.(m?js)$/, (_, ext: string) => (ext === 'mjs' ? '.mts' : '.ts')), base, `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => existsSync(path.join(root, c)) && statSync(path.join(root, c)).isFile()) ?? `missing:${base}`;
}

/** Every .ts file under `dirs` (repo-relative) with its resolved imports. */
export function buildGraph(root: string, dirs: readonly string[]): Graph {
  const graph: Graph = new Map();
  for (const file of dirs.flatMap((d) => listTs(root, d))) {
    const source = readFileSync(path.join(root, file), 'utf8');
    graph.set(file, scanImports(source).map((ref) => ({ ...ref, target: resolveTarget(root, file, ref.specifier) })));
  }
  return graph;
}

/** Files and packages reachable from `entry`; type-only and dynamic edges only when asked. */
export function closure(graph: Graph, entry: string, opts: { typeOnly?: boolean; dynamic?: boolean } = {}): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const edge of graph.get(queue.pop()!) ?? []) {
      if ((edge.typeOnly && !opts.typeOnly) || (edge.dynamic && !opts.dynamic) || seen.has(edge.target)) continue;
      seen.add(edge.target);
      queue.push(edge.target);
    }
  }
  return seen;
}

/** A path of files from `from` to the first node matching `to` (any edge kind), or null. */
export function pathBetween(graph: Graph, from: string, to: (node: string) => boolean): string[] | null {
  const previous = new Map<string, string>();
  const queue = [from];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const { target } of graph.get(node) ?? []) {
      if (seen.has(target)) continue;
      seen.add(target);
      previous.set(target, node);
      if (to(target)) {
        const chain = [target];
        while (chain[0] !== from) chain.unshift(previous.get(chain[0]!)!);
        return chain;
      }
      queue.push(target);
    }
  }
  return null;
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const under = (dir: string) => (file: string) => file.startsWith(`${dir}/`);
const isDiscordJs = (node: string) => node === 'pkg:discord.js';

/**
 * The layering rules, as a list of violations (empty = all kept):
 *  - nothing under src/ imports commands/ except src/index.ts (the composition root), nothing imports
 *    src/index.ts, and src/bot never reaches commands/ (no bot ↔ commands cycle);
 *  - src/store never reaches src/bot;
 *  - src/engine never reaches discord.js or src/bot;
 *  - `process.env` is read only in src/config.ts (src/ and commands/);
 *  - the static closure of src/cli/main.ts (without dynamic imports) holds no discord.js.
 */
export function architectureViolations(root: string): string[] {
  const graph = buildGraph(root, ['src', 'commands']);
  const files = [...graph.keys()];
  const problems: string[] = [];

  for (const [file, edges] of graph) {
    for (const edge of edges) {
      if (edge.target.startsWith('missing:')) problems.push(`${file}: import '${edge.specifier}' does not resolve to a file`);
      if (under('src')(file) && file !== 'src/index.ts' && under('commands')(edge.target)) {
        problems.push(`${file} imports ${edge.target}: only src/index.ts (the composition root) may import commands/`);
      }
      if (edge.target === 'src/index.ts') problems.push(`${file} imports src/index.ts, the composition root`);
    }
  }
  for (const file of files.filter(under('src/bot'))) {
    const chain = pathBetween(graph, file, under('commands'));
    if (chain) problems.push(`src/bot reaches commands/ (a bot ↔ commands cycle): ${[file, ...chain.slice(1)].join(' → ')}`);
  }
  for (const file of files.filter(under('src/store'))) {
    const chain = pathBetween(graph, file, under('src/bot'));
    if (chain) problems.push(`src/store reaches src/bot: ${[file, ...chain.slice(1)].join(' → ')}`);
  }
  for (const file of files.filter(under('src/engine'))) {
    const chain = pathBetween(graph, file, (n) => isDiscordJs(n) || under('src/bot')(n));
    if (chain) problems.push(`src/engine reaches ${chain.at(-1)}: ${[file, ...chain.slice(1)].join(' → ')}`);
  }
  for (const file of files) {
    if (file === 'src/config.ts') continue;
    const source = withoutComments(readFileSync(path.join(root, file), 'utf8'));
    if (/\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]/.test(source)) {
      problems.push(`${file} reads process.env: only src/config.ts may (add a config value instead)`);
    }
  }
  const cliMain = 'src/cli/main.ts';
  if (graph.has(cliMain)) {
    const loaded = closure(graph, cliMain);
    if (loaded.has('pkg:discord.js')) {
      const chain = pathBetween(
        new Map([...graph].map(([f, edges]) => [f, edges.filter((e) => !e.typeOnly && !e.dynamic)])),
        cliMain,
        isDiscordJs,
      );
      problems.push(`the CLI loads discord.js statically: ${chain?.join(' → ') ?? cliMain}`);
    }
  }
  return problems;
}
